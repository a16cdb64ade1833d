import { SHUTDOWN_WAIT_MS } from './effects';
import type { XenbusStateName } from './xenbusState';

/**
 * The frontend bus shutdown hook shared by blkfront and netfront: xenbus_dev_shutdown() (RFC and
 * 2006-merged) / xenbus_frontend_dev_shutdown() ([modern]) belongs to the xenbus core, not to a
 * driver, so both machines take their SHUTDOWN, DOWN_COMPLETED and SHUTDOWN_TIMEOUT transitions
 * from here. The machines define the named guards and actions these refer to. Pure config.
 */

/** SHUTDOWN while Connected: switch Closing, wait_for_completion_timeout(&dev->down, 5*HZ). */
export function startShutdown() {
  return [
    { guard: 'hasNoShutdownHook', actions: { type: 'shutdownDone', params: { outcome: 'no-hook' } } },
    {
      actions: [
        'startShutdownWait',
        { type: 'switchState', params: { state: 'Closing' } },
        { type: 'armShutdownTimeout', params: { ms: SHUTDOWN_WAIT_MS } },
      ],
    },
  ] as const;
}

/** SHUTDOWN on a device not Connected: "<node>: <state> != Connected, skipping". */
export function skipShutdown(own: XenbusStateName) {
  return [
    { guard: 'hasNoShutdownHook', actions: { type: 'shutdownDone', params: { outcome: 'no-hook' } } },
    {
      actions: [
        { type: 'log', params: { message: `${own} != Connected, skipping` } },
        { type: 'shutdownDone', params: { outcome: 'skipped' } },
      ],
    },
  ] as const;
}

/** The end of the wait: the completion came first, or "<node> timeout closing device". */
export function shutdownWaitEnds() {
  return {
    DOWN_COMPLETED: {
      guard: 'isAwaitingDown',
      actions: [
        'finishShutdownWait',
        'cancelShutdownTimeout',
        { type: 'shutdownDone', params: { outcome: 'closed' } },
      ],
    },
    SHUTDOWN_TIMEOUT: {
      guard: 'isAwaitingDown',
      actions: [
        'finishShutdownWait',
        { type: 'log', params: { message: 'timeout closing device' } },
        { type: 'shutdownDone', params: { outcome: 'timeout' } },
      ],
    },
  } as const;
}

/** [2006-RFC] xenbus_closing_done(): "frontend (we) triggered closing" → Initialising, else Closed. */
export function closingDoneTarget({ context }: { context: { shutdownInProgress: boolean } }): {
  state: 'Initialising' | 'Closed';
} {
  return { state: context.shutdownInProgress ? 'Initialising' : 'Closed' };
}

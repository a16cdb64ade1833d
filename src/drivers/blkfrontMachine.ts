import { and, assign, not, setup, stateIn } from 'xstate';
import type { BlkfrontContext, BlkfrontEvent, BlkfrontInput } from './blkfrontTypes';
import { getBlkfrontTraits } from './driverTraits';
import { createEffectAction, EBUSY } from './effects';
import { closingDoneTarget, shutdownWaitEnds, skipShutdown, startShutdown } from './frontendShutdown';
import { switchedTo, switchedTransitions } from './switched';
import type { XenbusStateName } from './xenbusState';

export type { BlkfrontContext, BlkfrontEvent, BlkfrontInput } from './blkfrontTypes';

type PeerEvent = Extract<BlkfrontEvent, { type: 'OTHEREND_CHANGED' }>;
const peerIs = (event: BlkfrontEvent, ...states: XenbusStateName[]): boolean =>
  event.type === 'OTHEREND_CHANGED' && states.includes(event.state);
const fatalParams = ({ event }: { event: BlkfrontEvent }): { errno: number; message: string } =>
  event.type === 'TALK_FAILED' || event.type === 'CONNECT_FAILED'
    ? { errno: event.errno, message: event.message }
    : { errno: 0, message: '' };

/** blkfront blkback_changed() and the frontend shutdown hook as a reaction table. */
export const blkfrontMachine = setup({
  types: {
    context: {} as BlkfrontContext,
    events: {} as BlkfrontEvent,
    input: {} as BlkfrontInput,
  },
  actions: {
    // effects (carried out by the simulator)
    switchState: createEffectAction('switchState'),
    devFatal: createEffectAction('devFatal'),
    devError: createEffectAction('devError'),
    log: createEffectAction('log'),
    talkToBlkback: createEffectAction('talkToBlkback'),
    blkfrontConnect: createEffectAction('blkfrontConnect'),
    addDisk: createEffectAction('addDisk'),
    blkfrontClosing: createEffectAction('blkfrontClosing'),
    frontendClosed: createEffectAction('frontendClosed'),
    closingDone: createEffectAction('closingDone'),
    armShutdownTimeout: createEffectAction('armShutdownTimeout'),
    cancelShutdownTimeout: createEffectAction('cancelShutdownTimeout'),
    shutdownDone: createEffectAction('shutdownDone'),
    blkfrontRemove: createEffectAction('blkfrontRemove'),
    blkfrontResume: createEffectAction('blkfrontResume'),
    blkifRecover: createEffectAction('blkifRecover'),
    // bookkeeping
    recordPeerState: assign({ peerState: ({ event }) => (event as PeerEvent).state }),
    recordOpen: assign({ users: ({ context }) => context.users + 1 }),
    recordRelease: assign({ users: ({ context }) => Math.max(0, context.users - 1) }),
    recordCloseRefused: assign({ closeRefused: true }),
    clearCloseRefused: assign({ closeRefused: false }),
    /** xenbus_dev_shutdown(): the RFC also sets shutdown_in_progress */
    startShutdownWait: assign({
      awaitingDown: true,
      shutdownInProgress: ({ context }) =>
        getBlkfrontTraits(context.profile).frontendShutdown === 'rfc-closing-done',
    }),
    finishShutdownWait: assign({ awaitingDown: false }),
  },
  guards: {
    peerInitWait: ({ event }) => peerIs(event, 'InitWait'),
    peerConnected: ({ event }) => peerIs(event, 'Connected'),
    peerClosed: ({ event }) => peerIs(event, 'Closed'),
    /** backend Closing, or [modern] Closed ("missed the backend's Closing state"); own Closed is handled first */
    peerAsksClose: ({ context, event }) =>
      peerIs(event, 'Closing') ||
      (peerIs(event, 'Closed') && getBlkfrontTraits(context.profile).closedActsAsClosing),
    waitsForInitWait: ({ context }) => getBlkfrontTraits(context.profile).waitsForInitWait,
    talksOnConnected: ({ context }) => getBlkfrontTraits(context.profile).talksOnConnected,
    resizesOnConnected: ({ context }) => getBlkfrontTraits(context.profile).resizesOnConnected,
    /** [2006] … [2006-merged]: `users > 0` (RFC: `&& !shutdown_in_progress`) → refuse */
    refusesClose: ({ context }) =>
      getBlkfrontTraits(context.profile).refusesCloseWhileInUse &&
      context.users > 0 &&
      !context.shutdownInProgress,
    closesBySwitch: ({ context }) => getBlkfrontTraits(context.profile).closer === 'switch-closed',
    closesByClosingDone: ({ context }) => getBlkfrontTraits(context.profile).closer === 'closing-done',
    peerLastConnected: ({ context }) => context.peerState === 'Connected',
    isLastRelease: ({ context }) => context.users === 1,
    isCloseRefused: ({ context }) => context.closeRefused,
    hasNoShutdownHook: ({ context }) => getBlkfrontTraits(context.profile).frontendShutdown === 'none',
    isAwaitingDown: ({ context }) => context.awaitingDown,
    isSuspended: ({ context }) => context.suspended,
    switchedTo,
  },
}).createMachine({
  id: 'blkfront',
  context: ({ input }) => ({
    profile: input.profile,
    peerState: null,
    users: 0,
    shutdownInProgress: false,
    awaitingDown: false,
    closeRefused: false,
    suspended: false,
  }),
  // xenbus_probe_node() sets dev->state = Initialising before probing
  initial: 'Initialising',
  states: {
    Initialising: {
      on: {
        PROBE: [
          // [modern] blkfront_probe(): read virtual-device, allocate; no writes (talks on InitWait)
          { guard: 'waitsForInitWait' },
          // [2006] blkfront_probe() → talk_to_backend() straight away
          { actions: 'talkToBlkback' },
        ],
        SHUTDOWN: skipShutdown('Initialising'),
      },
    },
    Initialised: { on: { SHUTDOWN: skipShutdown('Initialised') } },
    Connected: {
      on: {
        SHUTDOWN: startShutdown(),
      },
    },
    Closing: { on: { SHUTDOWN: skipShutdown('Closing') } },
    Closed: { on: { SHUTDOWN: skipShutdown('Closed') } },
    /** blkfront_remove() freed the device: nothing of this driver instance is left */
    // the root-level handlers must not revive it: every event is swallowed here
    Removed: { type: 'final', on: { '*': {} } },
  },
  on: {
    SWITCHED: switchedTransitions(['Initialising', 'Initialised', 'Connected', 'Closing', 'Closed']),
    OTHEREND_CHANGED: [
      // ---- blkback_changed(), xenbus.md §7.4; kexec-handover.md §2 ----
      // | InitWait | own = Initialising, [modern] | talk_to_blkback (→ Initialised) |
      {
        guard: and(['peerInitWait', 'waitsForInitWait', stateIn('#blkfront.Initialising')]),
        actions: ['recordPeerState', 'talkToBlkback'],
      },
      // | Connected | own = Connected, [modern] | blkfront_connect: re-read `sectors` (online resize) |
      {
        guard: and(['peerConnected', 'resizesOnConnected', stateIn('#blkfront.Connected')]),
        actions: ['recordPeerState', { type: 'blkfrontConnect', params: { resize: true } }],
      },
      // | Connected | own = Connected, [2006 trees] | nothing (already connected) |
      { guard: and(['peerConnected', stateIn('#blkfront.Connected')]), actions: 'recordPeerState' },
      // | Connected | own = Initialised after a resume from Connected | blkif_recover (switch Connected on the new ring) |
      {
        guard: and(['peerConnected', 'isSuspended', stateIn('#blkfront.Initialised')]),
        actions: ['recordPeerState', assign({ suspended: false }), 'blkifRecover'],
      },
      // | Connected | own ∉ {Initialised, Connected}, [modern] | talk_to_blkback first (TALK_DONE connects) |
      {
        guard: and(['peerConnected', 'talksOnConnected', not(stateIn('#blkfront.Initialised'))]),
        actions: ['recordPeerState', 'talkToBlkback'],
      },
      // | Connected | otherwise | blkfront_connect (→ DISK_READY) |
      {
        guard: 'peerConnected',
        actions: ['recordPeerState', { type: 'blkfrontConnect', params: { resize: false } }],
      },
      // | Closed | own = Closed | nothing |
      { guard: and(['peerClosed', stateIn('#blkfront.Closed')]), actions: 'recordPeerState' },
      // | Closing ([modern]: or Closed) | disk open, no shutdown in progress, older kernels | -EBUSY "Device in use; refusing to close"; Closing |
      {
        guard: and(['peerAsksClose', 'refusesClose']),
        actions: [
          'recordPeerState',
          'recordCloseRefused',
          { type: 'devError', params: { errno: EBUSY, message: 'Device in use; refusing to close' } },
          { type: 'switchState', params: { state: 'Closing' } },
        ],
      },
      // | Closing | [2006] | blkfront_closing; switch Closed |
      {
        guard: and(['peerAsksClose', 'closesBySwitch']),
        actions: ['recordPeerState', 'blkfrontClosing', { type: 'switchState', params: { state: 'Closed' } }],
      },
      // | Closing | [2006-RFC] | blkfront_closing; xenbus_closing_done (→ Initialising if shutdown_in_progress, else Closed) |
      {
        guard: and(['peerAsksClose', 'closesByClosingDone']),
        actions: ['recordPeerState', 'blkfrontClosing', { type: 'closingDone', params: closingDoneTarget }],
      },
      // | Closing ([modern]: or Closed) | [2006-merged], [modern] | blkfront_closing; xenbus_frontend_closed |
      { guard: 'peerAsksClose', actions: ['recordPeerState', 'blkfrontClosing', 'frontendClosed'] },
      // | Initialising, Initialised, InitWait [2006], Closed [2006 trees], Reconfiguring, Reconfigured, Unknown | nothing |
      { actions: 'recordPeerState' },
    ],
    TALK_DONE: [
      // talk_to_blkback() ends with switch Initialised; blkback_changed(Connected) then calls blkfront_connect
      {
        guard: 'peerLastConnected',
        actions: [
          { type: 'switchState', params: { state: 'Initialised' } },
          { type: 'blkfrontConnect', params: { resize: false } },
        ],
      },
      { actions: { type: 'switchState', params: { state: 'Initialised' } } },
    ],
    TALK_FAILED: { actions: { type: 'devFatal', params: fatalParams } },
    // xenbus_dev_resume(): cached Initialising; blkfront_resume = blkif_free(suspend) + talk_to_blkback (new ring)
    RESUME: {
      target: '.Initialising',
      actions: [
        assign({ peerState: null, suspended: ({ self }) => self.getSnapshot().matches('Connected') }),
        'blkfrontResume',
        'talkToBlkback',
      ],
    },
    // blkfront_connect(): switch Connected, kick the queues, device_add_disk()
    DISK_READY: {
      guard: not(stateIn('#blkfront.Connected')),
      actions: [{ type: 'switchState', params: { state: 'Connected' } }, 'addDisk'],
    },
    CONNECT_FAILED: { actions: { type: 'devFatal', params: fatalParams } },
    DISK_OPENED: { actions: 'recordOpen' },
    DISK_RELEASED: [
      // blkif_release(): the last close of a disk whose close was refused finishes it
      {
        guard: and(['isLastRelease', 'isCloseRefused', 'closesBySwitch']),
        actions: [
          'recordRelease',
          'clearCloseRefused',
          'blkfrontClosing',
          { type: 'switchState', params: { state: 'Closed' } },
        ],
      },
      {
        guard: and(['isLastRelease', 'isCloseRefused', 'closesByClosingDone']),
        actions: [
          'recordRelease',
          'clearCloseRefused',
          'blkfrontClosing',
          { type: 'closingDone', params: closingDoneTarget },
        ],
      },
      {
        guard: and(['isLastRelease', 'isCloseRefused']),
        actions: ['recordRelease', 'clearCloseRefused', 'blkfrontClosing', 'frontendClosed'],
      },
      { actions: 'recordRelease' },
    ],
    // xenbus_dev_shutdown(): the completion came first, or the 5 s wait ran out
    ...shutdownWaitEnds(),
    // xenbus_dev_remove(): blkfront_remove, then switch Closed (frontends do not set allow_rebind)
    REMOVE: {
      target: '.Removed',
      actions: ['blkfrontRemove', { type: 'switchState', params: { state: 'Closed' } }],
    },
  },
});

/**
 * Suspend gating (seed 000): xs_suspend() closes the xenstore region once every request and open
 * transaction has finished; xs_resume() / xs_suspend_cancel() open it again.
 */
import { XsType } from '../../xenstore';
import { emptyStep, enterRequest, pumpBlocked } from './requests';
import type { ClientStep, XenbusClientState } from './types';

type State<K> = XenbusClientState<K, unknown>;

function setPhase<K>(state: State<K>, phase: State<K>['suspend']['phase'], step: ClientStep<K>): void {
  state.suspend.phase = phase;
  step.effects.push({ kind: 'suspend', phase });
}

/**
 * The watches on the kernel's list. A register_xenbus_watch() still waiting for xs_watch_rwsem has
 * not done its list_add() yet, so a watch whose own WATCH is blocked is not one of them.
 */
function listedWatches<K>(state: State<K>): State<K>['watches'] {
  return state.watches.filter(
    (w) =>
      !state.blocked.some((b) => b.purpose === 'watch' && b.type === XsType.WATCH && b.args[1] === w.token),
  );
}

function hasInternal<K>(state: State<K>, purpose: 'suspend-unwatch' | 'resume-watch'): boolean {
  return (
    state.inFlight.some((r) => r.purpose === purpose) || state.blocked.some((b) => b.purpose === purpose)
  );
}

/**
 * Moves the suspend along after anything that changes xs_state_users: the drain ends when users
 * reaches 0 ([2006-RFC] then UNWATCH every watch first); a resume ends when every re-WATCH replied.
 */
export function advanceSuspend<K>(state: State<K>, step: ClientStep<K>): void {
  const s = state.suspend;
  if (s.phase === 'draining' && s.users === 0) {
    const listed = listedWatches(state);
    if (state.options.suspendUnwatches && listed.length > 0) {
      setPhase(state, 'unwatching', step);
      for (const w of listed) {
        const spec = { type: XsType.UNWATCH, args: [w.path, w.token], txId: 0 };
        enterRequest(state, spec, 'suspend-unwatch', { kind: 'internal' }, step);
      }
      return;
    }
    finishSuspend(state, step);
  } else if (s.phase === 'unwatching' && s.users === 0 && !hasInternal(state, 'suspend-unwatch')) {
    finishSuspend(state, step);
  } else if (s.phase === 'resuming' && !hasInternal(state, 'resume-watch')) {
    setPhase(state, 'idle', step);
    pumpBlocked(state, step);
  }
}

function finishSuspend<K>(state: State<K>, step: ClientStep<K>): void {
  setPhase(state, 'suspended', step);
  const waiter = state.suspend.waiter;
  state.suspend.waiter = null;
  if (waiter) step.wakeups.push({ kind: 'suspend-done', k: waiter.k });
}

/**
 * xenbus_xs.c xs_suspend(): xs_suspend_active++, then wait until xs_state_users is 0 (`k` comes back
 * in a `suspend-done` wakeup, possibly at once). New requests are still admitted while users > 0.
 */
export function xsSuspend<K>(state: State<K>, k: K): ClientStep<K> {
  if (state.suspend.phase !== 'idle') throw new Error(`xs_suspend during ${state.suspend.phase}`);
  const step = emptyStep<K>();
  state.suspend.active += 1;
  state.suspend.waiter = { k };
  setPhase(state, 'draining', step);
  advanceSuspend(state, step);
  return step;
}

function requireSuspended<K>(state: State<K>, fn: string): void {
  if (state.suspend.phase !== 'suspended') throw new Error(`${fn} during ${state.suspend.phase}`);
}

/**
 * xenbus_xs.c xs_resume(): xs_suspend_exit() (blocked requesters may go), then XS_WATCH for every
 * registered watch, in list order; each fires once at registration, so watchers re-read state.
 * Watch (un)registration waits until every re-WATCH replied. (Linux sends them one at a time.)
 */
export function xsResume<K>(state: State<K>): ClientStep<K> {
  requireSuspended(state, 'xs_resume');
  const step = emptyStep<K>();
  state.suspend.active -= 1;
  const listed = listedWatches(state);
  setPhase(state, listed.length > 0 ? 'resuming' : 'idle', step);
  for (const w of listed) {
    const spec = { type: XsType.WATCH, args: [w.path, w.token], txId: 0 };
    enterRequest(state, spec, 'resume-watch', { kind: 'internal' }, step);
  }
  pumpBlocked(state, step);
  return step;
}

/**
 * xenbus_xs.c xs_suspend_cancel(): the domain did not move, xenstored still has the watches, so
 * nothing is re-sent; blocked requesters may go. ([2006-RFC] watches already unwatched stay so.)
 */
export function xsSuspendCancel<K>(state: State<K>): ClientStep<K> {
  requireSuspended(state, 'xs_suspend_cancel');
  const step = emptyStep<K>();
  state.suspend.active -= 1;
  setPhase(state, 'idle', step);
  step.effects.push({ kind: 'suspend', phase: 'cancelled' });
  pumpBlocked(state, step);
  return step;
}

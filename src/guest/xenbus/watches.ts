/**
 * Watch registration and incoming watch events (register_xenbus_watch, unregister_xenbus_watch,
 * xs_watch_msg). The token is the caller's: Linux prints the watch struct's address, so a kernel
 * loaded again from the same image can present the same token to xenstored (EEXIST after kexec).
 */
import { XsType } from '../../xenstore';
import { emptyStep, enterRequest } from './requests';
import type {
  ClientStep,
  InFlightRequest,
  QueuedWatchEvent,
  XenbusClientState,
  XenbusResult,
  XenbusWatch,
} from './types';

export interface WatchInput<W> {
  path: string;
  token: string;
  callback: W;
  /** drop a new event while one of this watch is still queued (modern backend otherend watch) */
  dropWhilePending?: boolean;
}

/** find_watch(): the registered watch owning `token`. */
export function findWatch<W>(
  state: XenbusClientState<unknown, W>,
  token: string,
): XenbusWatch<W> | undefined {
  const watches = state.watches;
  for (let i = 0; i < watches.length; i++) {
    const w = watches[i] as XenbusWatch<W>;
    if (w.token === token) return w;
  }
  return undefined;
}

/**
 * Takes the watch off the list and cancels its queued events; returns their sequence numbers.
 * Also used when a registration fails: Linux leaves such events queued against the unlisted watch
 * and still runs them; here they go with it, so every queued event has a listed watch.
 */
function removeWatch(state: XenbusClientState<unknown, unknown>, token: string): number[] {
  const watches = state.watches;
  let kept = 0;
  for (let i = 0; i < watches.length; i++) {
    const w = watches[i] as XenbusWatch<unknown>;
    if (w.token !== token) watches[kept++] = w;
  }
  watches.length = kept;
  const xw = state.xenwatch;
  const queue = xw.queue;
  const purged: number[] = [];
  kept = 0;
  for (let i = 0; i < queue.length; i++) {
    const e = queue[i] as QueuedWatchEvent;
    if (e.token === token) purged.push(e.seq);
    else queue[kept++] = e;
  }
  queue.length = kept;
  xw.counts.purged += purged.length;
  return purged;
}

/**
 * xenbus_xs.c register_xenbus_watch(): puts the watch at the head of the list, then sends XS_WATCH.
 * The caller's `k` gets the WATCH reply; on an error the watch is taken off the list again ([2006]
 * kept it on EEXIST). A token already on the list is a kernel BUG_ON: this throws.
 */
export function registerXenbusWatch<K, W>(
  state: XenbusClientState<K, W>,
  input: WatchInput<W>,
  k: K,
): ClientStep<K> & { blocked: boolean } {
  if (findWatch(state, input.token)) throw new Error(`watch token ${input.token} already registered`);
  const step = emptyStep<K>();
  const watch: XenbusWatch<W> = {
    path: input.path,
    token: input.token,
    callback: input.callback,
    dropWhilePending: input.dropWhilePending ?? false,
    nrPending: 0,
  };
  state.watches.unshift(watch);
  step.effects.push({ kind: 'watch-added', path: watch.path, token: watch.token });
  const spec = { type: XsType.WATCH, args: [watch.path, watch.token], txId: 0 };
  const how = enterRequest(state, spec, 'watch', { kind: 'caller', k }, step);
  return {
    outgoing: step.outgoing,
    wakeups: step.wakeups,
    effects: step.effects,
    blocked: how === 'blocked',
  };
}

/**
 * xenbus_xs.c unregister_xenbus_watch(): takes the watch off the list, sends XS_UNWATCH and cancels
 * its queued events (listed in the `watch-removed` effect and returned as `purged` sequence numbers).
 * Simplification: the queue is purged at once, where Linux purges after the UNWATCH reply under
 * xenwatch_mutex (so there an already-queued event may still run in between).
 */
export function unregisterXenbusWatch<K, W>(
  state: XenbusClientState<K, W>,
  token: string,
  k: K,
): ClientStep<K> & { blocked: boolean; purged: number[] } {
  const watch = findWatch(state, token);
  if (!watch) throw new Error(`watch token ${token} is not registered`);
  const step = emptyStep<K>();
  const purged = removeWatch(state, token);
  step.effects.push({ kind: 'watch-removed', path: watch.path, token, purged });
  const spec = { type: XsType.UNWATCH, args: [watch.path, token], txId: 0 };
  const how = enterRequest(state, spec, 'unwatch', { kind: 'caller', k }, step);
  return {
    outgoing: step.outgoing,
    wakeups: step.wakeups,
    effects: step.effects,
    blocked: how === 'blocked',
    purged,
  };
}

/** What a WATCH/UNWATCH reply does to the list, for requests sent by (un)register. */
export function applyWatchReply(
  state: XenbusClientState<unknown, unknown>,
  req: InFlightRequest<unknown>,
  result: XenbusResult,
  step: ClientStep<unknown>,
): void {
  if (result.ok) return;
  const path = req.args[0] ?? '';
  const token = req.args[1] ?? '';
  if (req.purpose === 'watch') {
    const kept = state.options.mode === '2006' && result.error === 'EEXIST';
    step.effects.push({ kind: 'watch-register-failed', path, token, error: result.error, kept });
    if (!kept && findWatch(state, token)) {
      step.effects.push({ kind: 'watch-removed', path, token, purged: removeWatch(state, token) });
    }
  } else if (req.purpose === 'unwatch') {
    step.effects.push({ kind: 'warning', message: `Failed to release watch ${path}: -${result.errno}` });
  }
}

/**
 * xenbus_xs.c xs_watch_msg(): an event for a known token goes to the tail of the xenwatch FIFO;
 * an unknown token, a watch whose will_handle refuses it, or a payload that is not two strings
 * is dropped. Returns the queued sequence number, or null when dropped.
 */
export function xsWatchMsg(
  state: XenbusClientState<unknown, unknown>,
  strings: string[],
  step: ClientStep<unknown>,
): number | null {
  const counts = state.xenwatch.counts;
  const path = strings[0] ?? '';
  const token = strings[1] ?? '';
  if (strings.length !== 2) {
    counts.droppedMalformed += 1;
    step.effects.push({ kind: 'watch-event-dropped', path, token, reason: 'malformed' });
    return null;
  }
  const watch = findWatch(state, token);
  if (!watch || (watch.dropWhilePending && watch.nrPending > 0)) {
    const reason = watch ? 'pending' : 'unknown-token';
    if (watch) counts.droppedWhilePending += 1;
    else counts.droppedUnknownToken += 1;
    step.effects.push({ kind: 'watch-event-dropped', path, token, reason });
    return null;
  }
  const seq = state.seq++;
  state.xenwatch.queue.push({ seq, path, token });
  watch.nrPending += 1;
  counts.queued += 1;
  step.effects.push({ kind: 'watch-event-queued', seq, path, token });
  return seq;
}

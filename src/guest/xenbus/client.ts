/**
 * Creating, copying and inspecting a client state. The state is plain data, so a checkpoint is a
 * deep copy and a restored copy behaves exactly like the original from then on.
 */
import type { XenbusClientOptions, XenbusClientState } from './types';

export const defaultClientOptions: XenbusClientOptions = { mode: 'modern', suspendUnwatches: false };

/** xenbus_xs.c xs_init() state before xs_reset_watches(): no watches, no requests, region open. */
export function createXenbusClient<K, W>(
  options: Partial<XenbusClientOptions> = {},
): XenbusClientState<K, W> {
  return {
    options: { ...defaultClientOptions, ...options },
    nextReqId: 0,
    seq: 0,
    inFlight: [],
    blocked: [],
    aborted: [],
    transactions: 0,
    openTxIds: [],
    watches: [],
    xenwatch: {
      queue: [],
      running: null,
      counts: {
        queued: 0,
        ran: 0,
        droppedUnknownToken: 0,
        droppedWhilePending: 0,
        droppedMalformed: 0,
        purged: 0,
      },
    },
    suspend: { users: 0, active: 0, phase: 'idle', waiter: null },
  };
}

/**
 * An independent deep copy (checkpoints). Requires `K` and `W` to be plain data; cost is linear in
 * the number of requests, watches and queued events.
 */
export function cloneXenbusClient<K, W>(state: XenbusClientState<K, W>): XenbusClientState<K, W> {
  return structuredClone(state);
}

/** xs_state_users: requests in flight plus one per open transaction. */
export function getXsStateUsers(state: XenbusClientState<unknown, unknown>): number {
  return state.suspend.users;
}

/** Every continuation the client holds, in a stable order: in flight, blocked, then the suspender. */
export function getHeldContinuations<K>(state: XenbusClientState<K, unknown>): K[] {
  const out: K[] = [];
  for (const r of state.inFlight) if (r.waiter.kind === 'caller') out.push(r.waiter.k);
  for (const b of state.blocked) if (b.waiter.kind === 'caller') out.push(b.waiter.k);
  if (state.suspend.waiter) out.push(state.suspend.waiter.k);
  return out;
}

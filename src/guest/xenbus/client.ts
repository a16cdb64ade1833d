/**
 * Creating, copying and inspecting a client state. The state is plain data, so a checkpoint is a
 * deep copy and a restored copy behaves exactly like the original from then on.
 */
import type {
  BlockedSender,
  InFlightRequest,
  QueuedWatchEvent,
  Waiter,
  XenbusClientOptions,
  XenbusClientState,
  XenbusWatch,
} from './types';

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

/** A `K` or `W` value that is not copied by value: it goes through one structuredClone() call. */
interface OpaqueSlot {
  target: Record<string, unknown>;
  key: string;
}

function isCopiedByValue(v: unknown): boolean {
  const t = typeof v;
  return v === null || (t !== 'object' && t !== 'function' && t !== 'symbol');
}

/**
 * An independent deep copy (checkpoints). Requires `K` and `W` to be plain data; cost is linear in
 * the number of requests, watches and queued events.
 *
 * The same result as structuredClone(state), built field by field: the client's own records are
 * copied with their keys in order (no record of the client is shared by two places), and the
 * caller's `K` and `W` values that are objects go through one structuredClone() call together, so
 * any sharing between them is kept as structuredClone() keeps it.
 */
export function cloneXenbusClient<K, W>(state: XenbusClientState<K, W>): XenbusClientState<K, W> {
  const opaque: unknown[] = [];
  const slots: OpaqueSlot[] = [];
  const later = <T extends object>(copy: T, key: string & keyof T): T => {
    const v = copy[key];
    if (!isCopiedByValue(v)) {
      opaque.push(v);
      slots.push({ target: copy as unknown as Record<string, unknown>, key });
    }
    return copy;
  };
  const waiterCopy = (w: Waiter<K>): Waiter<K> => (w.kind === 'caller' ? later({ ...w }, 'k') : { ...w });

  const inFlight: InFlightRequest<K>[] = [];
  for (const r of state.inFlight) {
    inFlight.push({ ...r, args: r.args.slice(), waiter: waiterCopy(r.waiter) });
  }
  const blocked: BlockedSender<K>[] = [];
  for (const b of state.blocked) {
    blocked.push({ ...b, args: b.args.slice(), waiter: waiterCopy(b.waiter) });
  }
  const watches: XenbusWatch<W>[] = [];
  for (const w of state.watches) watches.push(later({ ...w }, 'callback'));
  const xw = state.xenwatch;
  const queue: QueuedWatchEvent[] = [];
  for (const e of xw.queue) queue.push({ ...e });
  const suspend = state.suspend;
  const copy: XenbusClientState<K, W> = {
    ...state,
    options: { ...state.options },
    inFlight,
    blocked,
    aborted: state.aborted.slice(),
    openTxIds: state.openTxIds.slice(),
    watches,
    xenwatch: {
      ...xw,
      queue,
      running: xw.running === null ? null : { ...xw.running },
      counts: { ...xw.counts },
    },
    suspend: { ...suspend, waiter: suspend.waiter === null ? null : later({ ...suspend.waiter }, 'k') },
  };
  if (opaque.length > 0) {
    const cloned = cloneFlat(opaque) ?? structuredClone(opaque);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as OpaqueSlot;
      slot.target[slot.key] = cloned[i];
    }
  }
  return copy;
}

/**
 * structuredClone(values) when every value is a plain object whose properties are all copied by
 * value (the usual watch callback descriptor); else null. The same object twice gives one copy
 * twice, as structuredClone() does.
 */
function cloneFlat(values: readonly unknown[]): unknown[] | null {
  for (const v of values) {
    if (Object.getPrototypeOf(v) !== Object.prototype) return null;
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) if (!isCopiedByValue(o[key])) return null;
  }
  const seen = new Map<unknown, Record<string, unknown>>();
  const out: unknown[] = [];
  for (const v of values) {
    let c = seen.get(v);
    if (c === undefined) {
      c = {};
      const o = v as Record<string, unknown>;
      for (const key of Object.keys(o)) c[key] = o[key];
      seen.set(v, c);
    }
    out.push(c);
  }
  return out;
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

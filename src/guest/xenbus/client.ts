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

function isCopiedByValue(v: unknown): boolean {
  const t = typeof v;
  return v === null || (t !== 'object' && t !== 'function' && t !== 'symbol');
}

/**
 * An independent deep copy (checkpoints). Requires `K` and `W` to be plain data; cost is linear in
 * the number of requests, watches and queued events.
 *
 * The same result as structuredClone(state), built field by field: the client's own records are
 * rebuilt with their keys in the order the client creates them (no record of the client is shared
 * by two places; `options` keeps whatever keys it was given), and the caller's `K` and `W` values
 * that are objects are copied as one structuredClone() call copies them, so any sharing between
 * them is kept.
 */
export function cloneXenbusClient<K, W>(state: XenbusClientState<K, W>): XenbusClientState<K, W> {
  return cloneWithFlatValues(state) ?? cloneWithStructuredClone(state);
}

/** FlatCopies.copy() of a value that is not flat. */
const NOT_FLAT: unique symbol = Symbol('not flat');

/**
 * Copies of the caller's values for one clone, when every one is copied by value or is a plain
 * object whose properties all are (the usual continuation or watch callback descriptor): what
 * structuredClone() gives for them, the same object twice giving one copy twice.
 */
class FlatCopies {
  private readonly from: object[] = [];
  private readonly to: Record<string, unknown>[] = [];
  private index: Map<object, Record<string, unknown>> | null = null;

  /** `v` itself, its copy, or NOT_FLAT. */
  copy<T>(v: T): T | typeof NOT_FLAT {
    if (isCopiedByValue(v)) return v;
    const known = this.find(v as object);
    if (known !== undefined) return known as T;
    if (Object.getPrototypeOf(v) !== Object.prototype) return NOT_FLAT;
    const o = v as Record<string, unknown>;
    const c: Record<string, unknown> = {};
    for (const key in o) {
      if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
      const value = o[key];
      if (!isCopiedByValue(value)) return NOT_FLAT;
      c[key] = value;
    }
    this.remember(o, c);
    return c as T;
  }

  /** Forgets every original (a clone must not keep them alive). */
  clear(): void {
    this.from.length = 0;
    this.to.length = 0;
    this.index = null;
  }

  private find(v: object): Record<string, unknown> | undefined {
    if (this.index !== null) return this.index.get(v);
    const from = this.from;
    for (let i = 0; i < from.length; i++) if (from[i] === v) return this.to[i];
    return undefined;
  }

  private remember(v: object, c: Record<string, unknown>): void {
    if (this.index !== null) {
      this.index.set(v, c);
      return;
    }
    this.from.push(v);
    this.to.push(c);
    // past a few values a map finds them faster than a scan
    if (this.from.length > 16) {
      const index = new Map<object, Record<string, unknown>>();
      for (let i = 0; i < this.from.length; i++)
        index.set(this.from[i] as object, this.to[i] as Record<string, unknown>);
      this.index = index;
    }
  }
}

/** One table for every clone: cloning runs to completion before the next one starts. */
const flatCopies = new FlatCopies();

/** cloneXenbusClient() when every `K` and `W` value is flat (see FlatCopies); else null. */
function cloneWithFlatValues<K, W>(state: XenbusClientState<K, W>): XenbusClientState<K, W> | null {
  const flat = flatCopies;
  try {
    // each list starts as a copy of the original, so it is no longer than needed
    const inFlight = state.inFlight.slice();
    for (let i = 0; i < inFlight.length; i++) {
      const r = inFlight[i] as InFlightRequest<K>;
      const waiter = flatWaiter(r.waiter, flat);
      if (waiter === null) return null;
      inFlight[i] = requestCopy(r, waiter);
    }
    const blocked = state.blocked.slice();
    for (let i = 0; i < blocked.length; i++) {
      const b = blocked[i] as BlockedSender<K>;
      const waiter = flatWaiter(b.waiter, flat);
      if (waiter === null) return null;
      blocked[i] = blockedCopy(b, waiter);
    }
    const watches = state.watches.slice();
    for (let i = 0; i < watches.length; i++) {
      const w = watches[i] as XenbusWatch<W>;
      const callback = flat.copy(w.callback);
      if (callback === NOT_FLAT) return null;
      watches[i] = watchCopy(w, callback);
    }
    let waiter: { k: K } | null = null;
    if (state.suspend.waiter !== null) {
      const k = flat.copy(state.suspend.waiter.k);
      if (k === NOT_FLAT) return null;
      waiter = { k };
    }
    return stateCopy(state, inFlight, blocked, watches, waiter);
  } finally {
    flat.clear();
  }
}

function flatWaiter<K>(w: Waiter<K>, flat: FlatCopies): Waiter<K> | null {
  if (w.kind === 'internal') return { kind: 'internal' };
  const k = flat.copy(w.k);
  return k === NOT_FLAT ? null : { kind: 'caller', k };
}

/**
 * cloneXenbusClient() for any plain-data `K` and `W`: the values that are objects go through one
 * structuredClone() call, then into their places in the copy.
 */
function cloneWithStructuredClone<K, W>(state: XenbusClientState<K, W>): XenbusClientState<K, W> {
  const opaque: unknown[] = [];
  const places: Array<{ target: Record<string, unknown>; key: string }> = [];
  const later = <T extends object>(copy: T, key: string & keyof T): T => {
    const v = copy[key];
    if (!isCopiedByValue(v)) {
      opaque.push(v);
      places.push({ target: copy as unknown as Record<string, unknown>, key });
    }
    return copy;
  };
  const waiterCopy = (w: Waiter<K>): Waiter<K> =>
    w.kind === 'caller' ? later({ kind: 'caller', k: w.k }, 'k') : { kind: 'internal' };
  const inFlight = state.inFlight.map((r) => requestCopy(r, waiterCopy(r.waiter)));
  const blocked = state.blocked.map((b) => blockedCopy(b, waiterCopy(b.waiter)));
  const watches = state.watches.map((w) => later(watchCopy(w, w.callback), 'callback'));
  const suspender = state.suspend.waiter;
  const waiter = suspender === null ? null : later({ k: suspender.k }, 'k');
  const copy = stateCopy(state, inFlight, blocked, watches, waiter);
  const cloned = structuredClone(opaque);
  for (let i = 0; i < places.length; i++) {
    const place = places[i] as { target: Record<string, unknown>; key: string };
    place.target[place.key] = cloned[i];
  }
  return copy;
}

function requestCopy<K>(r: InFlightRequest<K>, waiter: Waiter<K>): InFlightRequest<K> {
  return {
    type: r.type,
    args: r.args.slice(),
    txId: r.txId,
    reqId: r.reqId,
    purpose: r.purpose,
    waiter,
    sentAt: r.sentAt,
  };
}

function blockedCopy<K>(b: BlockedSender<K>, waiter: Waiter<K>): BlockedSender<K> {
  return {
    type: b.type,
    args: b.args.slice(),
    txId: b.txId,
    reason: b.reason,
    purpose: b.purpose,
    waiter,
    blockedAt: b.blockedAt,
  };
}

function watchCopy<W>(w: XenbusWatch<W>, callback: W): XenbusWatch<W> {
  return {
    path: w.path,
    token: w.token,
    callback,
    dropWhilePending: w.dropWhilePending,
    nrPending: w.nrPending,
  };
}

function eventCopy(e: QueuedWatchEvent): QueuedWatchEvent {
  return { seq: e.seq, path: e.path, token: e.token };
}

/** The copy of `state` around its already copied request, watch and suspender records. */
function stateCopy<K, W>(
  state: XenbusClientState<K, W>,
  inFlight: InFlightRequest<K>[],
  blocked: BlockedSender<K>[],
  watches: XenbusWatch<W>[],
  waiter: { k: K } | null,
): XenbusClientState<K, W> {
  const xw = state.xenwatch;
  const queue = xw.queue.slice();
  for (let i = 0; i < queue.length; i++) queue[i] = eventCopy(queue[i] as QueuedWatchEvent);
  const counts = xw.counts;
  const suspend = state.suspend;
  return {
    options: { ...state.options },
    nextReqId: state.nextReqId,
    seq: state.seq,
    inFlight,
    blocked,
    aborted: state.aborted.slice(),
    transactions: state.transactions,
    openTxIds: state.openTxIds.slice(),
    watches,
    xenwatch: {
      queue,
      running: xw.running === null ? null : eventCopy(xw.running),
      counts: {
        queued: counts.queued,
        ran: counts.ran,
        droppedUnknownToken: counts.droppedUnknownToken,
        droppedWhilePending: counts.droppedWhilePending,
        droppedMalformed: counts.droppedMalformed,
        purged: counts.purged,
      },
    },
    suspend: { users: suspend.users, active: suspend.active, phase: suspend.phase, waiter },
  };
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

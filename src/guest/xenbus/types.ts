/**
 * The guest kernel's xenstore client (Linux drivers/xen/xenbus/xenbus_xs.c) as plain data.
 * Every record here is JSON-able so the simulator can checkpoint and restore it: no Maps, no
 * closures, no byte arrays. `K` is the caller's continuation (what a blocked kernel thread would
 * resume with) and `W` the watch callback descriptor; both are opaque plain data to the client.
 */
import type { XsMsg } from '../../xenstore';

/** '2006': one request in flight under request_mutex, req_id 0; 'modern': xs_request_id, many in flight. */
export type XenbusMode = '2006' | 'modern';

export interface XenbusClientOptions {
  mode: XenbusMode;
  /** [2006-RFC]/[2006-merged] xs_suspend() sends XS_UNWATCH for every registered watch */
  suspendUnwatches: boolean;
}

/** What a caller asks for: a message type, its string arguments and the transaction (0 = XBT_NIL). */
export interface XsRequestSpec {
  type: number;
  args: string[];
  txId: number;
}

/**
 * Why the client sent a request, which decides what happens to its reply: a caller's plain request,
 * a caller's register/unregister of a watch or RESET_WATCHES, or the client's own suspend UNWATCH /
 * resume re-WATCH (no caller waits on those).
 */
export type RequestPurpose =
  'plain' | 'watch' | 'unwatch' | 'reset-watches' | 'suspend-unwatch' | 'resume-watch';

/** A continuation held by the client: a caller's `k`, or none for the client's own requests. */
export type Waiter<K> = { kind: 'caller'; k: K } | { kind: 'internal' };

/** A request written to the ring and waiting for its reply (Linux xs_reply_list entry). */
export interface InFlightRequest<K> extends XsRequestSpec {
  reqId: number;
  purpose: RequestPurpose;
  waiter: Waiter<K>;
  /** client sequence number when it went out */
  sentAt: number;
}

/**
 * A sender that could not go out yet: `suspend` waits in xs_request_enter() for the suspend to end
 * (or, [2006], on the suspend rwsem); `request-mutex` waits for the single in-flight request ([2006]).
 */
export interface BlockedSender<K> extends XsRequestSpec {
  reason: 'suspend' | 'request-mutex';
  purpose: RequestPurpose;
  waiter: Waiter<K>;
  blockedAt: number;
}

/** struct xenbus_watch: the node watched, its token, and what to run; `nrPending` counts queued events. */
export interface XenbusWatch<W> {
  path: string;
  token: string;
  callback: W;
  /** will_handle returns false while an event is queued (backend otherend watches, XSA-349) */
  dropWhilePending: boolean;
  nrPending: number;
}

/** struct xs_watch_event on the watch_events list. */
export interface QueuedWatchEvent {
  /** client sequence number at which the event was queued */
  seq: number;
  /** the path the event reports */
  path: string;
  token: string;
}

/** The xenwatch kthread and its FIFO: one callback at a time, all watches mixed. */
export interface XenwatchState {
  queue: QueuedWatchEvent[];
  running: QueuedWatchEvent | null;
  counts: {
    queued: number;
    ran: number;
    droppedUnknownToken: number;
    /** dropped by will_handle while an event of the same watch was pending (merged into it) */
    droppedWhilePending: number;
    droppedMalformed: number;
    /** removed from the queue by unregister_xenbus_watch() */
    purged: number;
  };
}

/**
 * Suspend gating (xs_state_lock variables). `phase`: idle; draining (xs_suspend waits for users to
 * reach 0); unwatching ([2006] UNWATCH of every watch in progress); suspended (response processing
 * stopped until xs_resume / xs_suspend_cancel); resuming (xs_resume re-sends WATCH for every watch
 * while still holding the watch rwsem).
 */
export interface SuspendState<K> {
  users: number;
  active: number;
  phase: 'idle' | 'draining' | 'unwatching' | 'suspended' | 'resuming';
  /** the xs_suspend() caller waiting for the drain */
  waiter: { k: K } | null;
}

export interface XenbusClientState<K, W> {
  options: XenbusClientOptions;
  /** xs_request_id: next req_id ([modern]); stays 0 in [2006] */
  nextReqId: number;
  /** one counter for every sequence number the client hands out (sent, blocked, queued) */
  seq: number;
  inFlight: InFlightRequest<K>[];
  blocked: BlockedSender<K>[];
  /** req_ids given up by xs_reboot_notify(): a late reply for them is discarded */
  aborted: number[];
  /** transactions started and not yet ended (a START still waiting for its reply counts) */
  transactions: number;
  /** ids of transactions whose START was answered and whose END was not yet answered */
  openTxIds: number[];
  /** the `watches` list; Linux list_add() puts a new watch at the head */
  watches: XenbusWatch<W>[];
  xenwatch: XenwatchState;
  suspend: SuspendState<K>;
}

/** A decoded answer handed back to a caller: the payload strings, or an xsd error with its errno. */
export type XenbusResult =
  { ok: true; value: string; strings: string[] } | { ok: false; error: string; errno: number };

/** A continuation handed back: a caller's reply, or xs_suspend() finding the region empty. */
export type Wakeup<K> =
  { kind: 'reply'; k: K; reqId: number; type: number; result: XenbusResult } | { kind: 'suspend-done'; k: K };

/** What the client did, for the trace. */
export type GuestEffect =
  | { kind: 'xs-sent'; reqId: number; type: number; txId: number; purpose: RequestPurpose }
  | { kind: 'xs-blocked'; type: number; reason: 'suspend' | 'request-mutex' }
  | { kind: 'xs-reply'; reqId: number; type: number; ok: boolean; error?: string }
  | { kind: 'xs-reply-dropped'; reqId: number; reason: 'no-request' | 'aborted' }
  | { kind: 'xs-users'; from: number; to: number }
  | { kind: 'xs-aborted'; reqIds: number[] }
  | { kind: 'xs-held'; type: number }
  | { kind: 'watch-added'; path: string; token: string }
  | { kind: 'watch-removed'; path: string; token: string; purged: number[] }
  | { kind: 'watch-register-failed'; path: string; token: string; error: string; kept: boolean }
  | { kind: 'watch-event-queued'; seq: number; path: string; token: string }
  | {
      kind: 'watch-event-dropped';
      path: string;
      token: string;
      reason: 'unknown-token' | 'pending' | 'malformed';
    }
  | { kind: 'xenwatch-run'; seq: number; path: string; token: string }
  | { kind: 'xenwatch-done'; seq: number }
  | { kind: 'suspend'; phase: SuspendState<unknown>['phase'] | 'cancelled' }
  | { kind: 'warning'; message: string };

/**
 * The outcome of one client call: messages to put on the ring (in order), continuations to resume
 * (in order), and trace effects.
 */
export interface ClientStep<K> {
  outgoing: XsMsg[];
  wakeups: Wakeup<K>[];
  effects: GuestEffect[];
  /** set by a caller that shows sent requests and taken replies its own way: no `xs-sent` / `xs-reply` effects */
  quietIo?: boolean;
  /** set by a caller that records xs_state_users only while a suspend is pending or running: no `xs-users` effects otherwise */
  quietUsers?: boolean;
}

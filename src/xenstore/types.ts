/**
 * Shared vocabulary of the xenstore engine: message types, error names, messages, permissions,
 * options and effects. Numbers and names are those of xen/include/public/io/xs_wire.h.
 * Pure data; no behaviour lives here.
 */

/** enum xsd_sockmsg_type (xs_wire.h). */
export const XsType = {
  CONTROL: 0,
  DIRECTORY: 1,
  READ: 2,
  GET_PERMS: 3,
  WATCH: 4,
  UNWATCH: 5,
  TRANSACTION_START: 6,
  TRANSACTION_END: 7,
  INTRODUCE: 8,
  RELEASE: 9,
  GET_DOMAIN_PATH: 10,
  WRITE: 11,
  MKDIR: 12,
  RM: 13,
  SET_PERMS: 14,
  WATCH_EVENT: 15,
  ERROR: 16,
  IS_DOMAIN_INTRODUCED: 17,
  RESUME: 18,
  SET_TARGET: 19,
  RESTRICT: 20,
  RESET_WATCHES: 21,
  DIRECTORY_PART: 22,
  GET_FEATURE: 23,
  SET_FEATURE: 24,
  GET_QUOTA: 25,
  SET_QUOTA: 26,
  INVALID: 65535,
} as const;
export type XsTypeName = keyof typeof XsType;
export type XsTypeNumber = (typeof XsType)[XsTypeName];

/** xsd_errors[] in table order (xs_wire.h); new names are only ever appended. */
export const XS_ERRORS = [
  'EINVAL',
  'EACCES',
  'EEXIST',
  'EISDIR',
  'ENOENT',
  'ENOMEM',
  'ENOSPC',
  'EIO',
  'ENOTEMPTY',
  'ENOSYS',
  'EROFS',
  'EBUSY',
  'EAGAIN',
  'EISCONN',
  'E2BIG',
  'EPERM',
] as const;
export type XsError = (typeof XS_ERRORS)[number];

/** XENSTORE_PAYLOAD_MAX, XENSTORE_ABS_PATH_MAX, XENSTORE_REL_PATH_MAX (xs_wire.h). */
export const XENSTORE_PAYLOAD_MAX = 4096;
export const XENSTORE_ABS_PATH_MAX = 3072;
export const XENSTORE_REL_PATH_MAX = 2048;

/** One wire message: struct xsd_sockmsg plus its payload. */
export interface XsMsg {
  type: number;
  reqId: number;
  txId: number;
  payload: Uint8Array;
}

/** A permission entry `<letter><domid>`: n none, r read, w write, b both. */
export type PermAccess = 'n' | 'r' | 'w' | 'b';
export interface Perm {
  domid: number;
  access: PermAccess;
}

/** Daemon generation whose behaviour the store reproduces (spec README version labels). */
export type XsVersion = '2006' | 'modern';

/** Transaction conflict policy (spec xenstore.md §8.2). */
export type ConflictPolicy = 'global' | 'read-set';

/** Per-domain quotas; apply to unprivileged domains only (spec §6, xenstored domain.c). */
export interface XsQuotas {
  /** nodes owned per domain (default 1000) */
  nodes: number;
  /** node size in bytes: value + permissions + child names (default 2048) */
  nodeSize: number;
  /** watches per connection (default 128) */
  watches: number;
  /** open transactions per connection (default 10) */
  transactions: number;
  /** permission entries per node (default 5) [modern] */
  permissions: number;
  /** path length below the domain home for unprivileged domains (default 2048) [modern] */
  pathMax: number;
  /** nodes touched per transaction (default 1024) [modern] */
  transactionNodes: number;
}

export interface XenStoreOptions {
  version: XsVersion;
  conflictPolicy: ConflictPolicy;
  quotas: XsQuotas;
  /** domid of the domain xenstored runs in; socket clients' relative paths resolve against its home */
  storeDomid: number;
  /**
   * [modern] xenstored -K: on RELEASE, nodes owned by the released domain are handed to dom0 instead
   * of being deleted (domain.c domain_tree_remove()). Default false, as the real daemon.
   */
  keepOrphans?: boolean;
}

export type ConnId = number;

/** A connection to the store: one per domain (ring), plus privileged tool sockets. */
export interface ConnInfo {
  id: ConnId;
  domid: number;
  privileged: boolean;
  kind: 'domain' | 'socket';
  /** the connection sent an oversized payload and is no longer served (core.c ignore_connection) */
  ignored?: boolean;
  /** SET_TARGET: the domain whose nodes this connection may treat as its own */
  target?: number | null;
}

/** A node as seen from outside the engine (value as bytes, permissions in list order). */
/**
 * A node as stored, without copies (for drawing the whole tree each frame): the value as a binary
 * string (one character per byte), the permissions and the children's absolute paths. Read it at
 * once; the store may change it with its next request.
 */
export interface NodeView {
  readonly value: string;
  readonly perms: readonly Perm[];
  readonly children: readonly string[];
}

export interface NodeSnapshot {
  path: string;
  value: Uint8Array;
  perms: Perm[];
  children: string[];
  generation: number;
}

/**
 * What an operation did, as data. The engine never calls out: the simulator turns these into
 * trace entries and delivery actions, the server into frames on sockets.
 */
export type XsEffect =
  /** a node was created (old = null) or changed (value or permissions) */
  | { kind: 'node-write'; path: string; old: NodeSnapshot | null; new: NodeSnapshot }
  /** a node was removed (one effect per removed node, parent first) */
  | { kind: 'node-remove'; path: string; old: NodeSnapshot }
  /** a WATCH_EVENT queued for delivery on connection `conn`; `path` is as reported (relative if the watch was) */
  | { kind: 'watch-event'; conn: ConnId; path: string; token: string; watchPath: string }
  | { kind: 'watch-add'; conn: ConnId; path: string; token: string }
  | { kind: 'watch-remove'; conn: ConnId; path: string; token: string }
  | { kind: 'transaction-start'; conn: ConnId; txId: number }
  /**
   * the transaction touched `path` for the first time (transaction.c access_node()): a first access
   * by 'read' puts the node in the read set checked at commit under the 'read-set' policy
   */
  | { kind: 'transaction-access'; conn: ConnId; txId: number; path: string; access: 'read' | 'write' }
  | {
      kind: 'transaction-end';
      conn: ConnId;
      txId: number;
      outcome: 'commit' | 'abort' | 'eagain' | 'reset';
      /** on 'eagain' under the 'read-set' policy: the first node read whose generation changed */
      conflictPath?: string;
      /** the read set and the write set, in first-access order (not on 'reset') */
      reads?: string[];
      writes?: string[];
    }
  | { kind: 'domain-introduced'; domid: number }
  | { kind: 'domain-released'; domid: number };

/**
 * The answer to one request: the reply (null when the connection must be dropped) and its effects.
 * Send order on the requesting connection: its own watch events before the reply, except for WATCH,
 * whose OK goes out before the registration event (xenstored do_watch()).
 */
export interface XsResult {
  reply: XsMsg | null;
  effects: XsEffect[];
}

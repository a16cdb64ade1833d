/**
 * The engine's mutable state and its connection records. Internal: the public face is store.ts.
 */
import type { ConnId, ConnInfo, XenStoreOptions } from './types';
import { domainPath } from './path';
import type { PermList, PermSubject } from './perms';
import { DEFAULT_PERMS } from './perms';
import type { Transaction } from './transaction';
import { Tree } from './tree';
import type { Watch } from './watches';
import { WatchTable } from './watches';

/** A connection (xenstored struct connection): a domain's ring or a tool socket. */
export interface Conn extends PermSubject {
  readonly id: ConnId;
  readonly domid: number;
  readonly privileged: boolean;
  readonly kind: 'domain' | 'socket';
  target: number | null;
  ignored: boolean;
  /** where relative paths resolve; null for a [2006] socket, which cannot use them */
  readonly home: string | null;
  /** this connection's watches in registration order (replaced on change, never changed in place) */
  watches: readonly Watch[];
  /** open transactions by id; NO_TRANSACTIONS while there are none (see openTransaction()) */
  transactions: ReadonlyMap<number, Transaction>;
  nextTxId: number;
  /**
   * memo of relative path → absolute path for this connection (a speed-up only). The answers
   * depend on `home` alone, so the copies of a connection (clone()) share it.
   */
  resolved: Map<string, string>;
}

/** A domain known to the store (xenstored struct domain). */
export interface DomainRec {
  readonly domid: number;
  /** its ring connection; null after the connection was dropped (the domain stays introduced) */
  conn: Conn | null;
  /** cleared by RESUME (domain.c do_resume) */
  shutdown: boolean;
}

export interface StoreState {
  readonly options: XenStoreOptions;
  readonly tree: Tree;
  readonly conns: Map<ConnId, Conn>;
  readonly domains: Map<number, DomainRec>;
  readonly watches: WatchTable;
  /** permissions of `@introduceDomain` / `@releaseDomain` (domain.c dom_introduce_perms…) */
  readonly specialPerms: Map<string, PermList>;
  nextConnId: number;
  /** [2006] 'global' policy: bumped by every change outside a transaction and by every commit */
  changeCount: number;
}

export const SPECIAL_INTRODUCE = '@introduceDomain';
export const SPECIAL_RELEASE = '@releaseDomain';

export function createState(options: XenStoreOptions): StoreState {
  const conns = new Map<ConnId, Conn>();
  return {
    options,
    tree: new Tree(),
    conns,
    domains: new Map(),
    watches: new WatchTable(conns),
    specialPerms: new Map([
      [SPECIAL_INTRODUCE, DEFAULT_PERMS],
      [SPECIAL_RELEASE, DEFAULT_PERMS],
    ]),
    nextConnId: 1,
    changeCount: 0,
  };
}

/**
 * The `transactions` of every connection with none open, shared (copies of a connection need no
 * Map of their own until they open one): never changed, replaced by a new Map instead.
 */
export const NO_TRANSACTIONS: ReadonlyMap<number, Transaction> = new Map();

/** Registers an open transaction under its id. */
export function openTransaction(conn: Conn, tx: Transaction): void {
  if (conn.transactions === NO_TRANSACTIONS) conn.transactions = new Map([[tx.id, tx]]);
  else (conn.transactions as Map<number, Transaction>).set(tx.id, tx);
}

/** Forgets the transaction `id` (if open). */
export function closeTransaction(conn: Conn, id: number): void {
  if (conn.transactions.has(id)) (conn.transactions as Map<number, Transaction>).delete(id);
}

/** core.c new_connection(): a fresh connection with no watches or transactions. */
export function addConn(
  state: StoreState,
  opts: { domid: number; privileged: boolean; kind: 'domain' | 'socket' },
): Conn {
  const { options } = state;
  let home: string | null;
  if (opts.kind === 'domain') home = domainPath(opts.domid);
  else home = options.version === 'modern' ? domainPath(options.storeDomid) : null;
  const conn: Conn = {
    id: state.nextConnId++,
    domid: opts.domid,
    privileged: opts.privileged,
    kind: opts.kind,
    target: null,
    ignored: false,
    home,
    watches: [],
    transactions: NO_TRANSACTIONS,
    nextTxId: 1,
    resolved: new Map(),
  };
  state.conns.set(conn.id, conn);
  return conn;
}

/** Public view of a connection. */
export function connInfo(conn: Conn): ConnInfo {
  return {
    id: conn.id,
    domid: conn.domid,
    privileged: conn.privileged,
    kind: conn.kind,
    ignored: conn.ignored,
    target: conn.target,
  };
}

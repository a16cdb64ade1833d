/**
 * An independent copy of the engine state, cheap enough to take often (the simulator keeps one
 * every few steps to seek in time).
 *
 * What is shared and why that is safe:
 * - the tree: O(1), the path index and the node objects are shared copy-on-write, each tree paying
 *   later for the paths it changes (Tree.fork());
 * - the watch index: O(1) the same way (WatchTable.fork()); watch records name their connection by
 *   id and are immutable, and connections' watch lists are replaced, never changed, so both copies
 *   of a connection share theirs;
 * - node values are strings and permission lists are interned and frozen: immutable by nature;
 * - pre-images and the tree nodes an open transaction refers to: never changed in place;
 * - the per-connection memo of resolved paths: a cache whose answers depend on the connection's
 *   home alone, the same in both copies.
 *
 * Everything else that holds state is copied: connection and domain records, open transactions
 * with their entries and their own node copies, the special `@` permissions, ownership counts,
 * counters and options.
 */
import type { XenStoreOptions } from './types';
import type { Conn, DomainRec, StoreState } from './state';
import { NO_TRANSACTIONS } from './state';
import { Transaction } from './transaction';

function cloneOptions(options: XenStoreOptions): XenStoreOptions {
  return { ...options, quotas: { ...options.quotas } };
}

/**
 * Copies `state`. Connections and transactions are copied once each, whichever record reaches them
 * first, so every reference in the copy (domain → connection, connection → transaction, tree →
 * transaction) points at the copy's own records.
 */
export function cloneState(state: StoreState): StoreState {
  const txs = new Map<Transaction, Transaction>();
  const txCopy = (tx: Transaction): Transaction => {
    let copy = txs.get(tx);
    if (copy === undefined) {
      copy = tx.fork();
      txs.set(tx, copy);
    }
    return copy;
  };

  const conns = new Map<Conn, Conn>();
  const connCopy = (c: Conn): Conn => {
    let copy = conns.get(c);
    if (copy !== undefined) return copy;
    let transactions = NO_TRANSACTIONS;
    if (c.transactions.size !== 0) {
      const own = new Map<number, Transaction>();
      for (const [id, tx] of c.transactions) own.set(id, txCopy(tx));
      transactions = own;
    }
    copy = {
      id: c.id,
      domid: c.domid,
      privileged: c.privileged,
      kind: c.kind,
      target: c.target,
      ignored: c.ignored,
      home: c.home,
      watches: c.watches,
      transactions,
      nextTxId: c.nextTxId,
      resolved: c.resolved,
    };
    conns.set(c, copy);
    return copy;
  };
  const connMap = new Map<number, Conn>();
  for (const [id, c] of state.conns) connMap.set(id, connCopy(c));
  const domains = new Map<number, DomainRec>();
  for (const [domid, d] of state.domains) {
    domains.set(domid, {
      domid: d.domid,
      conn: d.conn === null ? null : connCopy(d.conn),
      shutdown: d.shutdown,
    });
  }
  const tree = state.tree.fork();
  for (const s of state.tree.snapshotters) {
    if (!(s instanceof Transaction)) throw new Error('xenstore: cannot clone a foreign pre-image sink');
    tree.snapshotters.add(txCopy(s));
  }

  return {
    options: cloneOptions(state.options),
    tree,
    conns: connMap,
    domains,
    watches: state.watches.fork(connMap),
    specialPerms: new Map(state.specialPerms),
    nextConnId: state.nextConnId,
    changeCount: state.changeCount,
  };
}

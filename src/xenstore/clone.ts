/**
 * A deep, independent copy of the engine state, cheap enough to take often (the simulator keeps
 * one every few steps to seek in time).
 *
 * What is shared and why that is safe:
 * - tree nodes: the copy gets its own path index but the same node objects, all marked `shared`,
 *   so each tree copies a node before its first change (Tree.fork());
 * - node values are strings and permission lists are interned and frozen: immutable by nature;
 * - pre-images and the tree nodes an open transaction refers to: never changed in place.
 *
 * Everything mutable that holds state is copied: connections, domain records, watch records and the
 * watch index (watches point at their connection), open transactions with their entries and their
 * own node copies, the special `@` permissions, ownership counts, counters and options.
 * The per-connection memo of resolved paths is a cache and starts empty.
 */
import type { XenStoreOptions } from './types';
import type { Conn, DomainRec, StoreState } from './state';
import { Transaction } from './transaction';
import type { Watch } from './watches';

function cloneOptions(options: XenStoreOptions): XenStoreOptions {
  return { ...options, quotas: { ...options.quotas } };
}

/**
 * Copies `state`. Connections, watches and transactions are copied once each, whichever record
 * reaches them first, so every reference in the copy (domain → connection, watch → connection,
 * tree → transaction) points at the copy's own records.
 */
export function cloneState(state: StoreState): StoreState {
  const conns = new Map<Conn, Conn>();
  const watches = new Map<Watch, Watch>();
  const txs = new Map<Transaction, Transaction>();

  const txCopy = (tx: Transaction): Transaction => {
    let copy = txs.get(tx);
    if (copy === undefined) {
      copy = tx.fork();
      txs.set(tx, copy);
    }
    return copy;
  };

  const watchCopy = (w: Watch): Watch => {
    let copy = watches.get(w);
    if (copy === undefined) {
      copy = { conn: connCopy(w.conn), path: w.path, token: w.token, relativeTo: w.relativeTo, seq: w.seq };
      watches.set(w, copy);
    }
    return copy;
  };

  const connCopy = (c: Conn): Conn => {
    let copy = conns.get(c);
    if (copy !== undefined) return copy;
    copy = {
      id: c.id,
      domid: c.domid,
      privileged: c.privileged,
      kind: c.kind,
      target: c.target,
      ignored: c.ignored,
      home: c.home,
      watches: [],
      transactions: new Map(),
      nextTxId: c.nextTxId,
      resolved: new Map(),
    };
    // registered before its watches are copied: they point back at it
    conns.set(c, copy);
    for (const w of c.watches) copy.watches.push(watchCopy(w));
    for (const [id, tx] of c.transactions) copy.transactions.set(id, txCopy(tx));
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
    watches: state.watches.fork(watchCopy),
    specialPerms: new Map(state.specialPerms),
    nextConnId: state.nextConnId,
    changeCount: state.changeCount,
  };
}

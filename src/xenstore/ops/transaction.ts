/**
 * TRANSACTION_START / TRANSACTION_END and the commit (xenstored transaction.c
 * do_transaction_start, do_transaction_end, transaction_fix_domains, finalize_transaction).
 */
import type { XsEffect, XsError } from '../types';
import type { Effects } from '../effects';
import { treePerms } from '../io';
import { NO_GENERATION, snapshotOf } from '../node';
import { OK_PAYLOAD, oneArg, stringToBytes } from '../payload';
import type { Conn, StoreState } from '../state';
import { closeTransaction, openTransaction } from '../state';
import type { TxEntry } from '../transaction';
import { TX_CHECK_GEN, TX_EXACT, TX_FIRE, TX_MODIFIED, Transaction } from '../transaction';
import { fireWatches } from '../watches';
import type { OpResult, Req } from './common';

/** transaction.c do_transaction_start(): ids count up per connection from 1. */
export function doTransactionStart(req: Req): OpResult {
  const { state, conn } = req;
  if (req.tx !== null) return 'EBUSY';
  if (!conn.privileged && conn.transactions.size > state.options.quotas.transactions) return 'ENOSPC';
  let id = conn.nextTxId;
  while (id === 0 || conn.transactions.has(id)) id = (id + 1) >>> 0;
  conn.nextTxId = (id + 1) >>> 0;
  const tx = new Transaction(id, conn.id, state.changeCount);
  openTransaction(conn, tx);
  if (state.options.conflictPolicy === 'global') state.tree.snapshotters.add(tx);
  req.effects.push({ kind: 'transaction-start', conn: conn.id, txId: id });
  return stringToBytes(`${id}\0`);
}

/** [modern] transaction_fix_domains(): no domain may end at or over its nodes quota. */
function checkNodesQuota(state: StoreState, tx: Transaction): XsError | null {
  const delta = new Map<number, number>();
  tx.entries.forEach((e, path) => {
    if ((e.flags & TX_MODIFIED) === 0) return;
    const before = state.tree.get(path);
    if (before !== undefined) delta.set(before.perms.owner, (delta.get(before.perms.owner) ?? 0) - 1);
    if (e.node !== undefined) delta.set(e.node.perms.owner, (delta.get(e.node.perms.owner) ?? 0) + 1);
  });
  for (const [domid, d] of delta) {
    if (state.tree.ownedBy(domid) + d >= state.options.quotas.nodes) return 'ENOSPC';
  }
  return null;
}

/** The first node of the read set whose generation changed since it was read, if any. */
function readSetConflict(state: StoreState, tx: Transaction): string | null {
  const { tree } = state;
  let conflict: string | null = null;
  // forEach, not for…of: no [key, value] pair per entry
  tx.entries.forEach((e, path) => {
    if (conflict !== null || (e.flags & TX_CHECK_GEN) === 0) return;
    const now = tree.get(path);
    const then = e.first;
    const generation = then === undefined ? NO_GENERATION : then.generation;
    if ((now === undefined ? NO_GENERATION : now.generation) !== generation) conflict = path;
  });
  return conflict;
}

/** Writes or removes one changed node of a transaction being applied. */
function applyEntry(state: StoreState, tx: Transaction, path: string, e: TxEntry, effects: Effects): void {
  const { tree } = state;
  const before = tree.get(path);
  // a node a fork of the transaction may see goes into the tree as a copy (the tree stamps it)
  const node = e.node === undefined || tx.owns(e) ? e.node : e.node.clone();
  if (node !== undefined) {
    const changed =
      before === undefined ||
      (e.flags & TX_FIRE) !== 0 ||
      before.value !== node.value ||
      before.perms !== node.perms;
    // the snapshot of `before` is taken before put(): the tree may change it in place
    const old = !changed || before === undefined ? null : snapshotOf(path, before);
    tree.put(path, node, before === undefined ? null : before.perms.owner);
    if (changed) effects.push({ kind: 'node-write', path, old, new: snapshotOf(path, node) });
  } else if (before !== undefined) {
    effects.push({ kind: 'node-remove', path, old: snapshotOf(path, before) });
    tree.drop(path);
  }
}

/**
 * Applies a transaction that passed its checks: changed nodes in first-access order, each with a
 * fresh generation, then the queued watch events in the same order.
 */
function applyTransaction(state: StoreState, tx: Transaction, effects: Effects): void {
  tx.entries.forEach((e, path) => {
    if ((e.flags & TX_MODIFIED) !== 0) applyEntry(state, tx, path, e, effects);
  });
  state.changeCount++;
  const { tree, watches } = state;
  const parentOf = treePerms(state);
  tx.entries.forEach((e, path) => {
    if ((e.flags & TX_FIRE) === 0) return;
    const perms = tree.get(path)?.perms ?? null;
    const oldPerms = e.first === undefined ? null : e.first.perms;
    fireWatches(watches, path, (e.flags & TX_EXACT) !== 0, { perms, oldPerms }, parentOf, effects);
  });
}

/**
 * The transaction-end effect of `tx`, with its read set (nodes first accessed by a read, whose
 * generation the commit checks) and write set (nodes it wrote or removed), in first-access order.
 */
function endEffect(
  conn: Conn,
  tx: Transaction,
  outcome: 'commit' | 'abort' | 'eagain',
  conflictPath?: string,
): XsEffect {
  const reads: string[] = [];
  const writes: string[] = [];
  for (const [path, entry] of tx.entries) {
    const flags = entry.flags;
    if ((flags & TX_CHECK_GEN) !== 0) reads.push(path);
    if ((flags & TX_MODIFIED) !== 0) writes.push(path);
  }
  const e: XsEffect = { kind: 'transaction-end', conn: conn.id, txId: tx.id, outcome, reads, writes };
  if (conflictPath !== undefined) e.conflictPath = conflictPath;
  return e;
}

/** Commits `tx` (already detached from its connection). Returns the error to reply, or null. */
export function commitTransaction(state: StoreState, conn: Conn, tx: Transaction, effects: Effects) {
  const { options } = state;
  let error: XsError | null = tx.failed ? 'ENOMEM' : null;
  if (error === null && options.version === 'modern' && tx.nodeCreated && !conn.privileged) {
    error = checkNodesQuota(state, tx);
  }
  if (error !== null) {
    effects.push(endEffect(conn, tx, 'abort'));
    return error;
  }
  if (options.conflictPolicy === 'global') {
    if (tx.startChange !== state.changeCount) {
      effects.push(endEffect(conn, tx, 'eagain'));
      return 'EAGAIN';
    }
  } else {
    const conflict = readSetConflict(state, tx);
    if (conflict !== null) {
      effects.push(endEffect(conn, tx, 'eagain', conflict));
      return 'EAGAIN';
    }
  }
  effects.push(endEffect(conn, tx, 'commit'));
  applyTransaction(state, tx, effects);
  return null;
}

/** transaction.c do_transaction_end(): `T\0` commits, `F\0` aborts; either way the id is gone. */
export function doTransactionEnd(req: Req): OpResult {
  const { state, conn, tx } = req;
  const arg = oneArg(req.payload);
  if (arg !== 'T' && arg !== 'F') return 'EINVAL';
  if (tx === null) return 'ENOENT';
  closeTransaction(conn, tx.id);
  state.tree.snapshotters.delete(tx);
  if (arg === 'F') {
    req.effects.push({ kind: 'transaction-end', conn: conn.id, txId: tx.id, outcome: 'abort' });
    return OK_PAYLOAD;
  }
  return commitTransaction(state, conn, tx, req.effects) ?? OK_PAYLOAD;
}

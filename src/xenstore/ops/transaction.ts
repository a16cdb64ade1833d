/**
 * TRANSACTION_START / TRANSACTION_END and the commit (xenstored transaction.c
 * do_transaction_start, do_transaction_end, transaction_fix_domains, finalize_transaction).
 */
import type { XsEffect, XsError } from '../types';
import { treePerms } from '../io';
import { NO_GENERATION, snapshotOf } from '../node';
import { OK_PAYLOAD, oneArg, stringToBytes } from '../payload';
import type { Conn, StoreState } from '../state';
import { closeTransaction, openTransaction } from '../state';
import { Transaction } from '../transaction';
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
  for (const [path, e] of tx.entries) {
    if (!e.modified) continue;
    const before = state.tree.get(path);
    if (before !== undefined) delta.set(before.perms.owner, (delta.get(before.perms.owner) ?? 0) - 1);
    if (e.node !== undefined) delta.set(e.node.perms.owner, (delta.get(e.node.perms.owner) ?? 0) + 1);
  }
  for (const [domid, d] of delta) {
    if (state.tree.ownedBy(domid) + d >= state.options.quotas.nodes) return 'ENOSPC';
  }
  return null;
}

/** The first node of the read set whose generation changed since it was read, if any. */
function readSetConflict(state: StoreState, tx: Transaction): string | null {
  for (const [path, e] of tx.entries) {
    if (!e.checkGen) continue;
    const now = state.tree.get(path);
    if ((now === undefined ? NO_GENERATION : now.generation) !== e.generation) return path;
  }
  return null;
}

/**
 * Applies a transaction that passed its checks: changed nodes in first-access order, each with a
 * fresh generation, then the queued watch events in the same order.
 */
function applyTransaction(state: StoreState, tx: Transaction, effects: XsEffect[]): void {
  const { tree } = state;
  for (const [path, e] of tx.entries) {
    if (!e.modified) continue;
    const before = tree.get(path);
    if (e.node !== undefined) {
      const old = before === undefined ? null : snapshotOf(path, before);
      const changed =
        before === undefined || e.fire || before.value !== e.node.value || before.perms !== e.node.perms;
      tree.put(path, e.node, before === undefined ? null : before.perms.owner);
      if (changed) effects.push({ kind: 'node-write', path, old, new: snapshotOf(path, e.node) });
    } else if (before !== undefined) {
      effects.push({ kind: 'node-remove', path, old: snapshotOf(path, before) });
      tree.drop(path);
    }
  }
  state.changeCount++;
  const parentOf = treePerms(state);
  for (const [path, e] of tx.entries) {
    if (!e.fire) continue;
    const perms = tree.get(path)?.perms ?? null;
    fireWatches(state.watches, path, e.exact, { perms, oldPerms: e.oldPerms }, parentOf, effects);
  }
}

/** Commits `tx` (already detached from its connection). Returns the error to reply, or null. */
export function commitTransaction(state: StoreState, conn: Conn, tx: Transaction, effects: XsEffect[]) {
  const end = (outcome: 'commit' | 'abort' | 'eagain', conflictPath?: string): void => {
    const e: XsEffect = { kind: 'transaction-end', conn: conn.id, txId: tx.id, outcome };
    if (conflictPath !== undefined) e.conflictPath = conflictPath;
    effects.push(e);
  };
  const { options } = state;
  let error: XsError | null = tx.failed ? 'ENOMEM' : null;
  if (error === null && options.version === 'modern' && tx.nodeCreated && !conn.privileged) {
    error = checkNodesQuota(state, tx);
  }
  if (error !== null) {
    end('abort');
    return error;
  }
  if (options.conflictPolicy === 'global') {
    if (tx.startChange !== state.changeCount) {
      end('eagain');
      return 'EAGAIN';
    }
  } else {
    const conflict = readSetConflict(state, tx);
    if (conflict !== null) {
      end('eagain', conflict);
      return 'EAGAIN';
    }
  }
  end('commit');
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

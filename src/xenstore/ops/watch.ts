/**
 * WATCH, UNWATCH, RESET_WATCHES (xenstored watch.c do_watch, do_unwatch, core.c
 * do_reset_watches), and the clean-up shared with connection reset and close.
 */
import type { Effects } from '../effects';
import { XENSTORE_REL_PATH_MAX } from '../types';
import { canonicalize, isSpecialPath, isValidNodename } from '../path';
import { OK_PAYLOAD, countStrings, splitStrings } from '../payload';
import type { Conn, StoreState } from '../state';
import { NO_TRANSACTIONS } from '../state';
import { reportedPath } from '../watches';
import type { OpResult, Req } from './common';

/** watch.c conn_delete_all_watches(). */
export function deleteAllWatches(state: StoreState, conn: Conn, effects: Effects): void {
  for (const w of state.watches.removeAll(conn)) {
    effects.push({ kind: 'watch-remove', conn: conn.id, path: w.path, token: w.token });
  }
}

/** transaction.c conn_delete_all_transactions(). */
export function deleteAllTransactions(state: StoreState, conn: Conn, effects: Effects): void {
  for (const tx of conn.transactions.values()) {
    state.tree.snapshotters.delete(tx);
    effects.push({ kind: 'transaction-end', conn: conn.id, txId: tx.id, outcome: 'reset' });
  }
  conn.transactions = NO_TRANSACTIONS;
}

/**
 * watch.c do_watch(): `path\0token\0`. Relative paths are kept relative in events; `@…` names are
 * accepted as they are. EEXIST for a repeated (path, token); over the watch quota E2BIG (what 4.17
 * answers, as 2006 did). The OK is followed by one event for the watched path itself.
 */
export function doWatch(req: Req): OpResult {
  const { state, conn, payload } = req;
  if (countStrings(payload) !== 2) return 'EINVAL';
  const [raw, token] = splitStrings(payload) as [string, string];
  let path: string;
  let relativeTo: string | null = null;
  if (isSpecialPath(raw)) {
    if (raw.length > XENSTORE_REL_PATH_MAX) return 'EINVAL';
    path = raw;
  } else {
    path = canonicalize(raw, conn.home);
    if (!isValidNodename(path, state.options.quotas.pathMax)) return 'EINVAL';
    if (!raw.startsWith('/')) relativeTo = conn.home;
  }
  if (state.watches.find(conn, path, token) !== undefined) return 'EEXIST';
  if (!conn.privileged && conn.watches.length > state.options.quotas.watches) return 'E2BIG';
  const w = state.watches.add(conn, path, token, relativeTo);
  req.effects.push({ kind: 'watch-add', conn: conn.id, path, token });
  req.effects.push({
    kind: 'watch-event',
    conn: conn.id,
    path: reportedPath(w, path),
    token,
    watchPath: path,
  });
  return OK_PAYLOAD;
}

/** watch.c do_unwatch(): removes exactly that (path, token); the path is not validated. */
export function doUnwatch(req: Req): OpResult {
  const { state, conn, payload } = req;
  if (countStrings(payload) !== 2) return 'EINVAL';
  const [raw, token] = splitStrings(payload) as [string, string];
  const w = state.watches.find(conn, canonicalize(raw, conn.home), token);
  if (w === undefined) return 'ENOENT';
  state.watches.remove(w);
  req.effects.push({ kind: 'watch-remove', conn: conn.id, path: w.path, token });
  return OK_PAYLOAD;
}

/** core.c do_reset_watches(): drops every watch and every transaction of the connection. */
export function doResetWatches(req: Req): OpResult {
  deleteAllWatches(req.state, req.conn, req.effects);
  deleteAllTransactions(req.state, req.conn, req.effects);
  return OK_PAYLOAD;
}

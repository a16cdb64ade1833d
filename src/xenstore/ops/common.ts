/**
 * What every operation handler receives, and the lookups they share: path resolution, get_node()
 * with its permission check, and the ENOENT/EACCES masking of errno_from_parents().
 */
import type { XsError } from '../types';
import type { Effects } from '../effects';
import type { NodeIO } from '../io';
import type { XsNode } from '../node';
import { canonicalize, getParent } from '../path';
import { permForConn } from '../perms';
import type { Conn, StoreState } from '../state';
import type { Transaction } from '../transaction';

/** One request being handled. */
export interface Req {
  readonly state: StoreState;
  readonly conn: Conn;
  readonly payload: Uint8Array;
  readonly io: NodeIO;
  /** the transaction named by the header's tx_id (null: none, or a type that ignores it) */
  readonly tx: Transaction | null;
  /** effects of this request, in order */
  readonly effects: Effects;
}

/** A handler's answer: the success payload, or an error name for an ERROR reply. */
export type OpResult = Uint8Array | XsError;

export type Handler = (req: Req) => OpResult;

const RESOLVED_MEMO_SIZE = 256;

/** The request path resolved for this connection (core.c canonicalize()). */
export function resolve(req: Req, path: string): string {
  const c = path.charCodeAt(0);
  if (c === 0x2f || c === 0x40) return path;
  const memo = req.conn.resolved;
  let abs = memo.get(path);
  if (abs === undefined) {
    abs = canonicalize(path, req.conn.home);
    if (memo.size >= RESOLVED_MEMO_SIZE) memo.clear();
    memo.set(path, abs);
  }
  return abs;
}

/**
 * core.c ask_parents() + errno_from_parents(): after a failed lookup, the nearest existing
 * ancestor decides. If the caller has none of the `perm` bits on it, the answer is EACCES so that
 * existence does not leak; otherwise `errnum` stands.
 */
export function errnoFromParents(req: Req, path: string, errnum: XsError, perm: number): XsError {
  const { io } = req;
  let p = path;
  let node: XsNode | undefined;
  do {
    p = getParent(p);
    node = io.read(p);
    const err = io.takeError();
    if (err !== null) return err;
    if (node !== undefined) break;
  } while (p !== '/');
  if (node === undefined) return 'EACCES';
  return (permForConn(req.conn, node.perms) & perm) !== 0 ? errnum : 'EACCES';
}

/**
 * core.c get_node(): the node at canonical `path` if the caller holds all `perm` bits on it;
 * else EINVAL (bad name), or ENOENT/EACCES as errno_from_parents() decides.
 */
export function getNode(req: Req, path: string, perm: number): XsNode | XsError {
  const node = req.io.lookup(path, req.state.options.quotas.pathMax);
  if (typeof node === 'string') return node;
  let errnum: XsError = 'ENOENT';
  if (node !== undefined) {
    if ((permForConn(req.conn, node.perms) & perm) === perm) return node;
    errnum = 'EACCES';
  }
  return errnoFromParents(req, path, errnum, perm);
}

/** A node that failed the node-size quota inside a transaction makes the commit fail (ENOMEM). */
export function failTransaction(req: Req): void {
  if (req.tx !== null) req.tx.failed = true;
}

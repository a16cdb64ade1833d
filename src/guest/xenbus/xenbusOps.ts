/**
 * The exported xenbus_* helpers drivers call (xenbus_read, xenbus_write, …) as request builders,
 * plus the small parsers for their answers. Each returns what xsSend() returns.
 */
import { XsType } from '../../xenstore';
import { xsSend } from './requests';
import type { XenbusClientState, XenbusResult } from './types';

/** xenbus_xs.c join(): `dir/name`, or `dir` when name is empty. */
export function joinPath(dir: string, name: string): string {
  return name.length === 0 ? dir : `${dir}/${name}`;
}

type S<K> = XenbusClientState<K, unknown>;

/** xenbus_xs.c xenbus_read(). */
export function xenbusRead<K>(state: S<K>, txId: number, dir: string, node: string, k: K) {
  return xsSend(state, { type: XsType.READ, args: [joinPath(dir, node)], txId }, k);
}

/** xenbus_xs.c xenbus_write(): path and value (the value travels without a NUL). */
export function xenbusWrite<K>(state: S<K>, txId: number, dir: string, node: string, value: string, k: K) {
  return xsSend(state, { type: XsType.WRITE, args: [joinPath(dir, node), value], txId }, k);
}

/** xenbus_xs.c xenbus_directory(). */
export function xenbusDirectory<K>(state: S<K>, txId: number, dir: string, node: string, k: K) {
  return xsSend(state, { type: XsType.DIRECTORY, args: [joinPath(dir, node)], txId }, k);
}

/** xenbus_xs.c xenbus_mkdir(). */
export function xenbusMkdir<K>(state: S<K>, txId: number, dir: string, node: string, k: K) {
  return xsSend(state, { type: XsType.MKDIR, args: [joinPath(dir, node)], txId }, k);
}

/** xenbus_xs.c xenbus_rm(). */
export function xenbusRm<K>(state: S<K>, txId: number, dir: string, node: string, k: K) {
  return xsSend(state, { type: XsType.RM, args: [joinPath(dir, node)], txId }, k);
}

/** xenbus_xs.c xenbus_transaction_start(): always sent with XBT_NIL. */
export function xenbusTransactionStart<K>(state: S<K>, k: K) {
  return xsSend(state, { type: XsType.TRANSACTION_START, args: [''], txId: 0 }, k);
}

/** xenbus_xs.c xenbus_transaction_end(): "T" commits, "F" (abort) discards. */
export function xenbusTransactionEnd<K>(state: S<K>, txId: number, abort: boolean, k: K) {
  return xsSend(state, { type: XsType.TRANSACTION_END, args: [abort ? 'F' : 'T'], txId }, k);
}

/** The transaction id from a TRANSACTION_START answer (simple_strtoul), or null on error. */
export function getTransactionId(result: XenbusResult): number | null {
  if (!result.ok) return null;
  const id = Number.parseInt(result.value, 10);
  return Number.isFinite(id) ? id >>> 0 : null;
}

/** The child names from a DIRECTORY answer (xenbus_xs.c split()). */
export function getDirectoryNames(result: XenbusResult): string[] {
  return result.ok ? result.strings : [];
}

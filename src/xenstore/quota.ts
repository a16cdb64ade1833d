/**
 * Quota arithmetic (xenstored domain.c and core.c write_node_raw()). Quotas bind unprivileged
 * connections only; the comparison operators are the real daemon's, including its off-by-one on
 * watches and transactions (4.17 lets a domain open quota + 1 of each; seen on the wire).
 */
import type { XsQuotas, XsVersion } from './types';
import type { XsNode } from './node';
import type { PermList } from './perms';

/** Record header size: [modern] struct xs_tdb_record_hdr (24), [2006] three uint32 (12). */
export function recordHeaderSize(version: XsVersion): number {
  return version === 'modern' ? 24 : 12;
}

/** Bytes of a node's child list as stored: each name plus its NUL. */
export function childListSize(path: string, node: XsNode): number {
  const c = node.children;
  if (c.length === 0) return 0;
  const prefix = path === '/' ? 0 : path.length;
  let total = 0;
  for (let i = 0; i < c.length; i++) total += (c[i] as string).length - prefix;
  return total;
}

/** core.c write_node_raw(): header + 8 bytes per permission + value + child list. */
export function recordSize(
  version: XsVersion,
  perms: PermList,
  valueLength: number,
  childBytes: number,
): number {
  return recordHeaderSize(version) + 8 * perms.entries.length + valueLength + childBytes;
}

/** The node-size quota: ENOSPC when the record reaches the limit. */
export function exceedsNodeSize(quotas: XsQuotas, size: number): boolean {
  return size >= quotas.nodeSize;
}

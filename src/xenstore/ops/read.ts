/**
 * The read-only node operations: READ, DIRECTORY, GET_PERMS, DIRECTORY_PART (xenstored core.c
 * do_read, send_directory, do_get_perms, send_directory_part).
 */
import { XENSTORE_PAYLOAD_MAX } from '../types';
import { atoi } from '../path';
import {
  EMPTY_PAYLOAD,
  binaryToBytes,
  countStrings,
  joinStrings,
  oneArg,
  splitStrings,
  stringToBytes,
} from '../payload';
import type { XsNode } from '../node';
import type { PermList } from '../perms';
import { PERM_READ, formatPerms } from '../perms';
import type { OpResult, Req } from './common';
import { getNode, resolve } from './common';

/** Child names of `parent` as NUL-terminated strings, written straight from the children's paths. */
export function childListPayload(
  parent: string,
  children: readonly string[],
  from = 0,
  to = children.length,
) {
  const prefix = parent === '/' ? 1 : parent.length + 1;
  let total = 0;
  for (let i = from; i < to; i++) total += (children[i] as string).length - prefix + 1;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = from; i < to; i++) {
    const c = children[i] as string;
    for (let j = prefix; j < c.length; j++) out[at++] = c.charCodeAt(j);
    at++;
  }
  return out;
}

/** core.c do_read(): the value's bytes, no NUL added. */
export function doRead(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null) return 'EINVAL';
  const node = getNode(req, resolve(req, arg), PERM_READ);
  if (typeof node === 'string') return node;
  return binaryToBytes(node.value);
}

/**
 * Encoded child lists of committed nodes, valid while the node keeps its generation (any change
 * of the children rewrites the node, which takes a new generation). Replies share them: read-only.
 */
const childListCache = new WeakMap<XsNode, { generation: number; payload: Uint8Array }>();

/** core.c send_directory(): child names in creation order; E2BIG past the payload limit. */
export function doDirectory(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null) return 'EINVAL';
  const path = resolve(req, arg);
  const node = getNode(req, path, PERM_READ);
  if (typeof node === 'string') return node;
  // a leaf: the empty list, shared (most listings are of leaves, each with its own generation)
  if (node.children.length === 0) return EMPTY_PAYLOAD;
  let out: Uint8Array;
  if (req.tx !== null) out = childListPayload(path, node.children);
  else {
    const cached = childListCache.get(node);
    if (cached !== undefined && cached.generation === node.generation) out = cached.payload;
    else {
      out = childListPayload(path, node.children);
      childListCache.set(node, { generation: node.generation, payload: out });
    }
  }
  return out.length > XENSTORE_PAYLOAD_MAX ? 'E2BIG' : out;
}

const permsPayloads = new WeakMap<PermList, Uint8Array>();

/** core.c do_get_perms(): `<letter><domid>\0` per entry (cached per interned list: read-only). */
export function doGetPerms(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null) return 'EINVAL';
  const node = getNode(req, resolve(req, arg), PERM_READ);
  if (typeof node === 'string') return node;
  let out = permsPayloads.get(node.perms);
  if (out === undefined) {
    out = joinStrings(formatPerms(node.perms));
    permsPayloads.set(node.perms, out);
  }
  return out;
}

/**
 * core.c send_directory_part() [modern]: `<generation>\0` then as many whole child names from byte
 * offset `off` of the child list as fit, and a final empty string once the list is complete.
 */
export function doDirectoryPart(req: Req): OpResult {
  if (countStrings(req.payload) !== 2) return 'EINVAL';
  const [arg, offArg] = splitStrings(req.payload) as [string, string];
  const path = resolve(req, arg);
  const node = getNode(req, path, PERM_READ);
  if (typeof node === 'string') return node;
  const list = childListPayload(path, node.children);
  const off = atoi(offArg);
  const gen = stringToBytes(`${node.generation}\0`);
  if (off >= list.length) {
    const out = new Uint8Array(gen.length + 1);
    out.set(gen);
    return out;
  }
  const maxLen = XENSTORE_PAYLOAD_MAX - gen.length - 1;
  let len = 0;
  for (;;) {
    let end = off + len;
    while (list[end] !== 0) end++;
    const nameLen = end - (off + len);
    if (len + nameLen >= maxLen) break;
    len += nameLen + 1;
    if (off + len === list.length) break;
  }
  const complete = off + len === list.length;
  const out = new Uint8Array(gen.length + len + (complete ? 1 : 0));
  out.set(gen);
  out.set(list.subarray(off, off + len), gen.length);
  return out;
}

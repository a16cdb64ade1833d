/**
 * RM: recursive removal (xenstored core.c do_rm, rm_node, delnode_sub).
 *
 * The subtree is walked depth-first, children in creation order; nodes are read on the way down
 * (so a transaction's read set holds the whole subtree) and deleted on the way back up. Each
 * deletion fires watches at once: descendants fire only watches placed exactly on them, the
 * removed node fires watches on itself and its ancestors. So the event order is post-order with
 * the removed node last, as seen on the real daemon.
 */
import type { XsError } from '../types';
import { Effects } from '../effects';
import type { NodeIO } from '../io';
import type { XsNode } from '../node';
import { snapshotOf } from '../node';
import { getParent } from '../path';
import { OK_PAYLOAD, oneArg } from '../payload';
import type { PermList } from '../perms';
import { PERM_WRITE } from '../perms';
import type { OpResult, Req } from './common';
import { getNode, resolve } from './common';

/**
 * core.c rm_node(): removes `path` (existing, not the root) and its subtree, then unlinks it from
 * its parent. Appends node-remove effects (parent first, outside transactions) then watch events.
 * Returns EIO when the parent does not list the node (delete_child(): "Can't find child"), which
 * happens inside a transaction whose copy of the parent predates the node; null on success.
 */
export function rmNode(io: NodeIO, path: string, node: XsNode, effects: Effects): XsError | null {
  const parentPath = getParent(path);
  const parent = io.read(parentPath);
  // a transaction whose copy of the parent predates it: "no parent" (rm_node() answers EINVAL)
  if (parent === undefined) return io.takeError() ?? 'EINVAL';
  const removed = new Effects();
  const events = new Effects();
  const global = io.tx === null;

  const walk = (p: string, n: XsNode, parentPerms: PermList): void => {
    if (global) removed.push({ kind: 'node-remove', path: p, old: snapshotOf(p, n) });
    for (const c of n.children) {
      const child = io.read(c);
      if (child !== undefined) walk(c, child, n.perms);
    }
    io.drop(p);
    io.fire(p, p !== path, { perms: n.perms, parentPerms, oldPerms: null }, events);
  };
  walk(path, node, parent.perms);

  effects.append(removed);
  effects.append(events);
  if (!parent.children.includes(path)) return 'EIO';
  const p = io.edit(parentPath, parent);
  p.removeChild(path);
  io.put(parentPath, p, p.perms.owner);
  return null;
}

/** core.c do_rm(): removing an absent node is fine if its parent exists; `/` cannot go. */
export function doRm(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null) return 'EINVAL';
  const path = resolve(req, arg);
  const found = getNode(req, path, PERM_WRITE);
  if (typeof found === 'string') {
    if (found !== 'ENOENT') return found;
    const parent = req.io.read(getParent(path));
    const err = req.io.takeError();
    if (err !== null) return err;
    return parent === undefined ? 'ENOENT' : OK_PAYLOAD;
  }
  if (path === '/') return 'EINVAL';
  return rmNode(req.io, path, found, req.effects) ?? OK_PAYLOAD;
}

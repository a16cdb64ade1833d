/**
 * WRITE and MKDIR, and node creation with its missing ancestors (xenstored core.c do_write,
 * do_mkdir, create_node, construct_node).
 */
import type { XsError } from '../types';
import { NO_CHILDREN, XsNode, snapshotOf } from '../node';
import { childName, getParent } from '../path';
import { OK_PAYLOAD, bytesToBinary, decodeName, firstNul, oneArg } from '../payload';
import type { PermList } from '../perms';
import { PERM_WRITE, withOwner } from '../perms';
import { childListSize, exceedsNodeSize, recordSize } from '../quota';
import type { OpResult, Req } from './common';
import { failTransaction, getNode, resolve } from './common';

/**
 * core.c create_node(): creates `path` with `value`, and every missing ancestor with an empty
 * value. New nodes copy the nearest existing ancestor's permissions; an unprivileged creator
 * becomes their owner. Checks the nodes and node-size quotas bottom-up as the daemon writes.
 */
export function createNode(req: Req, path: string, value: string): XsNode | XsError {
  const { io, conn, state } = req;
  const { quotas, version } = state.options;

  // construct_node(): walk up to the first existing ancestor; names[0] is `path` itself. Most
  // creations miss one node only: the list is built when a second one is missing.
  let names: string[] | null = null;
  let parentPath = getParent(path);
  let parent = io.read(parentPath);
  while (parent === undefined) {
    const err = io.takeError();
    if (err !== null) return err;
    if (parentPath === '/') return 'ENOENT';
    if (names === null) names = [path];
    names.push(parentPath);
    parentPath = getParent(parentPath);
    parent = io.read(parentPath);
  }
  if (req.tx !== null) req.tx.nodeCreated = true;

  const perms = conn.privileged ? parent.perms : withOwner(parent.perms, conn.domid);
  if (names === null) return createOne(req, path, value, perms, parentPath, parent);
  const top = names[names.length - 1] as string;
  if (!conn.privileged) {
    const owned = state.tree.ownedBy(conn.domid);
    for (let i = 0; i < names.length; i++) {
      if (owned + i >= quotas.nodes) return 'ENOSPC';
      const below = i === 0 ? null : (names[i - 1] as string);
      const childBytes = below === null ? 0 : childName(names[i] as string, below).length + 1;
      if (exceedsNodeSize(quotas, recordSize(version, perms, i === 0 ? value.length : 0, childBytes))) {
        failTransaction(req);
        return 'ENOSPC';
      }
    }
    if (parentOutgrows(req, parentPath, parent, top)) {
      failTransaction(req);
      return 'ENOSPC';
    }
  }

  // Build top-down, store bottom-up (the daemon's write order, hence its generation order).
  const created: XsNode[] = [];
  for (let i = 0; i < names.length; i++) {
    const below = i === 0 ? NO_CHILDREN : [names[i - 1] as string];
    created.push(new XsNode(i === 0 ? value : '', perms, below, 0));
  }
  const p = io.edit(parentPath, parent);
  p.addChild(top);
  for (let i = 0; i < names.length; i++) io.put(names[i] as string, created[i] as XsNode, null);
  io.put(parentPath, p, p.perms.owner);
  if (req.tx === null) {
    for (let i = names.length - 1; i >= 0; i--) {
      const name = names[i] as string;
      req.effects.push({
        kind: 'node-write',
        path: name,
        old: null,
        new: snapshotOf(name, created[i] as XsNode),
      });
    }
  }
  return created[0] as XsNode;
}

/** Whether the parent's record would exceed the node size quota with `child` added to its list. */
function parentOutgrows(req: Req, parentPath: string, parent: XsNode, child: string): boolean {
  const { quotas, version } = req.state.options;
  const grown = childListSize(parentPath, parent) + childName(parentPath, child).length + 1;
  return exceedsNodeSize(quotas, recordSize(version, parent.perms, parent.value.length, grown));
}

/** createNode() when only `path` itself is missing: the same checks and writes, for one node. */
function createOne(
  req: Req,
  path: string,
  value: string,
  perms: PermList,
  parentPath: string,
  parent: XsNode,
): XsNode | XsError {
  const { io, conn, state } = req;
  const { quotas, version } = state.options;
  if (!conn.privileged) {
    if (state.tree.ownedBy(conn.domid) >= quotas.nodes) return 'ENOSPC';
    if (exceedsNodeSize(quotas, recordSize(version, perms, value.length, 0))) {
      failTransaction(req);
      return 'ENOSPC';
    }
    if (parentOutgrows(req, parentPath, parent, path)) {
      failTransaction(req);
      return 'ENOSPC';
    }
  }
  const created = new XsNode(value, perms, NO_CHILDREN, 0);
  const p = io.edit(parentPath, parent);
  p.addChild(path);
  io.put(path, created, null);
  io.put(parentPath, p, p.perms.owner);
  if (req.tx === null) {
    req.effects.push({ kind: 'node-write', path, old: null, new: snapshotOf(path, created) });
  }
  return created;
}

/** core.c do_write(): `path\0value`; creates or replaces, and always fires watches. */
export function doWrite(req: Req): OpResult {
  const { payload, io, state } = req;
  const nul = firstNul(payload);
  if (nul < 0) return 'EINVAL';
  const path = resolve(req, decodeName(payload, 0, nul));
  const value = bytesToBinary(payload, nul + 1, payload.length);
  const found = getNode(req, path, PERM_WRITE);
  let node: XsNode;
  if (typeof found === 'string') {
    if (found !== 'ENOENT') return found;
    const created = createNode(req, path, value);
    if (typeof created === 'string') return created;
    node = created;
  } else {
    const { quotas, version } = state.options;
    if (
      !req.conn.privileged &&
      exceedsNodeSize(quotas, recordSize(version, found.perms, value.length, childListSize(path, found)))
    ) {
      failTransaction(req);
      return 'ENOSPC';
    }
    const old = req.tx === null ? snapshotOf(path, found) : null;
    node = io.edit(path, found);
    node.value = value;
    io.put(path, node, node.perms.owner);
    if (old !== null) req.effects.push({ kind: 'node-write', path, old, new: snapshotOf(path, node) });
  }
  io.fire(path, false, { perms: node.perms, oldPerms: null }, req.effects);
  return OK_PAYLOAD;
}

/** core.c do_mkdir(): an existing node is fine (and fires nothing); else create it. */
export function doMkdir(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null) return 'EINVAL';
  const path = resolve(req, arg);
  const found = getNode(req, path, PERM_WRITE);
  if (typeof found !== 'string') return OK_PAYLOAD;
  if (found !== 'ENOENT') return found;
  const created = createNode(req, path, '');
  if (typeof created === 'string') return created;
  req.io.fire(path, false, { perms: created.perms, oldPerms: null }, req.effects);
  return OK_PAYLOAD;
}

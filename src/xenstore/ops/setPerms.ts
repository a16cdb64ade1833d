/**
 * SET_PERMS (xenstored core.c do_set_perms, domain.c set_perms_special).
 */
import type { Perm, XsError } from '../types';
import { snapshotOf } from '../node';
import { isSpecialPath } from '../path';
import { OK_PAYLOAD, countStrings, splitStrings } from '../payload';
import type { PermList } from '../perms';
import { PERM_OWNER, PERM_WRITE, internedList, parsePerm, permForConn, permList } from '../perms';
import { childListSize, exceedsNodeSize, recordSize } from '../quota';
import type { OpResult, Req } from './common';
import { failTransaction, getNode, resolve } from './common';

const WRITE_OWNER = PERM_WRITE | PERM_OWNER;

/** xen.h DOMID_FIRST_RESERVED: no domain can have this id or a higher one. */
const DOMID_FIRST_RESERVED = 0x7ff0;

/** The list of strings[from…] (the permission entries of the payload), or null if one is malformed. */
function parseList(strings: readonly string[], from: number): PermList | null {
  const known = internedList(strings, from);
  if (known !== undefined) return known;
  const entries: Perm[] = [];
  for (let i = from; i < strings.length; i++) {
    const p = parsePerm(strings[i] as string);
    if (p === null) return null;
    entries.push(p);
  }
  return permList(entries);
}

/**
 * domain.c set_perms_special(): `@introduceDomain` / `@releaseDomain` carry permissions too. For an
 * unknown `@` name or a caller without write+owner the daemon returns a stale errno (EAGAIN was
 * seen); the engine answers EINVAL and EACCES.
 */
function setPermsSpecial(req: Req, name: string, perms: PermList): XsError | null {
  const current = req.state.specialPerms.get(name);
  if (current === undefined) return 'EINVAL';
  if ((permForConn(req.conn, current) & WRITE_OWNER) !== WRITE_OWNER) return 'EACCES';
  req.state.specialPerms.set(name, perms);
  return null;
}

/**
 * core.c do_set_perms(): `path\0perm\0…`. Needs write and ownership; [modern] an unprivileged
 * owner may not give the node away (EPERM) nor list more than the `permissions` quota (ENOSPC).
 * Fires watches as a write does, with the old permissions also allowing delivery.
 */
export function doSetPerms(req: Req): OpResult {
  const { state, conn, io } = req;
  const modern = state.options.version === 'modern';
  const count = countStrings(req.payload);
  if (count < 2) return 'EINVAL';
  // strings[0] is the path, the rest the permission entries
  const strings = splitStrings(req.payload);
  const rawPath = strings[0] as string;
  if (modern && !conn.privileged && strings.length - 1 > state.options.quotas.permissions) return 'ENOSPC';

  let perms: PermList | null = null;
  if (modern) {
    perms = parseList(strings, 1);
    if (perms === null) return 'EINVAL';
    if (isSpecialPath(rawPath)) return setPermsSpecial(req, rawPath, perms) ?? OK_PAYLOAD;
  }

  const path = resolve(req, rawPath);
  const found = getNode(req, path, WRITE_OWNER);
  if (typeof found === 'string') return found;
  if (perms === null) {
    // [2006] parsed the list only after finding the node (xenstored_core.c of the time)
    perms = parseList(strings, 1);
    if (perms === null) return 'EINVAL';
  }
  if (modern && !conn.privileged && perms.owner !== found.perms.owner) return 'EPERM';
  // [modern] domain_alloc_permrefs(): the new owner must be a domain that can exist; other entries
  // may name any domid (they are kept and simply never match).
  if (modern && perms.owner >= DOMID_FIRST_RESERVED) return 'ENOENT';
  const { quotas, version } = state.options;
  if (
    !conn.privileged &&
    exceedsNodeSize(quotas, recordSize(version, perms, found.value.length, childListSize(path, found)))
  ) {
    failTransaction(req);
    return 'ENOSPC';
  }

  const oldPerms = found.perms;
  const old = req.tx === null ? snapshotOf(path, found) : null;
  const node = io.edit(path, found);
  node.perms = perms;
  io.put(path, node, oldPerms.owner);
  if (old !== null) req.effects.push({ kind: 'node-write', path, old, new: snapshotOf(path, node) });
  io.fire(path, false, { perms, oldPerms }, req.effects);
  return OK_PAYLOAD;
}

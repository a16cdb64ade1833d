/**
 * Domain management: INTRODUCE, RELEASE, GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED, RESUME,
 * SET_TARGET (xenstored domain.c), and the introduce/release logic the public API shares.
 */
import type { Effects } from '../effects';
import type { NodeIO } from '../io';
import type { XsNode } from '../node';
import { atoi, domainPath } from '../path';
import { OK_PAYLOAD, countStrings, oneArg, splitStrings, stringToBytes } from '../payload';
import { withOwner } from '../perms';
import type { Conn, DomainRec, StoreState } from '../state';
import { SPECIAL_INTRODUCE, SPECIAL_RELEASE, addConn } from '../state';
import { fireSpecial } from '../watches';
import type { OpResult, Req } from './common';
import { rmNode } from './rm';
import { deleteAllTransactions, deleteAllWatches } from './watch';

/** DOMID_FIRST_RESERVED: domids from here on are not domains (DOMID_SELF is 0x7FF0). */
export const DOMID_FIRST_RESERVED = 0x7ff0;
export const DOMID_SELF = 0x7ff0;

/** core.c ignore_connection() / domain_conn_reset(): the connection loses watches and transactions. */
export function resetConn(state: StoreState, conn: Conn, effects: Effects): void {
  deleteAllWatches(state, conn, effects);
  deleteAllTransactions(state, conn, effects);
}

/** Special-event permissions, or null where [2006] delivered to every watcher. */
function specialPermsFor(state: StoreState, name: string) {
  return state.options.version === 'modern' ? (state.specialPerms.get(name) ?? null) : null;
}

/**
 * domain.c introduce_domain(): a new domain gets a ring connection and `@introduceDomain` fires
 * (not for the store's own domain); introducing it again resets its connection and fires nothing.
 */
export function introduce(state: StoreState, domid: number, effects: Effects): Conn {
  let dom = state.domains.get(domid);
  if (dom !== undefined && dom.conn !== null) {
    dom.conn.ignored = false;
    resetConn(state, dom.conn, effects);
    return dom.conn;
  }
  const conn = addConn(state, { domid, privileged: domid === 0, kind: 'domain' });
  if (dom === undefined) {
    dom = { domid, conn, shutdown: false };
    state.domains.set(domid, dom);
    effects.push({ kind: 'domain-introduced', domid });
    if (domid !== state.options.storeDomid) {
      fireSpecial(state.watches, SPECIAL_INTRODUCE, specialPermsFor(state, SPECIAL_INTRODUCE), effects);
    }
  } else dom.conn = conn;
  return conn;
}

/**
 * domain.c domain_tree_remove() [modern]: nodes owned by a released domain are deleted with their
 * subtrees (firing watches as RM does), or with -K handed to dom0. Walks the tree depth-first.
 */
function removeOrphans(state: StoreState, io: NodeIO, domid: number, effects: Effects): void {
  const { tree } = state;
  const visit = (path: string, node: XsNode): void => {
    if (tree.ownedBy(domid) === 0) return;
    if (path !== '/' && node.perms.owner === domid) {
      if (!state.options.keepOrphans) {
        rmNode(io, path, node, effects);
        return;
      }
      const n = tree.edit(path, node);
      n.perms = withOwner(n.perms, 0);
      tree.put(path, n, domid);
    }
    for (const c of node.children.slice()) {
      const child = tree.get(c);
      if (child !== undefined) visit(c, child);
    }
  };
  visit('/', tree.get('/') as XsNode);
}

/** domain.c do_release(): the domain's connection goes, its nodes are cleaned up, `@releaseDomain` fires. */
export function release(state: StoreState, io: NodeIO, dom: DomainRec, effects: Effects): void {
  if (dom.conn !== null) {
    resetConn(state, dom.conn, effects);
    state.conns.delete(dom.conn.id);
  }
  state.domains.delete(dom.domid);
  if (state.options.version === 'modern') removeOrphans(state, io, dom.domid, effects);
  effects.push({ kind: 'domain-released', domid: dom.domid });
  fireSpecial(state.watches, SPECIAL_RELEASE, specialPermsFor(state, SPECIAL_RELEASE), effects);
}

/** domain.c do_introduce(): `domid\0gfn\0evtchn\0`. */
export function doIntroduce(req: Req): OpResult {
  if (countStrings(req.payload) < 3) return 'EINVAL';
  const domid = atoi(splitStrings(req.payload)[0] as string);
  if (domid >= DOMID_FIRST_RESERVED) return 'EINVAL';
  introduce(req.state, domid, req.effects);
  return OK_PAYLOAD;
}

/**
 * domain.c find_connected_domain(): ENOENT for a domain the store does not know. (The daemon keeps
 * a record for every domid named in a permission list and answers EINVAL for those; the engine
 * keeps records of introduced domains only.)
 */
function connectedDomain(req: Req, arg: string): DomainRec | 'ENOENT' {
  return req.state.domains.get(atoi(arg)) ?? 'ENOENT';
}

/** domain.c do_release(): dom0 cannot be released (EINVAL). */
export function doRelease(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null || atoi(arg) === 0) return 'EINVAL';
  const dom = connectedDomain(req, arg);
  if (dom === 'ENOENT') return dom;
  release(req.state, req.io, dom, req.effects);
  return OK_PAYLOAD;
}

/** domain.c do_get_domain_path(): pure formatting, any domid. */
export function doGetDomainPath(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null) return 'EINVAL';
  return stringToBytes(`${domainPath(atoi(arg))}\0`);
}

/** domain.c do_is_domain_introduced(): `T` or `F` (DOMID_SELF is always `T`). */
export function doIsDomainIntroduced(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null) return 'EINVAL';
  const domid = atoi(arg);
  return stringToBytes(domid === DOMID_SELF || req.state.domains.has(domid) ? 'T\0' : 'F\0');
}

/** domain.c do_resume(): re-arms `@releaseDomain` for a domain after suspend. */
export function doResume(req: Req): OpResult {
  const arg = oneArg(req.payload);
  if (arg === null) return 'EINVAL';
  const dom = connectedDomain(req, arg);
  if (dom === 'ENOENT') return dom;
  dom.shutdown = false;
  return OK_PAYLOAD;
}

/** domain.c do_set_target(): `domid\0target\0`; the domain then acts with the target's rights. */
export function doSetTarget(req: Req): OpResult {
  if (countStrings(req.payload) < 2) return 'EINVAL';
  const [a, b] = splitStrings(req.payload) as [string, string];
  const dom = connectedDomain(req, a);
  if (dom === 'ENOENT') return dom;
  const target = connectedDomain(req, b);
  if (target === 'ENOENT') return target;
  if (dom.conn !== null) dom.conn.target = target.domid;
  return OK_PAYLOAD;
}

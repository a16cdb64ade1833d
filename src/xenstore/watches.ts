/**
 * Watches: registration, an index by watched path, and event generation (xenstored watch.c).
 *
 * Matching never scans all watches: a change of X looks up X and each of its ancestors in an
 * index (a watch on P fires for X iff P is X, an ancestor of X, or `/`), so a write costs one Map
 * lookup per path level whatever the number of watches. The ancestor index is keyed by a hash of
 * the path computed in one pass over X, so no prefix string is built.
 */
import type { ConnId, XsEffect } from './types';
import { getParent, isSpecialPath } from './path';
import type { PermList } from './perms';
import { PERM_READ, permForConn } from './perms';
import type { Conn } from './state';

export interface Watch {
  readonly conn: Conn;
  /** canonical (absolute or `@…`) watched path */
  readonly path: string;
  readonly token: string;
  /** home the client's relative path was resolved against; events are reported relative to it */
  readonly relativeTo: string | null;
  /** registration order across the store, for event ordering within one connection */
  readonly seq: number;
}

/** FNV-1a over char codes, folded to a small integer (a V8 Smi). */
function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}
const HASH_SEED = 0x811c9dc5;
const HASH_MASK = 0x3fffffff;

function pathHash(path: string): number {
  let h = HASH_SEED;
  for (let i = 0; i < path.length; i++) h = hashStep(h, path.charCodeAt(i));
  return h & HASH_MASK;
}

export class WatchTable {
  private readonly byPath = new Map<string, Watch[]>();
  /** the same watches, keyed by pathHash() of their path (collisions share a list) */
  private readonly byHash = new Map<number, Watch[]>();
  private seq = 0;

  /** watch.c add_watch(): appended to the connection's list. */
  add(conn: Conn, path: string, token: string, relativeTo: string | null): Watch {
    const w: Watch = { conn, path, token, relativeTo, seq: this.seq++ };
    conn.watches.push(w);
    const list = this.byPath.get(path);
    if (list === undefined) this.byPath.set(path, [w]);
    else list.push(w);
    const h = pathHash(path);
    const same = this.byHash.get(h);
    if (same === undefined) this.byHash.set(h, [w]);
    else same.push(w);
    return w;
  }

  /**
   * The same table over other watch records: every list keeps its order, each watch replaced by
   * `copyOf(w)` (which must return one record per watch, as the connections' lists hold it too).
   * The registration counter carries over, so later watches get the same `seq` in both tables.
   */
  fork(copyOf: (w: Watch) => Watch): WatchTable {
    const t = new WatchTable();
    for (const [path, list] of this.byPath) t.byPath.set(path, list.map(copyOf));
    for (const [h, list] of this.byHash) t.byHash.set(h, list.map(copyOf));
    t.seq = this.seq;
    return t;
  }

  find(conn: Conn, path: string, token: string): Watch | undefined {
    return conn.watches.find((w) => w.path === path && w.token === token);
  }

  remove(w: Watch): void {
    const own = w.conn.watches;
    own.splice(own.indexOf(w), 1);
    const list = this.byPath.get(w.path);
    if (list === undefined) return;
    list.splice(list.indexOf(w), 1);
    if (list.length === 0) this.byPath.delete(w.path);
    const h = pathHash(w.path);
    const same = this.byHash.get(h) as Watch[];
    same.splice(same.indexOf(w), 1);
    if (same.length === 0) this.byHash.delete(h);
  }

  /** watch.c conn_delete_all_watches(): returns what was removed, in registration order. */
  removeAll(conn: Conn): Watch[] {
    const gone = conn.watches.slice();
    for (const w of gone) this.remove(w);
    return gone;
  }

  /** Watches on exactly `path`. */
  on(path: string): readonly Watch[] | undefined {
    return this.byPath.get(path);
  }

  /** Watches on `path` or any ancestor of it (`/` included), in no particular order. */
  matching(path: string): Watch[] | undefined {
    if (this.byHash.size === 0) return undefined;
    const byHash = this.byHash;
    // the root is the one watched path that ends with `/`
    let out = collect(undefined, byHash.get(hashStep(HASH_SEED, 0x2f) & HASH_MASK), path, 1);
    let h = HASH_SEED;
    const n = path.length;
    for (let i = 0; i < n; i++) {
      const c = path.charCodeAt(i);
      if (c === 0x2f && i > 0) out = collect(out, byHash.get(h & HASH_MASK), path, i);
      h = hashStep(h, c);
    }
    if (n > 1) out = collect(out, byHash.get(h & HASH_MASK), path, n);
    return out;
  }
}

/** Adds the watches of a hash bucket that are really on the first `length` chars of `path`. */
function collect(out: Watch[] | undefined, bucket: Watch[] | undefined, path: string, length: number) {
  if (bucket === undefined) return out;
  for (let i = 0; i < bucket.length; i++) {
    const w = bucket[i] as Watch;
    if (w.path.length === length && path.startsWith(w.path)) {
      if (out === undefined) out = [w];
      else out.push(w);
    }
  }
  return out;
}

/**
 * What watch_permitted() may look at for one change: the node's permissions (null when the node
 * is gone), its parent's (undefined: look them up in the tree when needed), and for SET_PERMS or a
 * commit the permissions the node had before.
 */
export interface FireInfo {
  perms: PermList | null;
  parentPerms?: PermList | null;
  oldPerms: PermList | null;
}

/**
 * watch.c watch_permitted(): the watcher must be able to read the node or its parent; the old
 * permissions count too, so a watcher losing access still hears about it.
 */
function watchPermitted(conn: Conn, path: string, info: FireInfo, parentOf: (p: string) => PermList | null) {
  if (info.oldPerms !== null && (permForConn(conn, info.oldPerms) & PERM_READ) !== 0) return true;
  if (info.perms === null) return false;
  if ((permForConn(conn, info.perms) & PERM_READ) !== 0) return true;
  if (info.parentPerms === undefined) info.parentPerms = parentOf(getParent(path));
  return info.parentPerms !== null && (permForConn(conn, info.parentPerms) & PERM_READ) !== 0;
}

/** Connection creation order, then registration order: the order the daemon walks its lists in. */
function byConnThenSeq(a: Watch, b: Watch): number {
  return a.conn.id - b.conn.id || a.seq - b.seq;
}

/** watch.c get_watch_path(): the event path as the watcher registered it (relative stays relative). */
export function reportedPath(w: Watch, path: string): string {
  if (w.relativeTo === null) return path;
  const rest = path.slice(w.relativeTo.length);
  return rest.charCodeAt(0) === 0x2f ? rest.slice(1) : rest;
}

function pushEvent(out: XsEffect[], w: Watch, path: string): void {
  out.push({
    kind: 'watch-event',
    conn: w.conn.id,
    path: reportedPath(w, path),
    token: w.token,
    watchPath: w.path,
  });
}

/** An event with this path and token is already among out[from…]. */
function alreadyQueued(out: XsEffect[], from: number, path: string, token: string): boolean {
  for (let i = from; i < out.length; i++) {
    const e = out[i] as XsEffect;
    if (e.kind === 'watch-event' && e.token === token && e.path === path) return true;
  }
  return false;
}

/**
 * watch.c fire_watches() for a node change: every watch on `path` or an ancestor (only on `path`
 * itself when `exact`, as for descendants of a removed node), filtered per connection by
 * watch_permitted(). A connection gets one event per distinct (event path, token) per change: two
 * of its watches with the same token matching one change yield one event, as on the real daemon.
 * Appends watch-event effects to `out`.
 */
export function fireWatches(
  table: WatchTable,
  path: string,
  exact: boolean,
  info: FireInfo,
  parentOf: (p: string) => PermList | null,
  out: XsEffect[],
): void {
  const found = exact ? table.on(path) : table.matching(path);
  if (found === undefined || found.length === 0) return;
  if (found.length === 1) {
    const w = found[0] as Watch;
    if (watchPermitted(w.conn, path, info, parentOf)) pushEvent(out, w, path);
    return;
  }
  const list = found.slice().sort(byConnThenSeq);
  let lastConn: ConnId = -1;
  let allowed = false;
  let firstOfConn = out.length;
  for (const w of list) {
    if (w.conn.id !== lastConn) {
      lastConn = w.conn.id;
      allowed = watchPermitted(w.conn, path, info, parentOf);
      firstOfConn = out.length;
    }
    if (allowed && !alreadyQueued(out, firstOfConn, reportedPath(w, path), w.token)) pushEvent(out, w, path);
  }
}

/**
 * fire_watches() for `@introduceDomain` / `@releaseDomain`: watches on exactly that name, and
 * [modern] only connections that may read the name's permissions (privileged ones by default).
 */
export function fireSpecial(table: WatchTable, name: string, perms: PermList | null, out: XsEffect[]): void {
  if (!isSpecialPath(name)) return;
  const found = table.on(name);
  if (found === undefined) return;
  for (const w of found.slice().sort(byConnThenSeq)) {
    if (perms === null || (permForConn(w.conn, perms) & PERM_READ) !== 0) pushEvent(out, w, name);
  }
}

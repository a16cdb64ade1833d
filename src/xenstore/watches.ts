/**
 * Watches: registration, an index by watched path, and event generation (xenstored watch.c).
 *
 * Matching never scans all watches: a change of X looks up X and each of its ancestors in an
 * index (a watch on P fires for X iff P is X, an ancestor of X, or `/`), so a write costs one Map
 * lookup per path level whatever the number of watches. The ancestor index is keyed by a hash of
 * the path computed in one pass over X, so no prefix string is built.
 */
import type { ConnId } from './types';
import type { Effects } from './effects';
import { getParent, isSpecialPath } from './path';
import type { PermList } from './perms';
import { PERM_READ, permForConn } from './perms';
import type { Conn } from './state';
import { PMap } from './pmap';

/**
 * One registered watch. Immutable and free of references to other records, so that the copies of a
 * store (clone()) share them: the connection is named by id, looked up in the table's `conns`.
 */
export interface Watch {
  readonly conn: ConnId;
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

/**
 * The index of every watch, with the connections they belong to. The lists in it are never
 * changed in place (a change replaces the list), nor are connections' `watches` lists, so that
 * fork() is O(1): both indexes are PMaps (pmap.ts) and the lists and watches are shared.
 */
export class WatchTable {
  private readonly byPath: PMap<string, readonly Watch[]>;
  /** the same watches, keyed by pathHash() of their path (collisions share a list) */
  private readonly byHash: PMap<number, readonly Watch[]>;
  private seq: number;

  /** An empty table over the connections `conns`; given `from`, the copy described at fork(). */
  constructor(
    private readonly conns: ReadonlyMap<ConnId, Conn>,
    from?: WatchTable,
  ) {
    if (from === undefined) {
      this.byPath = new PMap();
      this.byHash = new PMap();
      this.seq = 0;
    } else {
      this.byPath = from.byPath.fork();
      this.byHash = from.byHash.fork();
      this.seq = from.seq;
    }
  }

  /** watch.c add_watch(): appended to the connection's list. */
  add(conn: Conn, path: string, token: string, relativeTo: string | null): Watch {
    const w: Watch = { conn: conn.id, path, token, relativeTo, seq: this.seq++ };
    conn.watches = [...conn.watches, w];
    const list = this.byPath.get(path);
    this.byPath.set(path, list === undefined ? [w] : [...list, w]);
    const h = pathHash(path);
    const same = this.byHash.get(h);
    this.byHash.set(h, same === undefined ? [w] : [...same, w]);
    return w;
  }

  /**
   * The same table over `conns`, the copies of this one's connections (same ids, same watch
   * lists). O(1): the indexes are forked, and the watches shared. The registration counter carries
   * over, so later watches get the same `seq` in both tables.
   */
  fork(conns: ReadonlyMap<ConnId, Conn>): WatchTable {
    return new WatchTable(conns, this);
  }

  /** The connection of a watch (every watch's connection is in the table's `conns`). */
  connOf(w: Watch): Conn {
    return this.conns.get(w.conn) as Conn;
  }

  /** The watch of `conn` on `path` with `token`, looked up among the watches on `path`. */
  find(conn: Conn, path: string, token: string): Watch | undefined {
    const list = this.byPath.get(path);
    if (list === undefined) return undefined;
    const id = conn.id;
    for (let i = 0; i < list.length; i++) {
      const w = list[i] as Watch;
      if (w.conn === id && w.token === token) return w;
    }
    return undefined;
  }

  /** Removes `w` from the index only. */
  private unindex(w: Watch): void {
    const list = this.byPath.get(w.path);
    if (list === undefined) return;
    if (list.length === 1) this.byPath.delete(w.path);
    else this.byPath.set(w.path, without(list, w));
    const h = pathHash(w.path);
    const same = this.byHash.get(h) as readonly Watch[];
    if (same.length === 1) this.byHash.delete(h);
    else this.byHash.set(h, without(same, w));
  }

  remove(w: Watch): void {
    const conn = this.connOf(w);
    conn.watches = without(conn.watches, w);
    this.unindex(w);
  }

  /** watch.c conn_delete_all_watches(): returns what was removed, in registration order. */
  removeAll(conn: Conn): readonly Watch[] {
    const gone = conn.watches;
    conn.watches = [];
    for (const w of gone) this.unindex(w);
    return gone;
  }

  /** Watches on exactly `path`. */
  on(path: string): readonly Watch[] | undefined {
    return this.byPath.get(path);
  }

  /** Watches on `path` or any ancestor of it (`/` included), in no particular order. */
  matching(path: string): Watch[] | undefined {
    const byHash = this.byHash;
    if (byHash.size === 0) return undefined;
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

/** `list` without `w`, as a new list. */
function without(list: readonly Watch[], w: Watch): Watch[] {
  const i = list.indexOf(w);
  if (i < 0) return list.slice();
  return [...list.slice(0, i), ...list.slice(i + 1)];
}

/** Adds the watches of a hash bucket that are really on the first `length` chars of `path`. */
function collect(
  out: Watch[] | undefined,
  bucket: readonly Watch[] | undefined,
  path: string,
  length: number,
) {
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
  return a.conn - b.conn || a.seq - b.seq;
}

/** watch.c get_watch_path(): the event path as the watcher registered it (relative stays relative). */
export function reportedPath(w: Watch, path: string): string {
  if (w.relativeTo === null) return path;
  const rest = path.slice(w.relativeTo.length);
  return rest.charCodeAt(0) === 0x2f ? rest.slice(1) : rest;
}

function pushEvent(out: Effects, w: Watch, path: string): void {
  out.push({
    kind: 'watch-event',
    conn: w.conn,
    path: reportedPath(w, path),
    token: w.token,
    watchPath: w.path,
  });
}

/** An event with this path and token is already among out[from…]. */
function alreadyQueued(out: Effects, from: number, path: string, token: string): boolean {
  for (let i = from; i < out.length; i++) {
    const e = out.at(i);
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
  out: Effects,
): void {
  const found = exact ? table.on(path) : table.matching(path);
  if (found === undefined || found.length === 0) return;
  if (found.length === 1) {
    const w = found[0] as Watch;
    if (watchPermitted(table.connOf(w), path, info, parentOf)) pushEvent(out, w, path);
    return;
  }
  const list = found.slice().sort(byConnThenSeq);
  let lastConn: ConnId = -1;
  let allowed = false;
  let firstOfConn = out.length;
  for (const w of list) {
    if (w.conn !== lastConn) {
      lastConn = w.conn;
      allowed = watchPermitted(table.connOf(w), path, info, parentOf);
      firstOfConn = out.length;
    }
    if (allowed && !alreadyQueued(out, firstOfConn, reportedPath(w, path), w.token)) pushEvent(out, w, path);
  }
}

/**
 * fire_watches() for `@introduceDomain` / `@releaseDomain`: watches on exactly that name, and
 * [modern] only connections that may read the name's permissions (privileged ones by default).
 */
export function fireSpecial(table: WatchTable, name: string, perms: PermList | null, out: Effects): void {
  if (!isSpecialPath(name)) return;
  const found = table.on(name);
  if (found === undefined) return;
  for (const w of found.slice().sort(byConnThenSeq)) {
    if (perms === null || (permForConn(table.connOf(w), perms) & PERM_READ) !== 0) pushEvent(out, w, name);
  }
}

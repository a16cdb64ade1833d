/**
 * A deliberately plain reference model of the store, for the model-based test (model.test.ts).
 *
 * Same rules as the engine, none of its machinery: immutable node records replaced on every
 * change, a linear scan of every watch of every connection, whole-store copies for the 'global'
 * policy, a fresh copy of each node a transaction touches. No indexes, no memos, no copy-on-write.
 * It covers the requests the test sends: READ, DIRECTORY, GET_PERMS, WRITE, MKDIR, RM, SET_PERMS,
 * WATCH, UNWATCH, TRANSACTION_START/END, RESET_WATCHES, with default quotas and no SET_TARGET.
 */

type Letter = 'n' | 'r' | 'w' | 'b';
export interface MPerm {
  domid: number;
  access: Letter;
}
export interface MNode {
  value: string;
  perms: MPerm[];
  /** child names in creation order */
  children: string[];
  gen: number;
}
interface MWatch {
  abs: string;
  token: string;
  relative: boolean;
}
interface MEntry {
  node: MNode | null;
  checkGen: boolean;
  gen: number;
  oldPerms: MPerm[] | null;
  modified: boolean;
  fire: boolean;
  exact: boolean;
}
interface MTx {
  id: number;
  /** 'global' policy: the whole store as it was at start */
  snapshot: Map<string, MNode> | null;
  entries: Map<string, MEntry>;
  startChanges: number;
}
export interface MConn {
  name: string;
  domid: number;
  priv: boolean;
  home: string;
  watches: MWatch[];
  txs: Map<number, MTx>;
  nextTx: number;
}
/** A model event: [connection name, path, token]. */
export type MEvent = [string, string, string];
/** 'OK', a reply string, or an error name. */
export type MReply = string;

const R = 1;
const W = 2;
const O = 8;
const LETTER_BITS: Record<Letter, number> = { n: 0, r: R, w: W, b: R | W };

const parentOf = (p: string) => (p.lastIndexOf('/') <= 0 ? '/' : p.slice(0, p.lastIndexOf('/')));
const join = (p: string, name: string) => (p === '/' ? `/${name}` : `${p}/${name}`);
const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const isChild = (child: string, parent: string) =>
  parent === '/' || child === parent || child.startsWith(`${parent}/`);
const isValid = (p: string) =>
  p.startsWith('/') &&
  !(p.length > 1 && p.endsWith('/')) &&
  !p.includes('//') &&
  /^[A-Za-z0-9\-/_@]*$/.test(p);

export class ReferenceStore {
  nodes = new Map<string, MNode>([
    ['/', { value: '', perms: [{ domid: 0, access: 'n' }], children: [], gen: 0 }],
  ]);
  gen = 0;
  changes = 0;
  conns: MConn[] = [];

  constructor(readonly policy: 'read-set' | 'global') {}

  addConn(name: string, domid: number, priv: boolean): MConn {
    const c: MConn = {
      name,
      domid,
      priv,
      home: `/local/domain/${domid}`,
      watches: [],
      txs: new Map(),
      nextTx: 1,
    };
    this.conns.push(c);
    return c;
  }

  private permFor(conn: MConn, perms: MPerm[]): number {
    if (conn.priv || (perms[0] as MPerm).domid === conn.domid) return R | W | O;
    for (const p of perms.slice(1)) if (p.domid === conn.domid) return LETTER_BITS[p.access];
    return LETTER_BITS[(perms[0] as MPerm).access];
  }

  private resolve(conn: MConn, p: string): string {
    return p.startsWith('/') || p.startsWith('@') ? p : `${conn.home}/${p}`;
  }

  // ---- node access, inside or outside a transaction ----

  private read(tx: MTx | null, path: string): MNode | null {
    if (tx === null) return this.nodes.get(path) ?? null;
    return this.entry(tx, path, true).node;
  }

  private entry(tx: MTx, path: string, isRead: boolean): MEntry {
    let e = tx.entries.get(path);
    if (e === undefined) {
      const src = (tx.snapshot ?? this.nodes).get(path) ?? null;
      e = {
        node: src === null ? null : { ...src, children: [...src.children] },
        checkGen: isRead,
        gen: src === null ? -1 : src.gen,
        oldPerms: src === null ? null : src.perms,
        modified: false,
        fire: false,
        exact: false,
      };
      tx.entries.set(path, e);
    }
    return e;
  }

  private write(tx: MTx | null, path: string, node: MNode): void {
    if (tx === null) {
      this.nodes.set(path, { ...node, gen: ++this.gen });
      this.changes++;
      return;
    }
    const e = this.entry(tx, path, false);
    e.node = node;
    e.modified = true;
  }

  private remove(tx: MTx | null, path: string): void {
    if (tx === null) {
      this.nodes.delete(path);
      this.changes++;
      return;
    }
    const e = this.entry(tx, path, false);
    e.node = null;
    e.modified = true;
  }

  private fire(
    tx: MTx | null,
    path: string,
    exact: boolean,
    perms: MPerm[] | null,
    parentPerms: MPerm[] | null | undefined,
    oldPerms: MPerm[] | null,
    out: MEvent[],
  ): void {
    if (tx !== null) {
      const e = this.entry(tx, path, false);
      if (!e.fire) {
        e.fire = true;
        e.exact = exact;
      }
      return;
    }
    for (const conn of this.conns) {
      const hits = conn.watches.filter((w) => (exact ? w.abs === path : isChild(path, w.abs)));
      if (hits.length === 0) continue;
      const pp = parentPerms === undefined ? (this.nodes.get(parentOf(path))?.perms ?? null) : parentPerms;
      const readable = (p: MPerm[] | null) => p !== null && (this.permFor(conn, p) & R) !== 0;
      if (!(readable(oldPerms) || (perms !== null && (readable(perms) || readable(pp))))) continue;
      const sent: string[] = [];
      for (const w of hits) {
        const shown = w.relative ? path.slice(conn.home.length + 1) : path;
        if (sent.includes(`${shown}\0${w.token}`)) continue;
        sent.push(`${shown}\0${w.token}`);
        out.push([conn.name, shown, w.token]);
      }
    }
  }

  private getNode(conn: MConn, tx: MTx | null, path: string, want: number): MNode | string {
    if (!isValid(path)) return 'EINVAL';
    const node = this.read(tx, path);
    if (node !== null && (this.permFor(conn, node.perms) & want) === want) return node;
    const errnum = node === null ? 'ENOENT' : 'EACCES';
    let p = path;
    let above: MNode | null = null;
    do {
      p = parentOf(p);
      above = this.read(tx, p);
    } while (above === null && p !== '/');
    return above !== null && (this.permFor(conn, above.perms) & want) !== 0 ? errnum : 'EACCES';
  }

  private create(conn: MConn, tx: MTx | null, path: string, value: string): MNode {
    const missing = [path];
    let top = parentOf(path);
    let parent = this.read(tx, top);
    while (parent === null) {
      missing.push(top);
      top = parentOf(top);
      parent = this.read(tx, top);
    }
    const perms = conn.priv
      ? parent.perms
      : [{ domid: conn.domid, access: (parent.perms[0] as MPerm).access }, ...parent.perms.slice(1)];
    const leaf: MNode = { value, perms, children: [], gen: 0 };
    this.write(tx, path, leaf);
    for (let i = 1; i < missing.length; i++) {
      this.write(tx, missing[i] as string, {
        value: '',
        perms,
        children: [baseName(missing[i - 1] as string)],
        gen: 0,
      });
    }
    const last = missing[missing.length - 1] as string;
    this.write(tx, top, { ...parent, children: [...parent.children, baseName(last)] });
    return leaf;
  }

  // ---- requests ----

  /** Handles one request; returns the reply and the watch events it queued. */
  request(conn: MConn, type: string, args: string[], txId: number): { reply: MReply; events: MEvent[] } {
    const events: MEvent[] = [];
    const notid = type === 'WATCH' || type === 'UNWATCH';
    let tx: MTx | null = null;
    if (!notid && txId !== 0) {
      tx = conn.txs.get(txId) ?? null;
      if (tx === null) return { reply: 'ENOENT', events };
    }
    const reply = this.dispatch(conn, tx, type, args, events);
    return { reply, events };
  }

  private dispatch(conn: MConn, tx: MTx | null, type: string, args: string[], events: MEvent[]): MReply {
    const a0 = args[0] ?? '';
    switch (type) {
      case 'READ':
      case 'DIRECTORY':
      case 'GET_PERMS': {
        const n = this.getNode(conn, tx, this.resolve(conn, a0), R);
        if (typeof n === 'string') return n;
        if (type === 'READ') return n.value;
        if (type === 'DIRECTORY') return n.children.join(',');
        return n.perms.map((p) => `${p.access}${p.domid}`).join(',');
      }
      case 'WRITE':
      case 'MKDIR': {
        const path = this.resolve(conn, a0);
        const n = this.getNode(conn, tx, path, W);
        if (typeof n !== 'string') {
          if (type === 'MKDIR') return 'OK';
          this.write(tx, path, { ...n, value: args[1] ?? '' });
          this.fire(tx, path, false, n.perms, undefined, null, events);
          return 'OK';
        }
        if (n !== 'ENOENT') return n;
        const leaf = this.create(conn, tx, path, type === 'WRITE' ? (args[1] ?? '') : '');
        this.fire(tx, path, false, leaf.perms, undefined, null, events);
        return 'OK';
      }
      case 'RM': {
        const path = this.resolve(conn, a0);
        const n = this.getNode(conn, tx, path, W);
        if (typeof n === 'string') {
          if (n !== 'ENOENT') return n;
          return this.read(tx, parentOf(path)) === null ? 'ENOENT' : 'OK';
        }
        if (path === '/') return 'EINVAL';
        const parent = this.read(tx, parentOf(path));
        if (parent === null) return 'EINVAL'; // a transaction's stale copy: no parent

        const sub = (p: string, node: MNode, pp: MPerm[]) => {
          for (const name of node.children) {
            const c = this.read(tx, join(p, name));
            if (c !== null) sub(join(p, name), c, node.perms);
          }
          this.remove(tx, p);
          this.fire(tx, p, p !== path, node.perms, pp, null, events);
        };
        sub(path, n, parent.perms);
        const now = this.read(tx, parentOf(path)) as MNode;
        const at = now.children.indexOf(baseName(path));
        if (at < 0) return 'EIO'; // a transaction's stale copy of the parent (delete_child)
        this.write(tx, parentOf(path), { ...now, children: now.children.filter((_, i) => i !== at) });
        return 'OK';
      }
      case 'SET_PERMS': {
        const perms = args.slice(1).map((s) => ({ domid: Number(s.slice(1)), access: s[0] as Letter }));
        if (perms.length === 0) return 'EINVAL';
        if (!conn.priv && perms.length > 5) return 'ENOSPC';
        const path = this.resolve(conn, a0);
        const n = this.getNode(conn, tx, path, W | O);
        if (typeof n === 'string') return n;
        if (!conn.priv && (perms[0] as MPerm).domid !== (n.perms[0] as MPerm).domid) return 'EPERM';
        this.write(tx, path, { ...n, perms });
        this.fire(tx, path, false, perms, undefined, n.perms, events);
        return 'OK';
      }
      case 'WATCH': {
        const relative = !a0.startsWith('/') && !a0.startsWith('@');
        const abs = this.resolve(conn, a0);
        if (!a0.startsWith('@') && !isValid(abs)) return 'EINVAL';
        const token = args[1] ?? '';
        if (conn.watches.some((w) => w.abs === abs && w.token === token)) return 'EEXIST';
        conn.watches.push({ abs, token, relative });
        events.push([conn.name, a0, token]);
        return 'OK';
      }
      case 'UNWATCH': {
        const abs = this.resolve(conn, a0);
        const i = conn.watches.findIndex((w) => w.abs === abs && w.token === args[1]);
        if (i < 0) return 'ENOENT';
        conn.watches.splice(i, 1);
        return 'OK';
      }
      case 'RESET_WATCHES':
        conn.watches = [];
        conn.txs.clear();
        return 'OK';
      case 'TRANSACTION_START': {
        if (tx !== null) return 'EBUSY';
        if (!conn.priv && conn.txs.size > 10) return 'ENOSPC';
        const id = conn.nextTx++;
        conn.txs.set(id, {
          id,
          snapshot: this.policy === 'global' ? new Map(this.nodes) : null,
          entries: new Map(),
          startChanges: this.changes,
        });
        return String(id);
      }
      case 'TRANSACTION_END': {
        if (a0 !== 'T' && a0 !== 'F') return 'EINVAL';
        if (tx === null) return 'ENOENT';
        conn.txs.delete(tx.id);
        if (a0 === 'F') return 'OK';
        return this.commit(tx, events);
      }
      default:
        throw new Error(`reference model: no ${type}`);
    }
  }

  private commit(tx: MTx, events: MEvent[]): MReply {
    if (this.policy === 'global') {
      if (tx.startChanges !== this.changes) return 'EAGAIN';
    } else {
      for (const [p, e] of tx.entries) {
        if (e.checkGen && (this.nodes.get(p)?.gen ?? -1) !== e.gen) return 'EAGAIN';
      }
    }
    for (const [p, e] of tx.entries) {
      if (!e.modified) continue;
      if (e.node === null) this.nodes.delete(p);
      else this.nodes.set(p, { ...e.node, gen: ++this.gen });
    }
    this.changes++;
    for (const [p, e] of tx.entries) {
      if (e.fire)
        this.fire(null, p, e.exact, this.nodes.get(p)?.perms ?? null, undefined, e.oldPerms, events);
    }
    return 'OK';
  }
}

/**
 * Test scaffolding: a store with dom0's tool socket and named domains, and terse request helpers
 * that answer `'OK'`, the reply strings, the value, or the error name.
 */
import type { ConnId, XsEffect, XsTypeName } from './types';
import type { RequestArg, XsReply } from './request';
import { request, watchEvents } from './request';
import type { XenStore } from './store';
import { createXenStore } from './store';
import type { XenStoreOptionsInput } from './options';

export interface Client {
  readonly conn: ConnId;
  /** raw request */
  send(type: XsTypeName | number, args?: readonly RequestArg[], txId?: number): XsReply;
  /** 'OK', the joined reply strings, or the error name */
  ask(type: XsTypeName | number, args?: readonly RequestArg[], txId?: number): string;
  write(path: string, value: string, txId?: number): string;
  read(path: string, txId?: number): string;
  mkdir(path: string, txId?: number): string;
  rm(path: string, txId?: number): string;
  dir(path: string, txId?: number): string;
  perms(path: string, txId?: number): string;
  setPerms(path: string, perms: readonly string[], txId?: number): string;
  watch(path: string, token: string): string;
  unwatch(path: string, token: string): string;
  /** TRANSACTION_START: the new id (throws on error) */
  start(): number;
  end(txId: number, commit?: boolean): string;
}

export function client(store: XenStore, conn: ConnId): Client {
  const send = (type: XsTypeName | number, args: readonly RequestArg[] = [], txId = 0) =>
    request(store, conn, type, args, { txId });
  const ask = (type: XsTypeName | number, args: readonly RequestArg[] = [], txId = 0): string => {
    const r = send(type, args, txId);
    if (!r.ok) return r.error;
    return r.strings.length === 1 && r.strings[0] === 'OK' ? 'OK' : r.strings.join(',');
  };
  return {
    conn,
    send,
    ask,
    write: (path, value, txId) => ask('WRITE', [path, value], txId),
    read: (path, txId) => {
      const r = send('READ', [path], txId);
      return r.ok ? r.value : r.error;
    },
    mkdir: (path, txId) => ask('MKDIR', [path], txId),
    rm: (path, txId) => ask('RM', [path], txId),
    dir: (path, txId) => ask('DIRECTORY', [path], txId),
    perms: (path, txId) => ask('GET_PERMS', [path], txId),
    setPerms: (path, perms, txId) => ask('SET_PERMS', [path, ...perms], txId),
    watch: (path, token) => ask('WATCH', [path, token]),
    unwatch: (path, token) => ask('UNWATCH', [path, token]),
    start: () => {
      const r = send('TRANSACTION_START', ['']);
      if (!r.ok) throw new Error(`TRANSACTION_START: ${r.error}`);
      return Number(r.strings[0]);
    },
    end: (txId, commit = true) => ask('TRANSACTION_END', [commit ? 'T' : 'F'], txId),
  };
}

export interface World {
  store: XenStore;
  /** dom0's privileged tool socket */
  dom0: Client;
  /** the ring connection of a domain, introduced on first use */
  dom(domid: number): Client;
  /** another privileged tool socket */
  tool(): Client;
}

export function world(options?: XenStoreOptionsInput): World {
  const store = createXenStore(options);
  const dom0 = client(store, store.connect({ domid: 0, privileged: true, kind: 'socket' }));
  const doms = new Map<number, Client>();
  return {
    store,
    dom0,
    dom(domid) {
      let c = doms.get(domid);
      if (c === undefined) {
        c = client(store, store.introduceDomain(domid).conn);
        doms.set(domid, c);
      }
      return c;
    },
    tool: () => client(store, store.connect({ domid: 0, privileged: true, kind: 'socket' })),
  };
}

/** Watch events of a reply as `path token` strings, optionally only those for `conn`. */
export function events(effects: readonly XsEffect[], conn?: ConnId): string[] {
  return watchEvents(effects)
    .filter(([c]) => conn === undefined || c === conn)
    .map(([, path, token]) => `${path} ${token}`);
}

/** The effects of one request, for checks on what a request did besides its reply. */
export function effectsOf(r: XsReply): XsEffect[] {
  return r.effects;
}

/**
 * Everything a store shows from outside, as plain data: every node (value, permissions, children in
 * order, generation) walked from `/`, every watch in order, every connection with its flags, and
 * the options. Two stores with equal fingerprints answer introspection alike.
 */
export function fingerprint(store: XenStore, maxConnId = 64) {
  const nodes: string[] = [];
  const walk = (path: string): void => {
    const n = store.getNode(path);
    if (n === undefined) return;
    const value = JSON.stringify(String.fromCharCode(...n.value));
    const perms = n.perms.map((p) => `${p.access}${p.domid}`).join(',');
    nodes.push(`${path}=${value} ${perms} [${n.children.join(',')}] g${n.generation}`);
    for (const c of n.children) walk(path === '/' ? `/${c}` : `${path}/${c}`);
  };
  walk('/');
  const conns = [];
  for (let id = 1; id <= maxConnId; id++) {
    const c = store.getConn(id);
    if (c !== undefined) conns.push(c);
  }
  return {
    nodes,
    watches: store.listWatches(),
    conns,
    options: { ...store.options, quotas: { ...store.options.quotas } },
  };
}

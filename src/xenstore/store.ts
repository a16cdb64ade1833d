/**
 * The store engine: createXenStore() and the request dispatcher (xenstored core.c
 * process_message()). Pure and deterministic: every call returns its reply and effects as data.
 */
import type {
  ConnId,
  ConnInfo,
  NodeSnapshot,
  NodeView,
  XenStoreOptions,
  XsEffect,
  XsError,
  XsMsg,
  XsResult,
} from './types';
import { XENSTORE_PAYLOAD_MAX, XsType } from './types';
import { Effects } from './effects';
import { GlobalIO, TxIO } from './io';
import { cloneState } from './clone';
import { snapshotOf } from './node';
import type { XenStoreOptionsInput } from './options';
import { defaultOptions, resolveOptions } from './options';
import { errorPayload } from './payload';
import type { Conn, StoreState } from './state';
import { addConn, connInfo, createState } from './state';
import type { Handler, OpResult, Req } from './ops/common';
import { doControl } from './ops/control';
import {
  DOMID_FIRST_RESERVED,
  doGetDomainPath,
  doIntroduce,
  doIsDomainIntroduced,
  doRelease,
  doResume,
  doSetTarget,
  introduce,
  release,
  resetConn,
} from './ops/domain';
import { doDirectory, doDirectoryPart, doGetPerms, doRead } from './ops/read';
import { doRm } from './ops/rm';
import { doSetPerms } from './ops/setPerms';
import { doTransactionEnd, doTransactionStart } from './ops/transaction';
import { deleteAllTransactions, doResetWatches, doUnwatch, doWatch } from './ops/watch';
import { doMkdir, doWrite } from './ops/write';

export { defaultOptions };

export interface XenStore {
  readonly options: XenStoreOptions;
  /** open a connection: socket tool clients are {domid: 0, privileged: true, kind:'socket'} */
  connect(opts: { domid: number; privileged?: boolean; kind?: 'domain' | 'socket' }): ConnId;
  /** as if dom0 sent INTRODUCE(domid): creates/returns the domain's connection, fires @introduceDomain */
  introduceDomain(domid: number): { conn: ConnId; effects: XsEffect[] };
  /** as RELEASE(domid): drops that domain's connection(s), fires @releaseDomain */
  releaseDomain(domid: number): XsEffect[];
  /** a client went away: its watches and transactions vanish */
  disconnect(conn: ConnId): XsEffect[];
  /**
   * The daemon replaced by a new one, the tree kept. `live-update` (xenstore-control live-update -F,
   * [modern]): connections and their watches survive; open transactions are dropped (their ids
   * answer ENOENT from now on). `restart` ([2006]: killed and started again on the same tdb file):
   * every connection comes back empty, without watches or transactions. Transaction ids restart
   * at 1 in both.
   */
  restartDaemon(how: 'live-update' | 'restart'): XsEffect[];
  /** how many transactions are open on all connections */
  openTransactions(): number;
  /** handle one request; reply null means the connection must be closed (payload > 4096) */
  handle(conn: ConnId, msg: XsMsg): XsResult;
  getConn(conn: ConnId): ConnInfo | undefined;
  /** read-only introspection for the UI/simulator (no permission checks, outside transactions) */
  getNode(path: string): NodeSnapshot | undefined;
  /** the same without copying anything (see NodeView: read it at once) */
  getNodeView(path: string): NodeView | undefined;
  listWatches(conn?: ConnId): Array<{ conn: ConnId; path: string; token: string }>;
  /**
   * An independent store in exactly this state (tree, connections, watches, open transactions,
   * domains, quotas accounting, counters): from now on both answer the same calls alike, and
   * neither sees the other's changes. Cost: O(1) for the tree, which is shared copy-on-write (each
   * copy pays later for the paths it changes), plus the connections', watches' and open
   * transactions' records.
   */
  clone(): XenStore;
}

/** The request ignores the header's tx_id (XS_FLAG_NOTID). */
const NOTID = 1;
/** Privileged connections only, else EACCES (XS_FLAG_PRIV). */
const PRIV = 2;

interface WireFunc {
  fn: Handler;
  flags: number;
}

/** core.c wire_funcs[], by message type; holes are ENOSYS (WATCH_EVENT, ERROR, RESTRICT). */
const WIRE_FUNCS: Array<WireFunc | undefined> = [];
WIRE_FUNCS[XsType.CONTROL] = { fn: doControl, flags: PRIV };
WIRE_FUNCS[XsType.DIRECTORY] = { fn: doDirectory, flags: 0 };
WIRE_FUNCS[XsType.READ] = { fn: doRead, flags: 0 };
WIRE_FUNCS[XsType.GET_PERMS] = { fn: doGetPerms, flags: 0 };
WIRE_FUNCS[XsType.WATCH] = { fn: doWatch, flags: NOTID };
WIRE_FUNCS[XsType.UNWATCH] = { fn: doUnwatch, flags: NOTID };
WIRE_FUNCS[XsType.TRANSACTION_START] = { fn: doTransactionStart, flags: 0 };
WIRE_FUNCS[XsType.TRANSACTION_END] = { fn: doTransactionEnd, flags: 0 };
WIRE_FUNCS[XsType.INTRODUCE] = { fn: doIntroduce, flags: PRIV | NOTID };
WIRE_FUNCS[XsType.RELEASE] = { fn: doRelease, flags: PRIV | NOTID };
WIRE_FUNCS[XsType.GET_DOMAIN_PATH] = { fn: doGetDomainPath, flags: NOTID };
WIRE_FUNCS[XsType.WRITE] = { fn: doWrite, flags: 0 };
WIRE_FUNCS[XsType.MKDIR] = { fn: doMkdir, flags: 0 };
WIRE_FUNCS[XsType.RM] = { fn: doRm, flags: 0 };
WIRE_FUNCS[XsType.SET_PERMS] = { fn: doSetPerms, flags: 0 };
WIRE_FUNCS[XsType.IS_DOMAIN_INTRODUCED] = { fn: doIsDomainIntroduced, flags: PRIV | NOTID };
WIRE_FUNCS[XsType.RESUME] = { fn: doResume, flags: PRIV | NOTID };
WIRE_FUNCS[XsType.SET_TARGET] = { fn: doSetTarget, flags: PRIV | NOTID };
// 4.17 looks the transaction up for RESET_WATCHES (unknown tx_id → ENOENT, seen on the wire)
WIRE_FUNCS[XsType.RESET_WATCHES] = { fn: doResetWatches, flags: 0 };
WIRE_FUNCS[XsType.DIRECTORY_PART] = { fn: doDirectoryPart, flags: 0 };

/** [2006] knew message types 0–17 only (RESUME came in 2007, the rest later). */
const FIRST_TYPE_AFTER_2006 = XsType.RESUME;

function reply(msg: XsMsg, result: OpResult): XsMsg {
  if (typeof result === 'string') {
    return { type: XsType.ERROR, reqId: msg.reqId, txId: msg.txId, payload: errorPayload(result as XsError) };
  }
  return { type: msg.type, reqId: msg.reqId, txId: msg.txId, payload: result };
}

type RequestSlot = { -readonly [K in keyof Req]: Req[K] };

/**
 * core.c process_message() for one store: type check, privilege check, transaction lookup,
 * handler. Handlers keep no reference to their Req or to the transaction view, so one of each
 * serves every request in turn.
 */
class Dispatcher {
  readonly global: GlobalIO;
  private readonly txio: TxIO;
  private slot: RequestSlot | null = null;

  constructor(private readonly state: StoreState) {
    this.global = new GlobalIO(state);
    this.txio = new TxIO(state);
  }

  process(conn: Conn, msg: XsMsg, effects: Effects): OpResult {
    const { state } = this;
    const { type } = msg;
    const wf = type >= 0 && type < WIRE_FUNCS.length ? WIRE_FUNCS[type] : undefined;
    if (wf === undefined || (state.options.version === '2006' && type >= FIRST_TYPE_AFTER_2006))
      return 'ENOSYS';
    if ((wf.flags & PRIV) !== 0 && !conn.privileged) return 'EACCES';
    let tx = null;
    if ((wf.flags & NOTID) === 0 && msg.txId !== 0) {
      tx = conn.transactions.get(msg.txId) ?? null;
      if (tx === null) return 'ENOENT';
    }
    const io = tx === null ? this.global : this.txio.bind(conn, tx, effects);
    let req = this.slot;
    if (req === null) {
      req = { state, conn, payload: msg.payload, io, tx, effects };
      this.slot = req;
    } else {
      req.conn = conn;
      req.payload = msg.payload;
      req.io = io;
      req.tx = tx;
      req.effects = effects;
    }
    return wf.fn(req);
  }
}

/** A new store holding only `/` (owned by dom0, `n0`), with the store's own domain introduced. */
export function createXenStore(options?: XenStoreOptionsInput): XenStore {
  const state = createState(resolveOptions(options));
  introduce(state, state.options.storeDomid, new Effects());
  return storeOver(state);
}

/** The public face over one engine state. */
function storeOver(state: StoreState): XenStore {
  const dispatcher = new Dispatcher(state);
  // the effects of the call being answered (calls do not nest; one that threw leaves nothing behind)
  const collected = new Effects();
  const global = dispatcher.global;

  const connOf = (id: ConnId): Conn => {
    const conn = state.conns.get(id);
    if (conn === undefined) throw new Error(`xenstore: no connection ${id}`);
    return conn;
  };

  return {
    options: state.options,

    connect({ domid, privileged, kind = 'socket' }) {
      if (kind === 'domain') {
        const dom = state.domains.get(domid);
        if (dom !== undefined && dom.conn !== null) return dom.conn.id;
        if (dom !== undefined) {
          dom.conn = addConn(state, { domid, privileged: privileged ?? domid === 0, kind });
          return dom.conn.id;
        }
        // a domain that was never introduced: attach it quietly (no @introduceDomain)
        const conn = addConn(state, { domid, privileged: privileged ?? domid === 0, kind });
        state.domains.set(domid, { domid, conn, shutdown: false });
        return conn.id;
      }
      return addConn(state, { domid, privileged: privileged ?? domid === 0, kind }).id;
    },

    introduceDomain(domid) {
      if (!Number.isInteger(domid) || domid < 0 || domid >= DOMID_FIRST_RESERVED) {
        throw new RangeError(`xenstore: cannot introduce domid ${domid}`);
      }
      collected.clear();
      const conn = introduce(state, domid, collected);
      return { conn: conn.id, effects: collected.take() };
    },

    releaseDomain(domid) {
      collected.clear();
      const dom = state.domains.get(domid);
      if (dom !== undefined && domid !== 0) release(state, global, dom, collected);
      return collected.take();
    },

    disconnect(id) {
      const conn = state.conns.get(id);
      if (conn === undefined) return [];
      collected.clear();
      resetConn(state, conn, collected);
      state.conns.delete(id);
      const dom = state.domains.get(conn.domid);
      if (dom !== undefined && dom.conn === conn) dom.conn = null;
      return collected.take();
    },

    restartDaemon(how) {
      collected.clear();
      for (const conn of state.conns.values()) {
        if (how === 'restart') {
          conn.ignored = false;
          resetConn(state, conn, collected);
        } else deleteAllTransactions(state, conn, collected);
        conn.nextTxId = 1;
      }
      return collected.take();
    },

    openTransactions() {
      let n = 0;
      for (const conn of state.conns.values()) n += conn.transactions.size;
      return n;
    },

    handle(id, msg) {
      const conn = connOf(id);
      if (conn.ignored) return { reply: null, effects: [] };
      collected.clear();
      if (msg.payload.length > XENSTORE_PAYLOAD_MAX) {
        // core.c ignore_connection(): no answer, and the connection is dead to the daemon
        conn.ignored = true;
        resetConn(state, conn, collected);
        return { reply: null, effects: collected.take() };
      }
      const result = dispatcher.process(conn, msg, collected);
      return { reply: reply(msg, result), effects: collected.take() };
    },

    getConn(id) {
      const conn = state.conns.get(id);
      return conn === undefined ? undefined : connInfo(conn);
    },

    getNode(path) {
      const node = state.tree.get(path);
      return node === undefined ? undefined : snapshotOf(path, node);
    },

    getNodeView(path) {
      const node = state.tree.get(path);
      return node === undefined
        ? undefined
        : { value: node.value, perms: node.perms.entries, children: node.children };
    },

    listWatches(id) {
      const out: Array<{ conn: ConnId; path: string; token: string }> = [];
      for (const conn of state.conns.values()) {
        if (id !== undefined && conn.id !== id) continue;
        for (const w of conn.watches) out.push({ conn: conn.id, path: w.path, token: w.token });
      }
      return out;
    },

    clone() {
      return storeOver(cloneState(state));
    },
  };
}

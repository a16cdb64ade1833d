/**
 * Runs a request script against one daemon (real or ours) and records, per step, every frame each
 * connection received because of it, in arrival order.
 *
 * Watch events reach other connections asynchronously. After each request's reply, the runner sends
 * a GET_DOMAIN_PATH on every open connection and waits for its answer: a daemon handles requests one
 * at a time and writes each connection's output in order, so everything the step caused for that
 * connection arrives before the answer to this later request.
 */
import type { XsMsg } from '../../src/xenstore/types';
import { XsType } from '../../src/xenstore/types';
import { splitStrings } from '../../src/xenstore';
import { formatPayload, xsTypeName } from '../../src/xenstore/wire';
import { XsRawClient } from '../rawClient';
import type { ConnName, Request } from './script';
import { CONN_NAMES, requestMsg } from './script';

/** Socket paths of the four connections of a run. */
export type Endpoints = Record<ConnName, string>;

/** What one request produced: per connection, the frames it received, normalised to text. */
export interface StepRecord {
  request: Request;
  /** frames per connection, in arrival order; the acting connection's reply is among them */
  frames: Partial<Record<ConnName, string[]>>;
}

const SYNC = { type: XsType.GET_DOMAIN_PATH, payload: new Uint8Array([0x30, 0]) }; // "0\0"

/**
 * A frame as compared: type, req_id, tx_id and payload. Transaction ids are replaced by the names the
 * script gave them (`newTx`), or `#k` for the k-th id seen on that connection: daemons number
 * transactions differently, and that is not behaviour.
 */
function describe(msg: XsMsg, txName: (id: number) => string): string {
  let payload = formatPayload(msg.payload);
  if (msg.type === XsType.TRANSACTION_START) {
    const id = Number(splitStrings(msg.payload)[0]);
    if (Number.isInteger(id) && id > 0) payload = `<${txName(id)}>\\0`;
  }
  const tx = msg.txId === 0 ? '0' : txName(msg.txId);
  return `${xsTypeName(msg.type)} rid=${msg.reqId} tx=${tx} "${payload}"`;
}

class ConnState {
  /** transaction id → name on this connection */
  readonly names = new Map<number, string>();
  /** name → transaction id on this connection */
  readonly ids = new Map<string, number>();
  seen = 0;
  constructor(readonly client: XsRawClient) {}

  /** The name of a transaction id; ids never handed out here (script literals) stay numbers. */
  txName(id: number): string {
    return this.names.get(id) ?? String(id);
  }

  bind(name: string, id: number): void {
    this.names.set(id, name);
    this.ids.set(name, id);
  }

  /** Frames received since the last call, described, minus the sync answer `syncReply`. */
  take(syncReply: XsMsg | null): string[] {
    const fresh = this.client.received.slice(this.seen);
    this.seen = this.client.received.length;
    return fresh.filter((m) => m !== syncReply).map((m) => describe(m, (id) => this.txName(id)));
  }
}

/** Runs `requests` against the daemon at `endpoints`; connections are opened first, closed at the end. */
export async function runScript(endpoints: Endpoints, requests: readonly Request[]): Promise<StepRecord[]> {
  const used = CONN_NAMES.filter((n) => requests.some((r) => r.as === n));
  const conns = new Map<ConnName, ConnState>();
  try {
    for (const name of used) conns.set(name, new ConnState(await XsRawClient.connect(endpoints[name])));
    // A first sync per connection, so that nothing from the connection set-up counts as a step's.
    await sync(conns);
    for (const s of conns.values()) s.take(null);

    const records: StepRecord[] = [];
    for (const request of requests) {
      const state = conns.get(request.as) as ConnState;
      const frames: StepRecord['frames'] = {};
      if (!state.client.isOpen) {
        frames[request.as] = ['(connection closed)'];
        records.push({ request, frames });
        continue;
      }
      const msg = requestMsg(request, state.ids);
      const reply = await state.client.request(msg.type, msg.payload, msg.txId).catch(() => null);
      if (reply?.type === XsType.TRANSACTION_START) {
        state.bind(request.newTx ?? `#${state.names.size + 1}`, Number(splitStrings(reply.payload)[0]));
      }
      const syncReplies = await sync(conns);
      for (const [name, s] of conns) {
        const got = s.take(syncReplies.get(name) ?? null);
        if (name === request.as && !s.client.isOpen) got.push('(closed by server)');
        if (got.length > 0) frames[name] = got;
      }
      records.push({ request, frames });
    }
    return records;
  } finally {
    await Promise.all([...conns.values()].map((s) => s.client.close()));
  }
}

/** Sends the sync request on every open connection; resolves with the answers once all arrived. */
async function sync(conns: ReadonlyMap<ConnName, ConnState>): Promise<Map<ConnName, XsMsg>> {
  const replies = new Map<ConnName, XsMsg>();
  await Promise.all(
    [...conns].map(async ([name, s]) => {
      if (!s.client.isOpen) return;
      const reply = await s.client.request(SYNC.type, SYNC.payload).catch(() => null);
      if (reply) replies.set(name, reply);
    }),
  );
  return replies;
}

/**
 * Model-based test: random command sequences run against the engine and against the plain
 * reference model (referenceModel.test-support.ts); replies, watch events and the whole tree must
 * agree after every command. Three connections (dom0's tool socket, domains 1 and 2) write,
 * remove subtrees, change permissions, watch, and interleave transactions, under both conflict
 * policies. A failure prints fast-check's { seed, path }; replay it with
 * XS_MODEL_SEED=<seed> XS_MODEL_PATH=<path> npx vitest run src/xenstore/model.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnId, XsTypeName } from './types';
import { request } from './request';
import type { XenStore } from './store';
import { createXenStore } from './store';
import type { MConn, MEvent } from './referenceModel.test-support';
import { ReferenceStore } from './referenceModel.test-support';

interface Real {
  store: XenStore;
  conns: Map<string, ConnId>;
}
interface Model {
  ref: ReferenceStore;
  conns: Map<string, MConn>;
}

const CONNS = ['d0', 'd1', 'd2'] as const;
type ConnName = (typeof CONNS)[number];

const SETUP: Array<[ConnName, XsTypeName, string[]]> = [
  ['d0', 'WRITE', ['/t', '']],
  ['d0', 'SET_PERMS', ['/t', 'n0', 'r1', 'b2']],
  ['d0', 'MKDIR', ['/local/domain/1']],
  ['d0', 'SET_PERMS', ['/local/domain/1', 'n1', 'r2']],
  ['d0', 'MKDIR', ['/local/domain/2']],
  ['d0', 'SET_PERMS', ['/local/domain/2', 'n2']],
];

/** Runs a request on both sides and checks replies, events and trees agree. */
function both(
  model: Model,
  real: Real,
  conn: ConnName,
  type: XsTypeName,
  args: string[],
  txPick: number | null,
) {
  const mconn = model.conns.get(conn) as MConn;
  // a transaction of this connection chosen by index (null: none; a closed one gives ENOENT on both)
  const open = [...mconn.txs.keys()];
  const txId = txPick === null || open.length === 0 ? 0 : (open[txPick % open.length] as number);
  const expected = model.ref.request(mconn, type, args, txId);
  const r = request(real.store, real.conns.get(conn) as ConnId, type, args, { txId });
  let got: string;
  if (!r.ok) got = r.error;
  else if (type === 'READ') got = r.value;
  else got = r.strings.length === 1 && r.strings[0] === 'OK' ? 'OK' : r.strings.join(',');
  const names = new Map([...real.conns].map(([n, id]) => [id, n]));
  const gotEvents: MEvent[] = r.effects.flatMap((e) =>
    e.kind === 'watch-event' ? [[names.get(e.conn) as string, e.path, e.token] as MEvent] : [],
  );
  const what = `${conn} ${type} ${JSON.stringify(args)} tx=${txId}`;
  expect(got, `reply to ${what}`).toBe(expected.reply);
  expect(gotEvents, `events of ${what}`).toEqual(expected.events);
  expect(dumpReal(real.store), `tree after ${what}`).toEqual(dumpModel(model.ref));
}

function dumpReal(store: XenStore): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    const n = store.getNode(path);
    if (n === undefined) return;
    const value = String.fromCharCode(...n.value);
    out.push(
      `${path}=${value} ${n.perms.map((p) => `${p.access}${p.domid}`).join(',')} [${n.children.join(',')}]`,
    );
    for (const c of n.children) walk(path === '/' ? `/${c}` : `${path}/${c}`);
  };
  walk('/');
  return out;
}

function dumpModel(ref: ReferenceStore): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    const n = ref.nodes.get(path);
    if (n === undefined) return;
    out.push(
      `${path}=${n.value} ${n.perms.map((p) => `${p.access}${p.domid}`).join(',')} [${n.children.join(',')}]`,
    );
    for (const c of n.children) walk(path === '/' ? `/${c}` : `${path}/${c}`);
  };
  walk('/');
  return out;
}

class Req implements fc.Command<Model, Real> {
  constructor(
    readonly conn: ConnName,
    readonly type: XsTypeName,
    readonly args: string[],
    readonly tx: number | null,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    both(model, real, this.conn, this.type, this.args, this.tx);
  }
  toString(): string {
    return `${this.conn}.${this.type}(${this.args.map((a) => JSON.stringify(a)).join(', ')})${this.tx === null ? '' : ` tx#${this.tx}`}`;
  }
}

// ---- generators ----

const name = fc.constantFrom('a', 'b');
const absPath = fc.oneof(
  { weight: 8, arbitrary: fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => `/t/${p.join('/')}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('/t', '/', '/t//a', '/t/a/', '/local/domain/1/a', '/local/domain/2/b'),
  },
);
const relPath = fc.array(name, { minLength: 1, maxLength: 2 }).map((p) => p.join('/'));
const path = fc.oneof({ weight: 4, arbitrary: absPath }, { weight: 1, arbitrary: relPath });
const value = fc.constantFrom('', 'x', 'yy', 'a\0b');
const perm = fc
  .tuple(fc.constantFrom('n', 'r', 'w', 'b'), fc.constantFrom(0, 1, 2))
  .map(([l, d]) => `${l}${d}`);
const perms = fc.array(perm, { minLength: 1, maxLength: 3 });
const conn = fc.constantFrom(...CONNS);
const txPick = fc.option(fc.nat(3), { nil: null, freq: 2 });
const token = fc.constantFrom('k', 'l');

const commands = [
  fc.tuple(conn, path, value, txPick).map(([c, p, v, t]) => new Req(c, 'WRITE', [p, v], t)),
  fc.tuple(conn, path, txPick).map(([c, p, t]) => new Req(c, 'MKDIR', [p], t)),
  fc.tuple(conn, path, txPick).map(([c, p, t]) => new Req(c, 'RM', [p], t)),
  fc.tuple(conn, path, txPick).map(([c, p, t]) => new Req(c, 'READ', [p], t)),
  fc.tuple(conn, path, txPick).map(([c, p, t]) => new Req(c, 'DIRECTORY', [p], t)),
  fc.tuple(conn, path, txPick).map(([c, p, t]) => new Req(c, 'GET_PERMS', [p], t)),
  fc.tuple(conn, path, perms, txPick).map(([c, p, ps, t]) => new Req(c, 'SET_PERMS', [p, ...ps], t)),
  fc.tuple(conn, path, token).map(([c, p, k]) => new Req(c, 'WATCH', [p, k], null)),
  fc.tuple(conn, path, token).map(([c, p, k]) => new Req(c, 'UNWATCH', [p, k], null)),
  conn.map((c) => new Req(c, 'TRANSACTION_START', [''], null)),
  fc
    .tuple(conn, fc.nat(3), fc.boolean())
    .map(([c, t, commit]) => new Req(c, 'TRANSACTION_END', [commit ? 'T' : 'F'], t)),
  conn.map((c) => new Req(c, 'RESET_WATCHES', [''], null)),
];

function setup(policy: 'read-set' | 'global'): { model: Model; real: Real } {
  const store = createXenStore({ version: 'modern', conflictPolicy: policy });
  const ref = new ReferenceStore(policy);
  const real: Real = {
    store,
    conns: new Map([
      ['d0', store.connect({ domid: 0, privileged: true, kind: 'socket' })],
      ['d1', store.introduceDomain(1).conn],
      ['d2', store.introduceDomain(2).conn],
    ]),
  };
  const model: Model = {
    ref,
    conns: new Map([
      ['d0', ref.addConn('d0', 0, true)],
      ['d1', ref.addConn('d1', 1, false)],
      ['d2', ref.addConn('d2', 2, false)],
    ]),
  };
  for (const [c, type, args] of SETUP) both(model, real, c, type, args, null);
  return { model, real };
}

const replay = process.env.XS_MODEL_SEED
  ? { seed: Number(process.env.XS_MODEL_SEED), path: process.env.XS_MODEL_PATH, endOnFailure: true }
  : {};

describe('engine against the reference model', () => {
  it('agrees on 2,000 random command sequences (replies, events, tree)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'read-set' | 'global'>('read-set', 'global'),
        fc.commands(commands, { maxCommands: 40, size: 'max' }),
        (policy, cmds) => {
          fc.modelRun(() => setup(policy), cmds);
        },
      ),
      { numRuns: 2000, ...replay },
    );
  });
});

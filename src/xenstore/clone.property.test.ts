/**
 * XenStore.clone() on random histories. A random prefix builds a store; it is cloned, and the clone
 * cloned again; the original then runs other random commands; then one random suffix runs on each
 * clone. Every copy must answer (replies and effects) and end exactly as a store that replays the
 * same commands and was never cloned (the engine is deterministic, so a replay is the oracle), which
 * checks both fidelity and that no copy sees another's changes, transactions' private views included.
 * Commands cover the whole public API (requests of every kind, connect, disconnect, introduce,
 * release, oversized payloads) under both daemon generations, both conflict policies and tight
 * quotas. The path and value generators follow model.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { XsTypeName } from './types';
import { XsType } from './types';
import { requestMsg } from './request';
import type { XenStore } from './store';
import { createXenStore } from './store';
import type { XenStoreOptionsInput } from './options';
import { fingerprint } from './harness.test-support';

type Cmd =
  | { kind: 'req'; conn: number; type: XsTypeName; args: string[]; tx: number }
  | { kind: 'connect'; domid: number; privileged: boolean; domain: boolean }
  | { kind: 'disconnect'; conn: number }
  | { kind: 'introduce'; domid: number }
  | { kind: 'release'; domid: number }
  | { kind: 'oversized'; conn: number };

/** Runs one command; a request on a connection that is gone answers 'no connection' on every copy. */
function run(store: XenStore, cmd: Cmd): unknown {
  switch (cmd.kind) {
    case 'req':
      if (store.getConn(cmd.conn) === undefined) return 'no connection';
      return store.handle(cmd.conn, requestMsg(cmd.type, cmd.args, { txId: cmd.tx }));
    case 'connect':
      return store.connect({
        domid: cmd.domid,
        privileged: cmd.privileged,
        kind: cmd.domain ? 'domain' : 'socket',
      });
    case 'disconnect':
      return store.disconnect(cmd.conn);
    case 'introduce':
      return store.introduceDomain(cmd.domid);
    case 'release':
      return store.releaseDomain(cmd.domid);
    case 'oversized':
      if (store.getConn(cmd.conn) === undefined) return 'no connection';
      return store.handle(cmd.conn, { type: XsType.READ, reqId: 1, txId: 0, payload: new Uint8Array(4097) });
  }
}

// ---- generators ----

/** connection ids: 1-4 exist after setup (dom0's ring, its tool socket, domains 1 and 2), 5-8 may come */
const conn = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 5, max: 8 }) },
);
const domid = fc.integer({ min: 0, max: 4 });
const dom = domid.map(String);
const name = fc.constantFrom('a', 'b');
const absPath = fc.oneof(
  { weight: 6, arbitrary: fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => `/t/${p.join('/')}`) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.array(name, { maxLength: 2 }))
      .map(([d, p]) => [`/local/domain/${d}`, ...p].join('/')),
  },
  { weight: 1, arbitrary: fc.constantFrom('/t', '/', '/t//a', '@introduceDomain', '@releaseDomain') },
);
const relPath = fc.array(name, { minLength: 1, maxLength: 2 }).map((p) => p.join('/'));
const path = fc.oneof({ weight: 4, arbitrary: absPath }, { weight: 1, arbitrary: relPath });
const value = fc.constantFrom('', 'x', 'yy', 'a\0b', 'z'.repeat(40));
const perm = fc
  .tuple(fc.constantFrom('n', 'r', 'w', 'b'), fc.constantFrom(0, 1, 2, 3))
  .map(([l, d]) => `${l}${d}`);
const perms = fc.array(perm, { minLength: 1, maxLength: 3 });
const token = fc.constantFrom('k', 'l');
const tx = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
);

const req = (type: XsTypeName, args: fc.Arbitrary<string[]>, txId = tx): fc.Arbitrary<Cmd> =>
  fc.tuple(conn, args, txId).map(([c, a, t]): Cmd => ({ kind: 'req', conn: c, type, args: a, tx: t }));

const command: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: req('WRITE', fc.tuple(path, value)) },
  { weight: 2, arbitrary: req('MKDIR', fc.tuple(path)) },
  { weight: 3, arbitrary: req('RM', fc.tuple(path)) },
  { weight: 3, arbitrary: req('READ', fc.tuple(path)) },
  { weight: 2, arbitrary: req('DIRECTORY', fc.tuple(path)) },
  { weight: 1, arbitrary: req('DIRECTORY_PART', fc.tuple(path, fc.constantFrom('0', '2'))) },
  { weight: 1, arbitrary: req('GET_PERMS', fc.tuple(path)) },
  {
    weight: 3,
    arbitrary: req(
      'SET_PERMS',
      fc.tuple(path, perms).map(([p, ps]) => [p, ...ps]),
    ),
  },
  { weight: 3, arbitrary: req('WATCH', fc.tuple(path, token)) },
  { weight: 1, arbitrary: req('UNWATCH', fc.tuple(path, token)) },
  { weight: 3, arbitrary: req('TRANSACTION_START', fc.constant(['']), fc.constant(0)) },
  {
    weight: 3,
    arbitrary: req('TRANSACTION_END', fc.constantFrom(['T'], ['T'], ['F']), fc.integer({ min: 1, max: 2 })),
  },
  { weight: 1, arbitrary: req('RESET_WATCHES', fc.constant([''])) },
  { weight: 1, arbitrary: req('INTRODUCE', fc.tuple(dom, fc.constant('0'), fc.constant('0'))) },
  { weight: 1, arbitrary: req('RELEASE', fc.tuple(dom)) },
  { weight: 1, arbitrary: req('IS_DOMAIN_INTRODUCED', fc.tuple(dom)) },
  { weight: 1, arbitrary: req('RESUME', fc.tuple(dom)) },
  { weight: 1, arbitrary: req('SET_TARGET', fc.tuple(dom, dom)) },
  { weight: 1, arbitrary: req('CONTROL', fc.tuple(fc.constant('quota'), dom)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(domid, fc.boolean(), fc.boolean())
      .map(([d, p, k]): Cmd => ({ kind: 'connect', domid: d, privileged: p, domain: k })),
  },
  { weight: 1, arbitrary: conn.map((c): Cmd => ({ kind: 'disconnect', conn: c })) },
  { weight: 1, arbitrary: domid.map((d): Cmd => ({ kind: 'introduce', domid: d })) },
  { weight: 1, arbitrary: domid.map((d): Cmd => ({ kind: 'release', domid: d })) },
  { weight: 1, arbitrary: conn.map((c): Cmd => ({ kind: 'oversized', conn: c })) },
);

const options: fc.Arbitrary<XenStoreOptionsInput> = fc.record({
  version: fc.constantFrom<'modern' | '2006'>('modern', '2006'),
  conflictPolicy: fc.constantFrom<'read-set' | 'global'>('read-set', 'global'),
  keepOrphans: fc.boolean(),
  quotas: fc.oneof(
    fc.constant({}),
    fc.constant({ nodes: 6, watches: 2, transactions: 1, transactionNodes: 5, nodeSize: 64 }),
  ),
});

/** dom0's tool socket (2), domains 1 and 2 (3, 4) with homes they own, and a shared /t. */
function setup(opts: XenStoreOptionsInput): XenStore {
  const store = createXenStore(opts);
  const dom0 = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  store.introduceDomain(1);
  store.introduceDomain(2);
  const send = (type: XsTypeName, args: string[]) => store.handle(dom0, requestMsg(type, args));
  send('MKDIR', ['/t']);
  send('SET_PERMS', ['/t', 'n0', 'r1', 'b2']);
  for (const d of [1, 2]) {
    send('MKDIR', [`/local/domain/${d}`]);
    send('SET_PERMS', [`/local/domain/${d}`, `n${d}`, 'r0']);
  }
  return store;
}

/** The engine is deterministic: replaying the same commands on a new store rebuilds the same state. */
function replay(opts: XenStoreOptionsInput, cmds: readonly Cmd[]): XenStore {
  const store = setup(opts);
  for (const cmd of cmds) run(store, cmd);
  return store;
}

const history = fc.array(command, { maxLength: 50, size: 'max' });

describe('XenStore.clone() on random histories', () => {
  it('a clone answers every later request exactly as the original, and stays independent', () => {
    fc.assert(
      fc.property(options, history, history, history, (opts, prefix, noise, suffix) => {
        // the original and two generations of clones; `fresh` replays are never cloned: the oracle
        const a = replay(opts, prefix);
        const b = a.clone();
        const c = b.clone();
        expect(fingerprint(b)).toEqual(fingerprint(a));

        // something else happens to the original after the clone was taken
        for (const cmd of noise) run(a, cmd);

        const fresh = replay(opts, prefix);
        const fromFresh = suffix.map((cmd) => run(fresh, cmd));

        const fromB = suffix.map((cmd) => run(b, cmd));
        expect(fromB, 'a clone, after its original moved on').toEqual(fromFresh);
        expect(fingerprint(b)).toEqual(fingerprint(fresh));

        const fromC = suffix.map((cmd) => run(c, cmd));
        expect(fromC, 'a clone of a clone, after that clone moved on').toEqual(fromFresh);
        expect(fingerprint(c)).toEqual(fingerprint(fresh));

        // and the original, after both clones moved on, still behaves as if it had never been cloned
        const unCloned = replay(opts, [...prefix, ...noise]);
        expect(fingerprint(a)).toEqual(fingerprint(unCloned));
        expect(
          suffix.map((cmd) => run(a, cmd)),
          'the original, after its clones moved on',
        ).toEqual(suffix.map((cmd) => run(unCloned, cmd)));
        expect(fingerprint(a)).toEqual(fingerprint(unCloned));
      }),
      { numRuns: 400 },
    );
  });

  it('a family of clones, run in any interleaving, behaves as that many stores that were never cloned', () => {
    // clones share their tree and watch index copy-on-write: running one moves the shared index to
    // it, so every store is run, read and cloned again in a random order
    type Step =
      { kind: 'cmd'; on: number; cmd: Cmd } | { kind: 'clone'; on: number } | { kind: 'look'; on: number };
    const on = fc.nat(15);
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 8, arbitrary: fc.tuple(on, command).map(([i, cmd]): Step => ({ kind: 'cmd', on: i, cmd })) },
      { weight: 1, arbitrary: on.map((i): Step => ({ kind: 'clone', on: i })) },
      { weight: 1, arbitrary: on.map((i): Step => ({ kind: 'look', on: i })) },
    );
    fc.assert(
      fc.property(
        options,
        history,
        fc.array(step, { maxLength: 120, size: 'max' }),
        (opts, prefix, steps) => {
          const stores = [replay(opts, prefix)];
          // per store: the commands it ran since setup, and what it answered
          const logs: Cmd[][] = [prefix.slice()];
          const answers: unknown[][] = [[]];
          for (const s of steps) {
            const i = s.on % stores.length;
            const store = stores[i] as XenStore;
            if (s.kind === 'cmd') {
              (logs[i] as Cmd[]).push(s.cmd);
              (answers[i] as unknown[]).push(run(store, s.cmd));
            } else if (s.kind === 'clone') {
              stores.push(store.clone());
              logs.push((logs[i] as Cmd[]).slice());
              answers.push([]);
            } else {
              fingerprint(store);
            }
          }
          stores.forEach((store, i) => {
            // a plain store that ran the same commands: all it answered since its clone, and its state
            const log = logs[i] as Cmd[];
            const mine = answers[i] as unknown[];
            const fresh = setup(opts);
            const all = log.map((cmd) => run(fresh, cmd));
            expect(mine, `store ${i}`).toEqual(all.slice(all.length - mine.length));
            expect(fingerprint(store), `store ${i}`).toEqual(fingerprint(fresh));
          });
          // and, all read once more in the other order, each still as it was
          for (let i = stores.length - 1; i >= 0; i--) {
            expect(fingerprint(stores[i] as XenStore)).toEqual(fingerprint(replay(opts, logs[i] as Cmd[])));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

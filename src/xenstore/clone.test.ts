/**
 * XenStore.clone(): the copy is the same store (same answers to the same calls from then on) and
 * an independent one (nothing done to either shows in the other). clone.property.test.ts checks
 * the same promises on random command sequences.
 */
import { describe, expect, it } from 'vitest';
import type { ConnId, XsResult } from './types';
import { requestMsg } from './request';
import type { XenStore } from './store';
import type { World } from './harness.test-support';
import { client, events, fingerprint, world } from './harness.test-support';

/** A store in a busy state: devices, permissions, watches, a stub-domain target, an open transaction. */
function busyWorld(): { w: World; tx: number } {
  const w = world();
  const { dom0 } = w;
  const d1 = w.dom(1);
  const d2 = w.dom(2);
  for (const d of [1, 2]) {
    dom0.mkdir(`/local/domain/${d}`);
    dom0.setPerms(`/local/domain/${d}`, [`n${d}`, 'r0']);
    for (let m = 0; m < 3; m++) {
      const dev = `/local/domain/${d}/device/vbd/${51712 + m}`;
      dom0.write(`${dev}/backend`, `/local/domain/0/backend/vbd/${d}/${51712 + m}`);
      dom0.write(`${dev}/state`, '1');
    }
    dom0.setPerms(`/local/domain/${d}/device`, [`n${d}`, 'r0']);
  }
  dom0.watch('/local/domain', 'all');
  dom0.watch('@introduceDomain', 'intro');
  dom0.watch('@releaseDomain', 'rel');
  d1.watch('device/vbd', 'rel-vbd');
  d2.watch('/local/domain/2/device/vbd/51712/state', 'st');
  dom0.ask('SET_TARGET', ['2', '1']);
  const tx = d1.start();
  d1.write('device/vbd/51712/state', '3', tx);
  d1.read('device/vbd/51713/state', tx);
  return { w, tx };
}

/** A fixed script touching every kind of state; returns every answer and effect in order. */
function script(store: XenStore, dom0: ConnId, d1: ConnId, d2: ConnId, tx: number): unknown[] {
  const out: unknown[] = [];
  const send = (conn: ConnId, type: Parameters<typeof requestMsg>[0], args: string[], txId = 0) => {
    const r: XsResult = store.handle(conn, requestMsg(type, args, { txId }));
    out.push(r);
  };
  send(d1, 'READ', ['device/vbd/51712/state'], tx);
  send(d1, 'WRITE', ['device/vbd/51714/state', '1'], tx);
  send(dom0, 'WRITE', ['/local/domain/1/device/vbd/51713/state', '2']);
  send(d1, 'TRANSACTION_END', ['T'], tx);
  send(d1, 'TRANSACTION_START', ['']);
  send(d2, 'READ', ['/local/domain/1/device/vbd/51712/backend']);
  send(d2, 'WRITE', ['device/vbd/51712/state', '4']);
  send(dom0, 'DIRECTORY_PART', ['/local/domain/1/device/vbd', '0']);
  send(dom0, 'RM', ['/local/domain/2/device/vbd/51713']);
  send(dom0, 'CONTROL', ['quota', '1']);
  send(d1, 'UNWATCH', ['device/vbd', 'rel-vbd']);
  send(d1, 'WATCH', ['device', 'again']);
  out.push(store.connect({ domid: 0 }));
  out.push(store.introduceDomain(3));
  out.push(store.releaseDomain(2));
  out.push(store.disconnect(dom0));
  out.push(store.handle(d1, { type: 2, reqId: 7, txId: 0, payload: new Uint8Array(4097) }));
  out.push(store.introduceDomain(1));
  out.push(fingerprint(store));
  return out;
}

describe('XenStore.clone()', () => {
  it('a clone answers every later request exactly as the original', () => {
    const { w, tx } = busyWorld();
    const copy = w.store.clone();
    expect(fingerprint(copy)).toEqual(fingerprint(w.store));
    const ids = [w.dom0.conn, w.dom(1).conn, w.dom(2).conn] as const;
    const fromCopy = script(copy, ...ids, tx);
    const fromOriginal = script(w.store, ...ids, tx);
    expect(fromCopy).toEqual(fromOriginal);
    // and a clone of a clone, taken after all that, is the same store again
    expect(fingerprint(copy.clone())).toEqual(fingerprint(copy));
  });

  it('writes to a clone never show in the original (and vice versa)', () => {
    const { w } = busyWorld();
    const a = w.store;
    const before = fingerprint(a);
    const b = a.clone();
    const [dom0, d1] = [client(b, w.dom0.conn), client(b, w.dom(1).conn)];

    expect(dom0.write('/local/domain/1/device/vbd/51712/state', 'changed')).toBe('OK');
    expect(dom0.write('/local/domain/1/device/vbd/51711/state', 'new')).toBe('OK');
    expect(dom0.rm('/local/domain/2/device')).toBe('OK');
    expect(dom0.setPerms('/local/domain/1', ['b1'])).toBe('OK');
    expect(dom0.watch('/x', 'tok')).toBe('OK');
    expect(d1.unwatch('device/vbd', 'rel-vbd')).toBe('OK');
    d1.start();
    dom0.ask('SET_TARGET', ['1', '2']);
    expect(dom0.setPerms('@introduceDomain', ['n0', 'r1'])).toBe('OK');
    b.introduceDomain(5);
    b.releaseDomain(2);
    b.connect({ domid: 7, kind: 'domain' });
    b.handle(w.dom(1).conn, { type: 2, reqId: 0, txId: 0, payload: new Uint8Array(5000) });
    b.disconnect(w.dom0.conn);
    b.options.quotas.nodes = 1;
    expect(fingerprint(a)).toEqual(before);
    expect(fingerprint(b)).not.toEqual(before);

    // the other way round: the original's changes leave the clone as it was
    const c = a.clone();
    const { dom0: aDom0 } = w;
    // counters are independent: each side hands out the same next generation and connection id
    expect(client(c, w.dom0.conn).write('/gen', '')).toBe('OK');
    expect(aDom0.write('/gen', '')).toBe('OK');
    expect(c.getNode('/gen')?.generation).toBe(a.getNode('/gen')?.generation);
    expect(c.connect({ domid: 0 })).toBe(a.connect({ domid: 0 }));
    const frozen = fingerprint(c);
    expect(aDom0.write('/local/domain/1/device/vbd/51712/state', 'a-side')).toBe('OK');
    expect(aDom0.rm('/local/domain/1')).toBe('OK');
    a.introduceDomain(9);
    a.disconnect(w.dom(2).conn);
    a.options.quotas.watches = 0;
    expect(fingerprint(c)).toEqual(frozen);
  });

  it('special @ permissions are per store', () => {
    const { w } = busyWorld();
    const d1 = w.dom(1);
    expect(d1.watch('@introduceDomain', 'mine')).toBe('OK');
    const b = w.store.clone();
    expect(client(b, w.dom0.conn).setPerms('@introduceDomain', ['n0', 'r1'])).toBe('OK');
    expect(events(b.introduceDomain(6).effects, d1.conn)).toEqual(['@introduceDomain mine']);
    expect(events(w.store.introduceDomain(6).effects, d1.conn)).toEqual([]);
  });

  it('open transactions, watches and quotas survive a clone', () => {
    const w = world({ quotas: { nodes: 6, transactions: 1, watches: 1 } });
    const { dom0 } = w;
    const d1 = w.dom(1);
    const d2 = w.dom(2);
    dom0.mkdir('/local/domain/1');
    dom0.setPerms('/local/domain/1', ['n1', 'r2']);
    // dom1 owns its home and five nodes: the quota of 6 is used up
    for (let i = 0; i < 5; i++) expect(d1.write(`n${i}`, '')).toBe('OK');
    expect(d1.write('n5', '')).toBe('ENOSPC');
    expect(d2.watch('/local/domain/1', 'w')).toBe('OK');
    const tx = d1.start();
    expect(d1.write('n0', 'in-tx', tx)).toBe('OK');

    const b = w.store.clone();
    const [b1, b2] = [client(b, d1.conn), client(b, d2.conn)];
    // the open transaction: its private view and its id, on both sides
    expect(b1.read('n0', tx)).toBe('in-tx');
    expect(b1.read('n0')).toBe('');
    // the quotas accounting: one transaction more allowed (quota + 1), no node, one watch more
    expect(b1.ask('TRANSACTION_START', [''])).toBe(String(tx + 1));
    expect(b1.ask('TRANSACTION_START', [''])).toBe('ENOSPC');
    expect(b1.write('n5', '')).toBe('ENOSPC');
    expect(b1.rm('n4')).toBe('OK');
    expect(b1.write('n5', '')).toBe('OK');
    expect(b2.watch('/w1', 'w1')).toBe('OK');
    expect(b2.watch('/w2', 'w2')).toBe('E2BIG');
    // commit on the clone: its watches fire there
    const commit = b1.send('TRANSACTION_END', ['T'], tx);
    expect(commit.ok).toBe(true);
    expect(events(commit.effects, d2.conn)).toEqual(['/local/domain/1/n0 w']);
    expect(b1.read('n0')).toBe('in-tx');

    // the original still has its transaction open, with its own private copy of n0
    expect(d1.write('n0', 'a-side', tx)).toBe('OK');
    expect(b1.read('n0')).toBe('in-tx');
    expect(d1.read('n0', tx)).toBe('a-side');
    expect(d1.read('n0')).toBe('');
    expect(d1.end(tx, false)).toBe('OK');
    // and its own quotas left
    expect(d1.read('n0')).toBe('');
    expect(d1.write('n5', '')).toBe('ENOSPC');
    expect(d1.read('n4')).toBe('');
    expect(d2.watch('/w1', 'w1')).toBe('OK');
    expect(d1.ask('TRANSACTION_START', [''])).toBe(String(tx + 1));
  });

  it('watches keep their registration order across a clone', () => {
    const w = world();
    const { dom0 } = w;
    dom0.write('/a/b', '');
    expect(dom0.watch('/a', 'first')).toBe('OK');
    expect(dom0.watch('/a/b', 'second')).toBe('OK');
    const b = w.store.clone();
    for (const store of [w.store, b]) {
      const c = client(store, dom0.conn);
      expect(c.watch('/a', 'third')).toBe('OK');
      expect(events(c.send('WRITE', ['/a/b', 'x']).effects)).toEqual([
        '/a/b first',
        '/a/b second',
        '/a/b third',
      ]);
    }
  });

  it("a transaction's own nodes stay its own in each copy when the other commits", () => {
    for (const commitFirst of ['original', 'copy'] as const) {
      const w = world();
      const tx = w.dom0.start();
      expect(w.dom0.write('/a', 'tx', tx)).toBe('OK');
      expect(w.dom0.mkdir('/b/c', tx)).toBe('OK');
      const b = w.store.clone();
      const [first, second] =
        commitFirst === 'original' ? [w.dom0, client(b, w.dom0.conn)] : [client(b, w.dom0.conn), w.dom0];
      // one side commits, then changes the committed nodes outside the transaction
      expect(first.end(tx)).toBe('OK');
      expect(first.write('/a', 'after')).toBe('OK');
      expect(first.write('/b/d', '')).toBe('OK');
      // the other side's transaction still sees the versions it wrote, and commits them
      expect(second.read('/a', tx)).toBe('tx');
      expect(second.dir('/b', tx)).toBe('c');
      expect(second.end(tx)).toBe('OK');
      expect(second.read('/a')).toBe('tx');
      expect(second.dir('/b')).toBe('c');
      expect(first.read('/a')).toBe('after');
      expect(first.dir('/b')).toBe('c,d');
    }
  });

  it("a 'global' transaction keeps its start-of-transaction view in each copy", () => {
    const w = world({ conflictPolicy: 'global' });
    const { dom0 } = w;
    expect(dom0.write('/x', 'old')).toBe('OK');
    const tx = dom0.start();
    const b = w.store.clone();
    const b0 = client(b, dom0.conn);
    expect(b0.write('/x', 'new')).toBe('OK');
    expect(b0.read('/x', tx)).toBe('old');
    expect(b0.end(tx)).toBe('EAGAIN');
    expect(dom0.read('/x', tx)).toBe('old');
    expect(dom0.write('/y', '1', tx)).toBe('OK');
    expect(dom0.end(tx)).toBe('OK');
    expect(dom0.read('/y')).toBe('1');
    expect(b0.read('/y')).toBe('ENOENT');
  });
});

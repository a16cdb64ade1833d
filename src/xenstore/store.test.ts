import { describe, expect, it } from 'vitest';
import { XsType } from './types';
import { createXenStore, defaultOptions } from './store';
import { requestMsg } from './request';
import { binaryToBytes } from './payload';
import { client, events, world } from './harness.test-support';

describe('createXenStore / defaultOptions', () => {
  it('modern defaults to read-set conflicts, 2006 to global; quotas are the daemon’s', () => {
    expect(defaultOptions().conflictPolicy).toBe('read-set');
    expect(defaultOptions('2006').conflictPolicy).toBe('global');
    expect(defaultOptions().quotas).toEqual({
      nodes: 1000,
      nodeSize: 2048,
      watches: 128,
      transactions: 10,
      permissions: 5,
      pathMax: 2048,
      transactionNodes: 1024,
    });
  });

  it('options override the defaults of their version, quotas field by field', () => {
    const s = createXenStore({ version: '2006', quotas: { nodes: 5 } });
    expect(s.options.conflictPolicy).toBe('global');
    expect(s.options.quotas.nodes).toBe(5);
    expect(s.options.quotas.watches).toBe(128);
  });

  it('a new store holds only / (n0) and has the store domain introduced', () => {
    const s = createXenStore();
    expect(s.getNode('/')).toEqual({
      path: '/',
      value: new Uint8Array(0),
      perms: [{ domid: 0, access: 'n' }],
      children: [],
      generation: 0,
    });
    const dom0 = client(s, s.connect({ domid: 0, privileged: true, kind: 'socket' }));
    expect(dom0.ask('IS_DOMAIN_INTRODUCED', ['0'])).toBe('T');
  });

  it('getNodeView gives what getNode copies: the value as bytes-in-a-string, perms, child paths', () => {
    const { store, dom0 } = world();
    dom0.ask('WRITE', ['/a/b', 'h\u00e9']);
    const view = store.getNodeView('/a/b')!;
    const snap = store.getNode('/a/b')!;
    expect(binaryToBytes(view.value)).toEqual(snap.value);
    expect(view.perms).toEqual(snap.perms);
    expect(store.getNodeView('/a')!.children).toEqual(['/a/b']);
    expect(store.getNodeView('/none')).toBeUndefined();
  });
});

describe('handle(): process_message', () => {
  it('the reply echoes type, req_id and tx_id; errors come as ERROR with the same ids', () => {
    const { store, dom0 } = world();
    const tx = dom0.start();
    const ok = store.handle(dom0.conn, { ...requestMsg('WRITE', ['/a', 'v']), reqId: 7, txId: tx });
    expect(ok.reply).toMatchObject({ type: XsType.WRITE, reqId: 7, txId: tx });
    const err = store.handle(dom0.conn, { ...requestMsg('READ', ['/none']), reqId: 9 });
    expect(err.reply).toMatchObject({ type: XsType.ERROR, reqId: 9, txId: 0 });
  });

  it('unknown, reply-only and removed types are ENOSYS', () => {
    const { dom0 } = world();
    for (const t of [XsType.WATCH_EVENT, XsType.ERROR, XsType.RESTRICT, 23, 24, 25, 26, 99, XsType.INVALID]) {
      expect(dom0.ask(t, []), String(t)).toBe('ENOSYS');
    }
  });

  it('[2006] types 18 and later are ENOSYS', () => {
    const { dom0 } = world({ version: '2006' });
    for (const t of [18, 19, 21, 22]) expect(dom0.ask(t, ['0', '0']), String(t)).toBe('ENOSYS');
    expect(dom0.ask('IS_DOMAIN_INTRODUCED', ['0'])).toBe('T');
  });

  it('privileged-only types are EACCES for a domain', () => {
    const w = world();
    const d1 = w.dom(1);
    for (const t of [
      'CONTROL',
      'INTRODUCE',
      'RELEASE',
      'IS_DOMAIN_INTRODUCED',
      'RESUME',
      'SET_TARGET',
    ] as const) {
      expect(d1.ask(t, ['1', '0', '1']), t).toBe('EACCES');
    }
  });

  it('a payload over 4096 bytes gets no reply; the connection is dead from then on', () => {
    const w = world();
    const d1 = w.dom(1);
    d1.watch('/a', 't');
    const big = { type: XsType.WRITE, reqId: 0, txId: 0, payload: new Uint8Array(4097) };
    const r = w.store.handle(d1.conn, big);
    expect(r.reply).toBeNull();
    expect(r.effects.map((e) => e.kind)).toEqual(['watch-remove']);
    expect(w.store.getConn(d1.conn)?.ignored).toBe(true);
    expect(w.store.handle(d1.conn, requestMsg('READ', ['/a'])).reply).toBeNull();
    expect(events(w.dom0.send('WRITE', ['/a', '1']).effects)).toEqual([]);
  });

  it('a payload of exactly 4096 bytes is handled', () => {
    const { store, dom0 } = world();
    const payload = new Uint8Array(4096);
    payload.set(new TextEncoder().encode('/p\0'));
    expect(store.handle(dom0.conn, { type: XsType.WRITE, reqId: 0, txId: 0, payload }).reply?.type).toBe(
      XsType.WRITE,
    );
  });

  it('an unknown connection id is a programming error', () => {
    const { store } = world();
    expect(() => store.handle(999, requestMsg('READ', ['/']))).toThrow(/no connection/);
  });
});

describe('connections', () => {
  it('socket connections are privileged for dom0 by default', () => {
    const s = createXenStore();
    const c = s.connect({ domid: 0, kind: 'socket' });
    expect(s.getConn(c)).toMatchObject({ domid: 0, privileged: true, kind: 'socket' });
  });

  it('connecting a domain’s ring returns its connection; a new domain is attached quietly', () => {
    const s = createXenStore();
    const a = s.connect({ domid: 4, privileged: false, kind: 'domain' });
    expect(s.connect({ domid: 4, privileged: false, kind: 'domain' })).toBe(a);
    expect(s.introduceDomain(4).conn).toBe(a);
  });

  it('disconnect drops watches and transactions; the domain stays introduced', () => {
    const w = world();
    const d1 = w.dom(1);
    d1.watch('/a', 't');
    d1.start();
    expect(w.store.disconnect(d1.conn).map((e) => e.kind)).toEqual(['watch-remove', 'transaction-end']);
    expect(w.store.getConn(d1.conn)).toBeUndefined();
    expect(w.dom0.ask('IS_DOMAIN_INTRODUCED', ['1'])).toBe('T');
    const again = w.store.connect({ domid: 1, privileged: false, kind: 'domain' });
    expect(again).not.toBe(d1.conn);
    expect(w.store.disconnect(12345)).toEqual([]);
  });

  it('listWatches shows canonical paths, per connection or all', () => {
    const w = world();
    const d1 = w.dom(1);
    d1.watch('device', 'a');
    w.dom0.watch('/x', 'b');
    expect(w.store.listWatches(d1.conn)).toEqual([
      { conn: d1.conn, path: '/local/domain/1/device', token: 'a' },
    ]);
    expect(w.store.listWatches()).toHaveLength(2);
  });
});

describe('restartDaemon()', () => {
  // as xenstored 4.17 was seen to do under `xenstore-control live-update -F` with a transaction open
  it('live-update keeps the tree and the watches; open transactions are gone, ids restart at 1', () => {
    const w = world();
    const d1 = w.dom(1);
    w.dom0.write('/local/domain/1/data', '');
    w.dom0.setPerms('/local/domain/1/data', ['b1']);
    d1.watch('/local/domain/1/data', 'tok');
    const tx = d1.start();
    d1.write('/local/domain/1/data/x', '1', tx);
    expect(w.store.openTransactions()).toBe(1);
    const effects = w.store.restartDaemon('live-update');
    expect(effects).toEqual([{ kind: 'transaction-end', conn: d1.conn, txId: tx, outcome: 'reset' }]);
    expect(w.store.openTransactions()).toBe(0);
    expect(d1.end(tx)).toBe('ENOENT');
    expect(d1.read('/local/domain/1/data/x')).toBe('ENOENT');
    expect(d1.start()).toBe(1);
    const r = w.dom0.send('WRITE', ['/local/domain/1/data/y', '2']);
    expect(r.effects.filter((e) => e.kind === 'watch-event').map((e) => e.conn)).toEqual([d1.conn]);
  });

  it('restart keeps the tree; every watch and transaction is gone and nothing fires', () => {
    const w = world({ version: '2006' });
    const d1 = w.dom(1);
    w.dom0.write('/local/domain/1/data', 'v');
    w.dom0.setPerms('/local/domain/1/data', ['b1']);
    d1.watch('/local/domain/1/data', 'tok');
    w.dom0.watch('/local', 'dom0');
    const tx = d1.start();
    const kinds = w.store.restartDaemon('restart').map((e) => e.kind);
    expect(kinds.filter((k) => k === 'watch-remove')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'transaction-end')).toHaveLength(1);
    expect(w.store.listWatches()).toEqual([]);
    expect(d1.read('/local/domain/1/data')).toBe('v');
    expect(d1.end(tx)).toBe('ENOENT');
    const r = w.dom0.send('WRITE', ['/local/domain/1/data', 'w']);
    expect(r.effects.some((e) => e.kind === 'watch-event')).toBe(false);
  });
});

describe('determinism', () => {
  it('the same requests give the same replies and effects, byte for byte', () => {
    const run = () => {
      const w = world();
      const d1 = w.dom(1);
      const out: unknown[] = [];
      out.push(w.dom0.send('WRITE', ['/local/domain/1/device/vbd/1/state', '1']));
      out.push(w.dom0.send('SET_PERMS', ['/local/domain/1', 'n1']));
      out.push(d1.send('WATCH', ['device', 'tok']));
      const tx = d1.start();
      out.push(d1.send('WRITE', ['device/vbd/1/state', '4'], tx));
      out.push(d1.send('TRANSACTION_END', ['T'], tx));
      out.push(w.store.releaseDomain(1));
      return JSON.stringify(out, (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v));
    };
    expect(run()).toBe(run());
  });
});

import { describe, expect, it } from 'vitest';
import type { Client } from '../harness.test-support';
import { events, world } from '../harness.test-support';

/** /tx/a = 1, /tx/sub/deep = 1; `d0` runs the transaction, `other` writes outside it. */
function setup(options?: Parameters<typeof world>[0]) {
  const w = world(options);
  const other = w.tool();
  other.write('/tx/a', '1');
  other.write('/tx/sub/deep', '1');
  return { w, d0: w.dom0, other };
}

function conflict(body: (d0: Client, tx: number) => void, outside: (other: Client) => void): string {
  const { d0, other } = setup();
  const tx = d0.start();
  body(d0, tx);
  outside(other);
  return d0.end(tx);
}

describe('TRANSACTION_START / END', () => {
  it('ids count up per connection from 1', () => {
    const { w, d0 } = setup();
    expect([d0.start(), d0.start()]).toEqual([1, 2]);
    expect(w.tool().start()).toBe(1);
  });

  it('a START carrying an open transaction’s id is EBUSY, an unknown id ENOENT', () => {
    const { d0 } = setup();
    const tx = d0.start();
    expect(d0.ask('TRANSACTION_START', [''], tx)).toBe('EBUSY');
    expect(d0.ask('TRANSACTION_START', [''], 99)).toBe('ENOENT');
  });

  it('END needs T or F (EINVAL) and a transaction (ENOENT); ending twice is ENOENT', () => {
    const { d0 } = setup();
    const tx = d0.start();
    expect(d0.ask('TRANSACTION_END', ['X'], tx)).toBe('EINVAL');
    expect(d0.ask('TRANSACTION_END', ['T'], 0)).toBe('ENOENT');
    expect(d0.end(tx)).toBe('OK');
    expect(d0.end(tx)).toBe('ENOENT');
  });

  it('any request naming an unknown transaction is ENOENT', () => {
    const { d0 } = setup();
    expect(d0.read('/tx/a', 42)).toBe('ENOENT');
  });
});

describe('isolation', () => {
  it('reads see the transaction’s own writes; others do not until commit', () => {
    const { d0, other } = setup();
    const tx = d0.start();
    d0.write('/tx/a', 'T', tx);
    d0.write('/tx/new', 'N', tx);
    expect(d0.read('/tx/a', tx)).toBe('T');
    expect(other.read('/tx/a')).toBe('1');
    expect(other.read('/tx/new')).toBe('ENOENT');
    expect(d0.end(tx)).toBe('OK');
    expect(other.read('/tx/a')).toBe('T');
    expect(other.read('/tx/new')).toBe('N');
  });

  it('abort discards everything and fires nothing', () => {
    const { w, d0, other } = setup();
    w.tool().watch('/tx', 'W');
    const tx = d0.start();
    d0.write('/tx/a', 'T', tx);
    const r = d0.send('TRANSACTION_END', ['F'], tx);
    expect(events(r.effects)).toEqual([]);
    expect(other.read('/tx/a')).toBe('1');
  });

  it('[read-set] a node is copied at first access: a change before that is seen, after it is not', () => {
    const { d0, other } = setup();
    const tx = d0.start();
    other.write('/tx/a', '2');
    expect(d0.read('/tx/a', tx)).toBe('2');
    other.write('/tx/a', '3');
    expect(d0.read('/tx/a', tx)).toBe('2');
  });

  it('[read-set] a directory read keeps the listing it saw, plus the transaction’s own children', () => {
    const { d0, other } = setup();
    const tx = d0.start();
    expect(d0.dir('/tx', tx)).toBe('a,sub');
    other.write('/tx/zz', '2');
    expect(d0.dir('/tx', tx)).toBe('a,sub');
    d0.write('/tx/q', '', tx);
    expect(d0.dir('/tx', tx)).toBe('a,sub,q');
  });

  it('[global] the transaction sees the store as it was at TRANSACTION_START', () => {
    const { d0, other } = setup({ version: '2006' });
    const tx = d0.start();
    other.write('/tx/a', '2');
    other.rm('/tx/sub');
    other.write('/tx/new', 'n');
    expect(d0.read('/tx/a', tx)).toBe('1');
    expect(d0.read('/tx/sub/deep', tx)).toBe('1');
    expect(d0.read('/tx/new', tx)).toBe('ENOENT');
    expect(d0.dir('/tx', tx)).toBe('a,sub');
  });
});

describe('conflicts, read-set policy (xenstored 4.17, cases seen on the wire)', () => {
  it('reading a node that someone else then changes gives EAGAIN, and the other value stays', () => {
    const { d0, other } = setup();
    const tx = d0.start();
    d0.read('/tx/a', tx);
    other.write('/tx/a', '2');
    const r = d0.send('TRANSACTION_END', ['T'], tx);
    expect(r.ok ? 'OK' : r.error).toBe('EAGAIN');
    expect(r.effects).toContainEqual({
      kind: 'transaction-end',
      conn: d0.conn,
      txId: tx,
      outcome: 'eagain',
      conflictPath: '/tx/a',
      reads: ['/tx/a'],
      writes: [],
    });
    expect(other.read('/tx/a')).toBe('2');
  });

  it('the end effect carries the read set and the write set in first-access order', () => {
    const { d0 } = setup();
    const tx = d0.start();
    d0.read('/tx/a', tx);
    d0.write('/tx/b', 'x', tx);
    d0.send('RM', ['/tx/a'], tx);
    const r = d0.send('TRANSACTION_END', ['T'], tx);
    const end = r.effects.find((e) => e.kind === 'transaction-end');
    // in first-access order: /tx/a (read, then removed), /tx/b (created), then its parent /tx,
    // reached through the new child (a child added and one removed change its list)
    expect(end).toMatchObject({ outcome: 'commit', writes: ['/tx/a', '/tx/b', '/tx'] });
    expect(end && 'reads' in end ? end.reads : []).toEqual(expect.arrayContaining(['/tx/a', '/tx']));
  });

  it('writing an unrelated node does not conflict', () => {
    expect(
      conflict(
        (d, tx) => d.write('/tx/a', 'T', tx),
        (o) => o.write('/other', '2'),
      ),
    ).toBe('OK');
  });

  it('a new sibling does not conflict with reading or rewriting an existing node', () => {
    expect(
      conflict(
        (d, tx) => d.read('/tx/a', tx),
        (o) => o.write('/tx/b', 'x'),
      ),
    ).toBe('OK');
    expect(
      conflict(
        (d, tx) => d.write('/tx/a', 'v', tx),
        (o) => o.write('/tx/b', 'x'),
      ),
    ).toBe('OK');
  });

  it('reading a missing node reads its ancestors too: a new sibling conflicts', () => {
    expect(
      conflict(
        (d, tx) => d.read('/tx/m', tx),
        (o) => o.write('/tx/b', 'x'),
      ),
    ).toBe('EAGAIN');
    expect(
      conflict(
        (d, tx) => d.read('/tx/m/n', tx),
        (o) => o.write('/tx/b', 'x'),
      ),
    ).toBe('EAGAIN');
  });

  it('creating a node reads its parent: a new sibling conflicts', () => {
    expect(
      conflict(
        (d, tx) => d.write('/tx/new', 'v', tx),
        (o) => o.write('/tx/b', 'x'),
      ),
    ).toBe('EAGAIN');
  });

  it('listing a directory does not conflict with a change of a child’s value', () => {
    expect(
      conflict(
        (d, tx) => d.dir('/tx', tx),
        (o) => o.write('/tx/a', 'x'),
      ),
    ).toBe('OK');
  });

  it('a subtree removed in the transaction conflicts with a write inside it', () => {
    expect(
      conflict(
        (d, tx) => d.rm('/tx/sub', tx),
        (o) => o.write('/tx/sub/deep', '2'),
      ),
    ).toBe('EAGAIN');
  });

  it('writing a node someone else then writes conflicts (the write read it first)', () => {
    expect(
      conflict(
        (d, tx) => d.write('/tx/a', 'T', tx),
        (o) => o.write('/tx/a', '2'),
      ),
    ).toBe('EAGAIN');
  });

  it('permission changes count as changes', () => {
    expect(
      conflict(
        (d, tx) => d.perms('/tx/a', tx),
        (o) => o.setPerms('/tx/a', ['n0']),
      ),
    ).toBe('EAGAIN');
  });

  it('a missing node created and removed again meanwhile still conflicts via its parent', () => {
    const outside = (o: Client) => {
      o.write('/tx/sub/m', '2');
      o.rm('/tx/sub/m');
    };
    expect(conflict((d, tx) => d.read('/tx/sub/m', tx), outside)).toBe('EAGAIN');
  });
});

describe('stale parent copies', () => {
  it('RM of a node created after the transaction copied its parent is EIO (delete_child)', () => {
    const { d0, other } = setup();
    const tx = d0.start();
    expect(d0.dir('/tx', tx)).toBe('a,sub');
    other.write('/tx/b', '');
    expect(d0.rm('/tx/b', tx)).toBe('EIO');
    expect(d0.end(tx)).toBe('EAGAIN');
    expect(other.read('/tx/b')).toBe('');
  });
});

describe('stale parent copies, continued', () => {
  it('RM of a node whose parent the transaction saw as absent is EINVAL (rm_node)', () => {
    const { d0, other } = setup();
    const tx = d0.start();
    expect(d0.read('/tx/b', tx)).toBe('ENOENT');
    other.mkdir('/tx/b/b/a');
    expect(d0.rm('/tx/b/b', tx)).toBe('EINVAL');
    expect(d0.end(tx)).toBe('EAGAIN');
  });
});

describe('conflicts, global policy [2006]', () => {
  it('any write anywhere conflicts every open transaction', () => {
    const { d0, other } = setup({ version: '2006' });
    const tx = d0.start();
    d0.write('/tx/a', 'T', tx);
    other.write('/elsewhere', '1');
    expect(d0.end(tx)).toBe('EAGAIN');
  });

  it('any commit conflicts every other open transaction, even one that changed nothing', () => {
    const { w, d0 } = setup({ version: '2006' });
    const t2 = w.tool();
    const a = d0.start();
    const b = t2.start();
    expect(t2.end(b)).toBe('OK');
    expect(d0.end(a)).toBe('EAGAIN');
  });

  it('a transaction with no outside change commits', () => {
    const { d0, other } = setup({ version: '2006' });
    const tx = d0.start();
    d0.write('/tx/a', 'T', tx);
    expect(d0.end(tx)).toBe('OK');
    expect(other.read('/tx/a')).toBe('T');
  });

  it('the global policy can be chosen for the modern daemon too', () => {
    const { d0, other } = setup({ version: 'modern', conflictPolicy: 'global' });
    const tx = d0.start();
    d0.read('/tx/a', tx);
    other.write('/unrelated', '1');
    expect(d0.end(tx)).toBe('EAGAIN');
  });
});

describe('watch events at commit', () => {
  it('no events before commit; one per changed node in first-access order at commit', () => {
    const { w, d0 } = setup();
    const watcher = w.tool();
    watcher.watch('/tx', 'W');
    const tx = d0.start();
    const during = [
      d0.send('WRITE', ['/tx/z', '1'], tx),
      d0.send('WRITE', ['/tx/a', '1'], tx),
      d0.send('READ', ['/tx/sub'], tx),
      d0.send('WRITE', ['/tx/z', '2'], tx),
      d0.send('WRITE', ['/tx/sub/deep', '2'], tx),
      d0.send('RM', ['/tx/sub'], tx),
      d0.send('MKDIR', ['/tx/sub/new'], tx),
      d0.send('SET_PERMS', ['/tx/a', 'n0'], tx),
    ];
    expect(during.flatMap((r) => events(r.effects))).toEqual([]);
    const commit = d0.send('TRANSACTION_END', ['T'], tx);
    expect(events(commit.effects)).toEqual([
      '/tx/z W',
      '/tx/a W',
      '/tx/sub W',
      '/tx/sub/deep W',
      '/tx/sub/new W',
    ]);
    expect(w.dom0.dir('/tx')).toBe('a,z,sub');
  });

  it('EAGAIN fires nothing and changes nothing', () => {
    const { w, d0, other } = setup();
    w.tool().watch('/tx', 'W');
    const tx = d0.start();
    d0.write('/tx/a', 'T', tx);
    other.write('/tx/a', '2');
    const r = d0.send('TRANSACTION_END', ['T'], tx);
    expect(events(r.effects)).toEqual([]);
    expect(r.effects.some((e) => e.kind === 'node-write')).toBe(false);
  });

  it('reports committed nodes as node-write / node-remove effects', () => {
    const { d0 } = setup();
    const tx = d0.start();
    d0.write('/tx/a', 'T', tx);
    d0.rm('/tx/sub', tx);
    const kinds = d0
      .send('TRANSACTION_END', ['T'], tx)
      .effects.flatMap((e) =>
        e.kind === 'node-write' || e.kind === 'node-remove' ? [`${e.kind} ${e.path}`] : [],
      );
    expect(kinds).toEqual(['node-write /tx/a', 'node-remove /tx/sub', 'node-remove /tx/sub/deep']);
  });

  it('records the transaction’s accesses, first access only', () => {
    const { d0 } = setup();
    const tx = d0.start();
    const r1 = d0.send('READ', ['/tx/a'], tx);
    const r2 = d0.send('READ', ['/tx/a'], tx);
    expect(r1.effects).toEqual([
      { kind: 'transaction-access', conn: d0.conn, txId: tx, path: '/tx/a', access: 'read' },
    ]);
    expect(r2.effects).toEqual([]);
  });
});

describe('transaction limits', () => {
  it('a domain may hold 10 open transactions, plus one (4.17 checks before counting the new one)', () => {
    const w = world();
    const d1 = w.dom(1);
    for (let i = 0; i < 11; i++) d1.start();
    expect(d1.ask('TRANSACTION_START', [''])).toBe('ENOSPC');
    for (let i = 0; i < 20; i++) w.dom0.start();
  });

  it('a failed node-size write inside a transaction makes its commit fail with ENOMEM', () => {
    const w = world();
    w.dom0.mkdir('/local/domain/1');
    w.dom0.setPerms('/local/domain/1', ['n1']);
    const d1 = w.dom(1);
    const tx = d1.start();
    expect(d1.write('big', 'x'.repeat(3000), tx)).toBe('ENOSPC');
    expect(d1.write('small', 'x', tx)).toBe('OK');
    expect(d1.end(tx)).toBe('ENOMEM');
    expect(w.dom0.read('/local/domain/1/small')).toBe('ENOENT');
  });

  it('touching more nodes than transaction-nodes is ENOSPC for a domain', () => {
    const w = world({ quotas: { transactionNodes: 3 } });
    w.dom0.mkdir('/local/domain/1');
    w.dom0.setPerms('/local/domain/1', ['n1']);
    const d1 = w.dom(1);
    const tx = d1.start();
    expect(d1.read('a', tx)).toBe('ENOENT'); // accesses a and its parent
    expect(d1.read('b', tx)).toBe('ENOENT');
    expect(d1.read('c', tx)).toBe('ENOSPC');
  });
});

import { describe, expect, it } from 'vitest';
import { events, world } from '../harness.test-support';

describe('WATCH', () => {
  it('a watch fires once on registration, after its OK, even for a missing node', () => {
    const { dom0 } = world();
    const r = dom0.send('WATCH', ['/nope/x', 'tok']);
    expect(r.ok).toBe(true);
    expect(events(r.effects)).toEqual(['/nope/x tok']);
  });

  it('the registration event ignores permissions', () => {
    const w = world();
    w.dom0.write('/secret', '');
    expect(events(w.dom(1).send('WATCH', ['/secret', 't']).effects)).toEqual(['/secret t']);
  });

  it('fires for the path and every descendant, not for siblings', () => {
    const { dom0, tool } = world();
    const t = tool();
    t.watch('/a', 'A');
    expect(events(dom0.send('WRITE', ['/a/b/c', '1']).effects)).toEqual(['/a/b/c A']);
    expect(events(dom0.send('WRITE', ['/ab', '1']).effects)).toEqual([]);
  });

  it('a watch on / sees every change but not @ events', () => {
    const w = world();
    const t = w.tool();
    t.watch('/', 'R');
    expect(events(w.dom0.send('WRITE', ['/x', '1']).effects)).toEqual(['/x R']);
    expect(events(w.store.introduceDomain(9).effects)).toEqual([]);
  });

  it('a duplicate (path, token) is EEXIST; relative and absolute spellings are the same watch', () => {
    const { dom0 } = world();
    dom0.watch('/w', 'W');
    expect(dom0.watch('/w', 'W')).toBe('EEXIST');
    expect(dom0.watch('/w', 'other')).toBe('OK');
    dom0.watch('/local/domain/0/w', 'X');
    expect(dom0.watch('w', 'X')).toBe('EEXIST');
  });

  it('a relative watch reports relative event paths', () => {
    const { dom0, tool } = world();
    const t = tool();
    expect(events(t.send('WATCH', ['w', 'W']).effects)).toEqual(['w W']);
    expect(events(dom0.send('WRITE', ['/local/domain/0/w/q', '1']).effects)).toEqual(['w/q W']);
  });

  it('one event per (path, token) per change, even if several watches of a connection match', () => {
    const { dom0, tool } = world();
    const t = tool();
    for (const [p, tok] of [
      ['/x', 'T'],
      ['/x/y', 'T'],
      ['/x/y', 'U'],
      ['/x/y/z', 'T'],
    ])
      t.watch(p as string, tok as string);
    expect(events(dom0.send('WRITE', ['/x/y/z', '1']).effects)).toEqual(['/x/y/z T', '/x/y/z U']);
    const again = events(dom0.send('WRITE', ['/x/y/z', '2']).effects);
    expect(again).toEqual(['/x/y/z T', '/x/y/z U']);
  });

  it('events go out by connection creation order, then watch registration order', () => {
    const { dom0, tool } = world();
    const a = tool();
    const b = tool();
    b.watch('/o', 'b1');
    a.watch('/o/p', 'a2');
    a.watch('/o', 'a1');
    expect(events(dom0.send('WRITE', ['/o/p', '1']).effects)).toEqual(['/o/p a2', '/o/p a1', '/o/p b1']);
  });

  it('a watcher needs read access to the node or its parent', () => {
    const w = world();
    w.dom0.write('/p/a/c', '');
    w.dom0.setPerms('/p', ['n0', 'r1']);
    w.dom0.setPerms('/p/a', ['n0']);
    w.dom0.setPerms('/p/a/c', ['n0']);
    const d1 = w.dom(1);
    d1.watch('/p', 'P1');
    expect(events(w.dom0.send('WRITE', ['/p/a', '1']).effects, d1.conn)).toEqual(['/p/a P1']);
    expect(events(w.dom0.send('WRITE', ['/p/a/c', '1']).effects, d1.conn)).toEqual([]);
  });

  it('bad watch paths are EINVAL; a missing token is EINVAL; @ names are taken as they are', () => {
    const { dom0 } = world();
    expect(dom0.watch('/a//b', 't')).toBe('EINVAL');
    expect(dom0.ask('WATCH', ['/a'])).toBe('EINVAL');
    expect(dom0.ask('WATCH', ['/a', 't', 'extra'])).toBe('EINVAL');
    expect(dom0.watch('@anything', 't')).toBe('OK');
    expect(dom0.watch(`@${'q'.repeat(2048)}`, 't')).toBe('EINVAL');
  });

  it('WATCH ignores the transaction id', () => {
    const { dom0 } = world();
    expect(dom0.send('WATCH', ['/a', 't'], 77).ok).toBe(true);
  });
});

describe('UNWATCH', () => {
  it('removes exactly that (path, token)', () => {
    const { dom0, tool } = world();
    const t = tool();
    t.watch('/a', 'x');
    t.watch('/a', 'y');
    expect(t.unwatch('/a', 'x')).toBe('OK');
    expect(events(dom0.send('WRITE', ['/a', '1']).effects)).toEqual(['/a y']);
    expect(t.unwatch('/a', 'x')).toBe('ENOENT');
  });

  it('an unknown watch is ENOENT, even with an invalid path', () => {
    const { dom0 } = world();
    expect(dom0.unwatch('/w//x', 'tok')).toBe('ENOENT');
  });

  it('a relative registration can be removed by its relative spelling', () => {
    const { dom0 } = world();
    dom0.watch('w', 'W');
    expect(dom0.unwatch('w', 'W')).toBe('OK');
  });
});

describe('RESET_WATCHES', () => {
  it('drops all watches and all transactions of the connection', () => {
    const w = world();
    const d1 = w.dom(1);
    d1.watch('/a', 't');
    const tx = d1.start();
    const r = d1.send('RESET_WATCHES', []);
    expect(r.ok).toBe(true);
    expect(r.effects.map((e) => e.kind)).toEqual(['watch-remove', 'transaction-end']);
    expect(w.store.listWatches(d1.conn)).toEqual([]);
    expect(d1.end(tx)).toBe('ENOENT');
    expect(events(w.dom0.send('WRITE', ['/a', '1']).effects)).toEqual([]);
  });

  it('an unknown transaction id in its header is ENOENT (4.17 looks it up)', () => {
    const { dom0 } = world();
    expect(dom0.ask('RESET_WATCHES', [''], 77)).toBe('ENOENT');
  });

  it('[2006] does not know RESET_WATCHES (ENOSYS)', () => {
    const { dom0 } = world({ version: '2006' });
    expect(dom0.ask('RESET_WATCHES', [''])).toBe('ENOSYS');
  });
});

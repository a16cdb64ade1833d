import { describe, expect, it } from 'vitest';
import { events, world } from '../harness.test-support';

describe('WRITE', () => {
  it('creates every missing ancestor with an empty value', () => {
    const { dom0, store } = world();
    expect(dom0.write('/a/b/c', 'v')).toBe('OK');
    expect(store.getNode('/a')?.value.length).toBe(0);
    expect(store.getNode('/a/b')?.children).toEqual(['c']);
    expect(dom0.read('/a/b/c')).toBe('v');
  });

  it('replaces an existing value', () => {
    const { dom0 } = world();
    dom0.write('/a', '1');
    dom0.write('/a', '22');
    expect(dom0.read('/a')).toBe('22');
  });

  it('reports created nodes top-down with old = null, and a change with old and new', () => {
    const { dom0 } = world();
    const created = dom0.send('WRITE', ['/a/b', 'v']).effects.filter((e) => e.kind === 'node-write');
    expect(created.map((e) => e.kind === 'node-write' && [e.path, e.old])).toEqual([
      ['/a', null],
      ['/a/b', null],
    ]);
    const changed = dom0.send('WRITE', ['/a/b', 'w']).effects.find((e) => e.kind === 'node-write');
    expect(changed?.kind === 'node-write' && [changed.old?.value[0], changed.new.value[0]]).toEqual([
      118, 119,
    ]);
  });

  it('a payload without a NUL after the path is EINVAL', () => {
    const { store, dom0 } = world();
    const { reply } = store.handle(dom0.conn, {
      type: 11,
      reqId: 0,
      txId: 0,
      payload: new TextEncoder().encode('/w'),
    });
    expect(reply?.type).toBe(16);
  });

  it('writing to an @ name is EINVAL', () => {
    const { dom0 } = world();
    expect(dom0.write('@x', 'v')).toBe('EINVAL');
  });

  it('a new node copies the parent’s permissions when a privileged connection creates it', () => {
    const { dom0 } = world();
    dom0.write('/t', '');
    dom0.setPerms('/t', ['n1']);
    dom0.write('/t/x', '');
    expect(dom0.perms('/t/x')).toBe('n1');
  });

  it('an unprivileged creator becomes the owner of what it creates, parents included', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    expect(w.dom(1).write('/t/new2/deep', 'x')).toBe('OK');
    expect(w.dom0.perms('/t/new2')).toBe('n1,w1');
    expect(w.dom0.perms('/t/new2/deep')).toBe('n1,w1');
  });

  it('creating needs write access on the nearest existing ancestor (EACCES)', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'r1']);
    expect(w.dom(1).write('/t/new', 'x')).toBe('EACCES');
    expect(w.dom(1).write('/t/new/deep', 'x')).toBe('EACCES');
  });

  it('writing an existing node needs write access on it', () => {
    const w = world();
    w.dom0.write('/t/o', '');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    w.dom0.setPerms('/t/o', ['n0']);
    expect(w.dom(1).write('/t/o', 'y')).toBe('EACCES');
  });

  it('a domain writes relative paths under its home', () => {
    const w = world();
    w.dom0.mkdir('/local/domain/3');
    w.dom0.setPerms('/local/domain/3', ['n3']);
    expect(w.dom(3).write('device/vbd/51712/state', '1')).toBe('OK');
    expect(w.store.getNode('/local/domain/3/device/vbd/51712/state')?.perms).toEqual([
      { domid: 3, access: 'n' },
    ]);
  });

  it('always fires watches, even when the value does not change', () => {
    const { dom0, tool } = world();
    const watcher = tool();
    watcher.watch('/a', 'tok');
    dom0.write('/a', 'same');
    expect(events(dom0.send('WRITE', ['/a', 'same']).effects)).toEqual(['/a tok']);
  });

  it('node generations grow with each write, the child before its new parent', () => {
    const { dom0, store } = world();
    dom0.write('/g', '');
    dom0.write('/g/a', '');
    const child = store.getNode('/g/a')?.generation ?? 0;
    const parent = store.getNode('/g')?.generation ?? 0;
    expect(parent).toBe(child + 1);
  });
});

describe('MKDIR', () => {
  it('creates the node and its missing parents with empty values', () => {
    const { dom0 } = world();
    expect(dom0.mkdir('/m/n')).toBe('OK');
    expect(dom0.read('/m/n')).toBe('');
  });

  it('an existing node keeps its value and fires nothing', () => {
    const { dom0, tool } = world();
    dom0.write('/m', 'keep');
    tool().watch('/m', 't');
    const r = dom0.send('MKDIR', ['/m']);
    expect(r.ok).toBe(true);
    expect(events(r.effects)).toEqual([]);
    expect(dom0.read('/m')).toBe('keep');
  });

  it('a created node fires one event for its own path', () => {
    const { dom0, tool } = world();
    tool().watch('/w', 'W');
    expect(events(dom0.send('MKDIR', ['/w/y/z']).effects)).toEqual(['/w/y/z W']);
  });

  it('on an existing node still needs write access (EACCES)', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'r1']);
    expect(w.dom(1).mkdir('/t')).toBe('EACCES');
  });
});

import { describe, expect, it } from 'vitest';
import { events, world } from '../harness.test-support';

describe('SET_PERMS', () => {
  it('replaces the permission list', () => {
    const { dom0 } = world();
    dom0.write('/p', '');
    expect(dom0.setPerms('/p', ['n0', 'r1'])).toBe('OK');
    expect(dom0.perms('/p')).toBe('n0,r1');
  });

  it('needs ownership: write access alone is EACCES', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    expect(w.dom(1).setPerms('/t', ['n0'])).toBe('EACCES');
  });

  it('an unprivileged owner may change the list but not the owner (EPERM)', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    w.dom(1).write('/t/new', 'x');
    expect(w.dom(1).setPerms('/t/new', ['n2'])).toBe('EPERM');
    expect(w.dom(1).setPerms('/t/new', ['b1', 'r2'])).toBe('OK');
    expect(w.dom0.perms('/t/new')).toBe('b1,r2');
  });

  it('an owner domid no domain can have (>= DOMID_FIRST_RESERVED) is ENOENT; other entries may name one', () => {
    const { dom0 } = world();
    dom0.write('/p', '');
    expect(dom0.setPerms('/p', ['b40000'])).toBe('ENOENT');
    expect(dom0.setPerms('/p', ['n32752'])).toBe('ENOENT');
    expect(dom0.perms('/p')).toBe('n0');
    expect(dom0.setPerms('/p', ['n32751'])).toBe('OK');
    expect(dom0.setPerms('/p', ['n0', 'r40000'])).toBe('OK');
    expect(dom0.perms('/p')).toBe('n0,r40000');
  });

  it('[2006] has no EPERM: an unprivileged owner can give a node away', () => {
    const w = world({ version: '2006' });
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n1']);
    expect(w.dom(1).setPerms('/t', ['n2'])).toBe('OK');
  });

  it('more entries than the permissions quota is ENOSPC for domains, fine for dom0', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n1']);
    expect(w.dom(1).setPerms('/t', ['b1', 'r2', 'r3', 'r4', 'r5'])).toBe('OK');
    expect(w.dom(1).setPerms('/t', ['b1', 'r2', 'r3', 'r4', 'r5', 'r6'])).toBe('ENOSPC');
    expect(w.dom0.setPerms('/t', ['b1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'])).toBe('OK');
  });

  it('a malformed list is EINVAL: no entries, bad letter, junk after the domid', () => {
    const { dom0 } = world();
    dom0.write('/p', '');
    expect(dom0.setPerms('/p', [])).toBe('EINVAL');
    expect(dom0.setPerms('/p', ['x1'])).toBe('EINVAL');
    expect(dom0.setPerms('/p', ['b1x'])).toBe('EINVAL');
    expect(dom0.setPerms('/p', ['n1', ''])).toBe('EINVAL');
  });

  it('a missing node is ENOENT, masked to EACCES for a domain that may not see it', () => {
    const w = world();
    expect(w.dom0.setPerms('/nope', ['n0'])).toBe('ENOENT');
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    expect(w.dom(1).setPerms('/t/nope', ['n1'])).toBe('ENOENT');
    w.dom0.setPerms('/t', ['n0']);
    expect(w.dom(1).setPerms('/t/nope', ['n1'])).toBe('EACCES');
  });

  it('fires watches like a write, and the old permissions also allow delivery', () => {
    const w = world();
    w.dom0.write('/p/a/b', '');
    w.dom0.setPerms('/p', ['n0', 'r1']);
    w.dom0.setPerms('/p/a', ['n0']);
    w.dom0.setPerms('/p/a/b', ['n0', 'r1']);
    const d1 = w.dom(1);
    d1.watch('/p', 'P1');
    // dom1 could read /p/a/b before: it hears that it lost access
    expect(events(w.dom0.send('SET_PERMS', ['/p/a/b', 'n0']).effects, d1.conn)).toEqual(['/p/a/b P1']);
    // now neither /p/a/b nor its parent /p/a is readable by dom1
    expect(events(w.dom0.send('SET_PERMS', ['/p/a/b', 'n0']).effects, d1.conn)).toEqual([]);
  });

  it('dom0 may set the permissions of @introduceDomain / @releaseDomain; domains may not', () => {
    const w = world();
    expect(w.dom0.setPerms('@introduceDomain', ['n0', 'r1'])).toBe('OK');
    expect(w.dom(1).setPerms('@releaseDomain', ['n0', 'r1'])).toBe('EACCES');
    expect(w.dom0.setPerms('@other', ['n0'])).toBe('EINVAL');
  });

  it('reports the change with old and new permissions', () => {
    const { dom0 } = world();
    dom0.write('/p', '');
    const e = dom0.send('SET_PERMS', ['/p', 'n0', 'r3']).effects.find((x) => x.kind === 'node-write');
    expect(e?.kind === 'node-write' && [e.old?.perms, e.new.perms]).toEqual([
      [{ domid: 0, access: 'n' }],
      [
        { domid: 0, access: 'n' },
        { domid: 3, access: 'r' },
      ],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { events, world } from '../harness.test-support';

describe('INTRODUCE', () => {
  it('fires @introduceDomain for privileged watchers only, by default', () => {
    const w = world();
    const d1 = w.dom(1);
    w.dom0.watch('@introduceDomain', 'I0');
    d1.watch('@introduceDomain', 'I1');
    const r = w.dom0.send('INTRODUCE', ['7', '0', '1']);
    expect(r.ok).toBe(true);
    expect(events(r.effects)).toEqual(['@introduceDomain I0']);
    expect(r.effects[0]).toEqual({ kind: 'domain-introduced', domid: 7 });
  });

  it('a domain allowed by SET_PERMS on @introduceDomain gets the event too', () => {
    const w = world();
    const d1 = w.dom(1);
    d1.watch('@introduceDomain', 'I1');
    w.dom0.setPerms('@introduceDomain', ['n0', 'r1']);
    expect(events(w.dom0.send('INTRODUCE', ['7', '0', '1']).effects)).toEqual(['@introduceDomain I1']);
  });

  it('[2006] every watcher of @introduceDomain gets the event', () => {
    const w = world({ version: '2006' });
    const d1 = w.dom(1);
    d1.watch('@introduceDomain', 'I1');
    expect(events(w.dom0.send('INTRODUCE', ['7', '0', '1']).effects)).toEqual(['@introduceDomain I1']);
  });

  it('introducing again resets the connection (watches, transactions) and fires nothing', () => {
    const w = world();
    const d1 = w.dom(1);
    d1.watch('/dp', 'X');
    const tx = d1.start();
    w.dom0.watch('@introduceDomain', 'I');
    const r = w.dom0.send('INTRODUCE', ['1', '0', '1']);
    expect(events(r.effects)).toEqual([]);
    expect(w.store.listWatches(d1.conn)).toEqual([]);
    expect(d1.end(tx)).toBe('ENOENT');
    expect(w.store.introduceDomain(1).conn).toBe(d1.conn);
  });

  it('is privileged (EACCES), needs three arguments, and a real domid', () => {
    const w = world();
    expect(w.dom(1).ask('INTRODUCE', ['5', '0', '1'])).toBe('EACCES');
    expect(w.dom0.ask('INTRODUCE', ['8', '0'])).toBe('EINVAL');
    expect(w.dom0.ask('INTRODUCE', ['32752', '0', '1'])).toBe('EINVAL');
    expect(w.dom0.ask('INTRODUCE', ['9', '0', '1', 'extra'])).toBe('OK');
  });
});

describe('RELEASE', () => {
  it('drops the domain and fires @releaseDomain', () => {
    const w = world();
    const d7 = w.dom(7);
    w.dom0.watch('@releaseDomain', 'R');
    const r = w.dom0.send('RELEASE', ['7']);
    expect(events(r.effects)).toEqual(['@releaseDomain R']);
    expect(w.dom0.ask('IS_DOMAIN_INTRODUCED', ['7'])).toBe('F');
    expect(w.store.getConn(d7.conn)).toBeUndefined();
  });

  it('[modern] deletes the nodes the domain owned, firing watches as RM does', () => {
    const w = world();
    w.dom(7);
    w.dom0.write('/p/seven', '');
    w.dom0.setPerms('/p/seven', ['n7']);
    w.dom0.write('/p/seven/sub', '');
    w.dom0.write('/p/other', '');
    w.dom0.setPerms('/p/other', ['n0', 'r7']);
    const t = w.tool();
    t.watch('/p', 'P');
    t.watch('/p/seven/sub', 'S');
    t.watch('@releaseDomain', 'R');
    const r = w.dom0.send('RELEASE', ['7']);
    expect(events(r.effects)).toEqual(['/p/seven/sub S', '/p/seven P', '@releaseDomain R']);
    expect(w.dom0.dir('/p')).toBe('other');
    expect(w.dom0.perms('/p/other')).toBe('n0,r7');
  });

  it('[modern] with keepOrphans the owned nodes are handed to dom0 instead', () => {
    const w = world({ keepOrphans: true });
    w.dom(7);
    w.dom0.write('/p/seven', '');
    w.dom0.setPerms('/p/seven', ['n7', 'r1']);
    w.dom0.send('RELEASE', ['7']);
    expect(w.dom0.perms('/p/seven')).toBe('n0,r1');
  });

  it('[2006] keeps the nodes of a released domain', () => {
    const w = world({ version: '2006' });
    w.dom(7);
    w.dom0.write('/p/seven', '');
    w.dom0.setPerms('/p/seven', ['n7']);
    w.dom0.send('RELEASE', ['7']);
    expect(w.dom0.perms('/p/seven')).toBe('n7');
  });

  it('dom0 cannot be released (EINVAL); an unknown domain is ENOENT', () => {
    const w = world();
    expect(w.dom0.ask('RELEASE', ['0'])).toBe('EINVAL');
    expect(w.dom0.ask('RELEASE', ['x'])).toBe('EINVAL');
    expect(w.dom0.ask('RELEASE', ['5'])).toBe('ENOENT');
  });

  it('the store API releases like RELEASE and ignores unknown domains', () => {
    const w = world();
    w.dom(4);
    w.dom0.watch('@releaseDomain', 'R');
    expect(events(w.store.releaseDomain(4))).toEqual(['@releaseDomain R']);
    expect(w.store.releaseDomain(4)).toEqual([]);
  });
});

describe('GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET', () => {
  it('GET_DOMAIN_PATH formats any domid like atoi + %u, for anyone', () => {
    const w = world();
    expect(w.dom0.ask('GET_DOMAIN_PATH', ['5'])).toBe('/local/domain/5');
    expect(w.dom0.ask('GET_DOMAIN_PATH', ['abc'])).toBe('/local/domain/0');
    expect(w.dom0.ask('GET_DOMAIN_PATH', ['-1'])).toBe('/local/domain/4294967295');
    expect(w.dom(1).ask('GET_DOMAIN_PATH', ['5'])).toBe('/local/domain/5');
    expect(w.dom0.ask('GET_DOMAIN_PATH', [])).toBe('EINVAL');
  });

  it('IS_DOMAIN_INTRODUCED answers T/F for dom0 and is privileged', () => {
    const w = world();
    w.dom(1);
    expect(w.dom0.ask('IS_DOMAIN_INTRODUCED', ['1'])).toBe('T');
    expect(w.dom0.ask('IS_DOMAIN_INTRODUCED', ['0'])).toBe('T');
    expect(w.dom0.ask('IS_DOMAIN_INTRODUCED', ['9'])).toBe('F');
    expect(w.dom0.ask('IS_DOMAIN_INTRODUCED', ['32752'])).toBe('T');
    expect(w.dom(1).ask('IS_DOMAIN_INTRODUCED', ['1'])).toBe('EACCES');
  });

  it('RESUME needs a known domain', () => {
    const w = world();
    w.dom(2);
    expect(w.dom0.ask('RESUME', ['2'])).toBe('OK');
    expect(w.dom0.ask('RESUME', ['5'])).toBe('ENOENT');
  });

  it('SET_TARGET gives a stub domain its target’s rights; it owns what it creates', () => {
    const w = world();
    const d1 = w.dom(1);
    const d3 = w.dom(3);
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n1']);
    expect(d3.write('/t/x', 'v')).toBe('EACCES');
    expect(w.dom0.ask('SET_TARGET', ['3', '1'])).toBe('OK');
    expect(d3.write('/t/x', 'v')).toBe('OK');
    expect(w.dom0.perms('/t/x')).toBe('n3');
    expect(d1.ask('SET_TARGET', ['3', '1'])).toBe('EACCES');
    expect(w.dom0.ask('SET_TARGET', ['5', '1'])).toBe('ENOENT');
  });

  it('[2006] answers ENOSYS to RESUME and SET_TARGET', () => {
    const w = world({ version: '2006' });
    expect(w.dom0.ask('RESUME', ['0'])).toBe('ENOSYS');
    expect(w.dom0.ask('SET_TARGET', ['0', '0'])).toBe('ENOSYS');
  });
});

describe('CONTROL', () => {
  it('is privileged and knows a few commands', () => {
    const w = world();
    expect(w.dom0.ask('CONTROL', ['check'])).toBe('OK');
    expect(w.dom0.ask('CONTROL', ['quota'])).toMatch(/^Quota settings:\nnodes +: +1000 /);
    expect(w.dom0.ask('CONTROL', ['bogus'])).toBe('EINVAL');
    expect(w.dom0.ask('CONTROL', [])).toBe('EINVAL');
    expect(w.dom(1).ask('CONTROL', ['check'])).toBe('EACCES');
  });
});

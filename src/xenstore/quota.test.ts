import { describe, expect, it } from 'vitest';
import { world } from './harness.test-support';

/** dom1 with a home it owns. */
function dom1World(options?: Parameters<typeof world>[0]) {
  const w = world(options);
  w.dom0.mkdir('/local/domain/1');
  w.dom0.setPerms('/local/domain/1', ['n1']);
  return { w, d1: w.dom(1) };
}

describe('quotas (unprivileged domains only; limits as seen on xenstored 4.17)', () => {
  it('node size: 24-byte header + 8 per permission + value + child names must stay under 2048', () => {
    const { d1 } = dom1World();
    expect(d1.write('data', 'x'.repeat(2015))).toBe('OK');
    d1.rm('data');
    expect(d1.write('data', 'x'.repeat(2016))).toBe('ENOSPC');
    d1.write('data', '');
    d1.setPerms('data', ['n1', 'r2']);
    expect(d1.write('data', 'x'.repeat(2007))).toBe('OK');
    expect(d1.write('data', 'x'.repeat(2008))).toBe('ENOSPC');
  });

  it('node size counts the child list: a new child can overflow its parent', () => {
    const { d1 } = dom1World();
    d1.write('data', 'x'.repeat(2000));
    expect(d1.write('data/abcdefghijklmno', '')).toBe('ENOSPC');
    expect(d1.write('data/q', '')).toBe('OK');
    expect(d1.dir('data')).toBe('q');
  });

  it('[2006] the record header is 12 bytes', () => {
    const { d1 } = dom1World({ version: '2006' });
    expect(d1.write('data', 'x'.repeat(2027))).toBe('OK');
    expect(d1.write('data', 'x'.repeat(2028))).toBe('ENOSPC');
  });

  it('dom0 has no node-size limit below the payload limit', () => {
    const { w } = dom1World();
    expect(w.dom0.write('/big', 'x'.repeat(4000))).toBe('OK');
  });

  it('nodes: a domain may own 1000 nodes; creating past that is ENOSPC', () => {
    const { w, d1 } = dom1World({ quotas: { nodes: 10 } });
    // owns /local/domain/1; d0 costs 2 nodes (d0 and d0/n0)
    for (let i = 0; i < 8; i++) expect(d1.write(`d0/n${i}`, '')).toBe('OK');
    expect(w.store.getNode('/local/domain/1/d0')?.children.length).toBe(8);
    expect(d1.write('d0/n0', 'rewrite')).toBe('OK');
    expect(d1.mkdir('d0/n0')).toBe('OK');
    expect(d1.write('d0/n8', '')).toBe('ENOSPC');
    d1.rm('d0/n7');
    expect(d1.write('x/y', '')).toBe('ENOSPC');
    expect(d1.write('x', '')).toBe('OK');
  });

  it('nodes dom0 creates under a domain’s node count for that domain (inherited owner)', () => {
    const { w, d1 } = dom1World({ quotas: { nodes: 3 } });
    w.dom0.write('/local/domain/1/a', '');
    w.dom0.write('/local/domain/1/b', '');
    expect(w.dom0.perms('/local/domain/1/a')).toBe('n1');
    expect(d1.write('c', '')).toBe('ENOSPC');
  });

  it('[modern] a commit may not leave a domain at or over its nodes quota', () => {
    const { d1 } = dom1World({ quotas: { nodes: 5 } });
    d1.write('a', '');
    d1.write('b', ''); // owns 3
    const tx = d1.start();
    d1.write('t1', '', tx);
    expect(d1.write('t2', '', tx)).toBe('OK'); // 3 + 2 = 5: fine outside, not at commit
    expect(d1.end(tx)).toBe('ENOSPC');
    const tx2 = d1.start();
    d1.write('t1', '', tx2);
    expect(d1.end(tx2)).toBe('OK');
  });

  it('watches: 128 per domain, plus one; then E2BIG (4.17 and 2006 alike)', () => {
    const { w, d1 } = dom1World();
    for (let i = 0; i < 129; i++) expect(d1.watch(`/x${i}`, 't')).toBe('OK');
    expect(d1.watch('/x129', 't')).toBe('E2BIG');
    for (let i = 0; i < 200; i++) expect(w.dom0.watch(`/x${i}`, 't')).toBe('OK');
  });

  it('quotas are configurable', () => {
    const { d1 } = dom1World({ quotas: { watches: 2 } });
    for (let i = 0; i < 3; i++) d1.watch(`/x${i}`, 't');
    expect(d1.watch('/y', 't')).toBe('E2BIG');
  });

  it('path-max: a name may run 2048 characters past /local/domain/<id>/, for dom0 too', () => {
    const { w } = dom1World();
    expect(w.dom0.write(`/local/domain/1/${'q'.repeat(2049)}`, '')).toBe('EINVAL');
    expect(w.dom0.write(`/${'p'.repeat(2047)}`, '')).toBe('OK');
    expect(w.dom0.write(`/${'p'.repeat(2048)}`, '')).toBe('EINVAL');
  });
});

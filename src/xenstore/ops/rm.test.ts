import { describe, expect, it } from 'vitest';
import { events, world } from '../harness.test-support';

describe('RM', () => {
  it('removes the node and its whole subtree', () => {
    const { dom0, store } = world();
    dom0.write('/a/b/c', '1');
    dom0.write('/a/d', '2');
    expect(dom0.rm('/a')).toBe('OK');
    for (const p of ['/a', '/a/b', '/a/b/c', '/a/d']) expect(store.getNode(p)).toBeUndefined();
    expect(dom0.dir('/')).toBe('');
  });

  it('RM of an absent node whose parent exists replies OK', () => {
    const { dom0 } = world();
    dom0.write('/a', '');
    expect(dom0.rm('/a/zz')).toBe('OK');
  });

  it('RM of an absent node whose parent is absent too is ENOENT', () => {
    const { dom0 } = world();
    expect(dom0.rm('/nope/deeper')).toBe('ENOENT');
  });

  it('RM of / is EINVAL for dom0, EACCES for a domain without write access to it', () => {
    const w = world();
    expect(w.dom0.rm('/')).toBe('EINVAL');
    expect(w.dom(1).rm('/')).toBe('EACCES');
  });

  it('write access to a node (not ownership) lets a domain remove it', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    expect(w.dom(1).rm('/t')).toBe('OK');
  });

  it('absent nodes: write access on the nearest ancestor decides between OK/ENOENT and EACCES', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'r1']);
    expect(w.dom(1).rm('/t/zz')).toBe('EACCES');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    expect(w.dom(1).rm('/t/zz')).toBe('OK');
    expect(w.dom(1).rm('/t/zz/yy')).toBe('ENOENT');
  });

  it('reports removed nodes parent first', () => {
    const { dom0 } = world();
    dom0.write('/a/b/c', '');
    dom0.write('/a/d', '');
    const removed = dom0
      .send('RM', ['/a'])
      .effects.flatMap((e) => (e.kind === 'node-remove' ? [e.path] : []));
    expect(removed).toEqual(['/a', '/a/b', '/a/b/c', '/a/d']);
  });

  it('fires exact watches of descendants depth-first, then watches on the node and above', () => {
    const { dom0, tool } = world();
    for (const p of ['/w/a/b/c', '/w/a/d', '/w/a/b/e', '/w/x']) dom0.write(p, 'v');
    const t = tool();
    for (const [p, tok] of [
      ['/w/a', 'A'],
      ['/w/a/b/c', 'C'],
      ['/w/a/d', 'D'],
      ['/w', 'W'],
      ['/w/a/b/e/zz', 'ZZ'],
      ['/w/a/b', 'B'],
      ['/w', 'W2'],
    ] as const)
      t.watch(p, tok);
    // the order seen on xenstored 4.17
    expect(events(dom0.send('RM', ['/w/a']).effects)).toEqual([
      '/w/a/b/c C',
      '/w/a/b B',
      '/w/a/d D',
      '/w/a A',
      '/w/a W',
      '/w/a W2',
    ]);
  });

  it('a relative watch fires with its own relative path when an ancestor goes', () => {
    const { dom0, tool } = world();
    const t = tool();
    t.watch('w', 'W');
    dom0.write('/local/domain/0/w/q', '1');
    expect(events(dom0.send('RM', ['/local/domain/0']).effects)).toEqual(['w W']);
  });

  it('RM of an absent node fires nothing', () => {
    const { dom0, tool } = world();
    dom0.write('/a', '');
    tool().watch('/a', 't');
    expect(events(dom0.send('RM', ['/a/none']).effects)).toEqual([]);
  });
});

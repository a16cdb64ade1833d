import { describe, expect, it } from 'vitest';
import { createXenStore, XsType } from '../../xenstore';
import { readStoreTree, storeTreeLayout, type StoreTreeNode } from './storeTree';

const node = (path: string, ...children: StoreTreeNode[]): StoreTreeNode => ({
  name: path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1),
  path,
  children,
});

const tree = node(
  '/',
  node('/local', node('/local/domain', node('/local/domain/0', node('/local/domain/0/name')))),
  node('/vm'),
);

describe('store tree layout', () => {
  it('puts one row per node, parents before children, indented by depth', () => {
    const { rows, height, maxX } = storeTreeLayout(tree, new Set(), { rowHeight: 20, indent: 10 });
    expect(rows.map((r) => r.path)).toEqual([
      '/',
      '/local',
      '/local/domain',
      '/local/domain/0',
      '/local/domain/0/name',
      '/vm',
    ]);
    expect(rows.map((r) => [r.x, r.y])).toEqual([
      [0, 0],
      [10, 20],
      [20, 40],
      [30, 60],
      [40, 80],
      [10, 100],
    ]);
    expect(height).toBe(120);
    expect(maxX).toBe(40);
    expect(rows.find((r) => r.path === '/vm')).toMatchObject({ hasChildren: false, collapsed: false });
  });

  it('folds a collapsed node: it keeps its row, its descendants get none', () => {
    const { rows } = storeTreeLayout(tree, new Set(['/local/domain', '/vm']));
    expect(rows.map((r) => r.path)).toEqual(['/', '/local', '/local/domain', '/vm']);
    expect(rows[2]).toMatchObject({ hasChildren: true, collapsed: true });
    // a leaf cannot be collapsed
    expect(rows[3]).toMatchObject({ hasChildren: false, collapsed: false });
  });

  it('reads a real store in xenstored’s child order', () => {
    const store = createXenStore();
    const conn = store.connect({ domid: 0, kind: 'socket', privileged: true });
    const write = (path: string, value: string) =>
      store.handle(conn, {
        type: XsType.WRITE,
        reqId: 1,
        txId: 0,
        payload: new TextEncoder().encode(`${path}\0${value}`),
      });
    write('/local/domain/1/name', 'domU1');
    write('/local/domain/1/domid', '1');
    write('/local/domain/0/name', 'Domain-0');
    const read = readStoreTree((p) => store.getNode(p));
    const { rows } = storeTreeLayout(read, new Set());
    const paths = rows.map((r) => r.path);
    expect(paths).toContain('/local/domain/1/domid');
    expect(paths.indexOf('/local/domain/1/name')).toBeLessThan(paths.indexOf('/local/domain/1/domid'));
    expect(paths.indexOf('/local/domain/1')).toBeLessThan(paths.indexOf('/local/domain/0'));
  });
});

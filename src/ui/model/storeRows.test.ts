import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { readStoreRows, readStoreTree, stepMarks } from './storeRows';

const s1 = () => runScenario(findScenario('S1')!, { profile: 'linux-modern' });
const paths = (n: { path: string; children: { path: string }[] }): string[] => [
  n.path,
  ...n.children.flatMap((c) => paths(c as typeof n)),
];

describe('store rows', () => {
  it('reads every node with its value, owner and permissions', () => {
    const w = s1();
    const { root, info } = readStoreRows((p) => w.store.getNodeView(p), null);
    expect(paths(root)).toContain('/local/domain/1/device/vbd/51712/state');
    expect(info.get('/local/domain/1/device/vbd/51712/state')).toMatchObject({
      value: '4',
      owner: 1,
      perms: 'n1 r0',
      removed: false,
      written: null,
    });
  });

  it("marks the last step's writes with their old value", () => {
    const w = s1();
    const write = w.trace.find((e) =>
      e.effects.some((f) => f.k === 'node-write' && f.path.endsWith('vbd/51712/state') && f.value === '3'),
    )!;
    w.seek(write.seq + 1);
    const { info } = readStoreRows((p) => w.store.getNodeView(p), write);
    expect(info.get('/local/domain/1/device/vbd/51712/state')).toMatchObject({
      value: '3',
      written: { old: '1' },
    });
  });

  it('keeps the nodes the last step removed as ghosts under their parent', () => {
    const w = runScenario(findScenario('S3')!, { profile: 'linux-modern' });
    const rm = w.trace.find((e) =>
      e.effects.some((f) => f.k === 'node-remove' && f.path.endsWith('/state')),
    )!;
    w.seek(rm.seq + 1);
    const { root, info } = readStoreRows((p) => w.store.getNodeView(p), rm);
    const removed = rm.effects.flatMap((f) => (f.k === 'node-remove' ? [f.path] : []));
    const shown = paths(root);
    expect(removed.length).toBeGreaterThan(0);
    // every removed node shows, nested under a removed parent or under one that is still there
    for (const p of removed) {
      expect(shown).toContain(p);
      expect(info.get(p)).toMatchObject({ removed: true });
    }
  });

  it('a second read gives back the same subtrees where no child list changed', () => {
    const w = s1();
    const write = w.trace.find((e) =>
      e.effects.some((f) => f.k === 'node-write' && f.path.endsWith('vbd/51712/state') && f.value === '3'),
    )!;
    w.seek(write.seq);
    const cache = new Map();
    const get = (p: string) => w.store.getNodeView(p);
    const before = readStoreTree(get, stepMarks(null), cache);
    w.seek(write.seq + 1); // a value changes, no node comes or goes
    const after = readStoreTree(get, stepMarks(null), cache);
    expect(after).toBe(before);
    // a new node makes new objects up its path, and only there
    const created = w.trace.findIndex(
      (e, i) => i > write.seq && e.effects.some((f) => f.k === 'node-write' && f.old === null),
    );
    w.seek(created + 1);
    const grown = readStoreTree(get, stepMarks(null), cache);
    expect(grown).not.toBe(before);
    const local = (n: typeof grown) => n.children.find((c) => c.path === '/local')!;
    const tool = (n: typeof grown) => n.children.find((c) => c.path === '/tool');
    if (tool(before) !== undefined) expect(tool(grown)).toBe(tool(before));
    expect(local(grown)).not.toBe(local(before));
  });
});

import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { readStoreRows } from './storeRows';

const s1 = () => runScenario(findScenario('S1')!, { profile: 'linux-modern' });
const paths = (n: { path: string; children: { path: string }[] }): string[] => [
  n.path,
  ...n.children.flatMap((c) => paths(c as typeof n)),
];

describe('store rows', () => {
  it('reads every node with its value, owner and permissions', () => {
    const w = s1();
    const { root, info } = readStoreRows((p) => w.store.getNode(p), null);
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
    const { info } = readStoreRows((p) => w.store.getNode(p), write);
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
    const { root, info } = readStoreRows((p) => w.store.getNode(p), rm);
    const removed = rm.effects.flatMap((f) => (f.k === 'node-remove' ? [f.path] : []));
    const shown = paths(root);
    expect(removed.length).toBeGreaterThan(0);
    // every removed node shows, nested under a removed parent or under one that is still there
    for (const p of removed) {
      expect(shown).toContain(p);
      expect(info.get(p)).toMatchObject({ removed: true });
    }
  });
});

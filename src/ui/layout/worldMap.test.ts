import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { createDeviceHistory } from '../model/deviceHistory';
import { worldView } from '../model/worldView';
import { MAP_DEFAULTS, worldMapLayout } from './worldMap';

const at = (
  id: string,
  profile: Parameters<typeof runScenario>[1]['profile'],
  pick: (summaries: string[]) => number,
) => {
  const w = runScenario(findScenario(id)!, { profile });
  w.seek(pick(w.trace.map((e) => e.summary)));
  return worldView(w);
};

describe('world map layout', () => {
  it('S4: one domain block holding its two pairs, backends left of rings left of frontends', () => {
    const view = at('S4', 'linux-modern', (s) => s.findIndex((x) => x.includes('guest-shutdown')));
    const l = worldMapLayout(view);
    expect(l.domains.map((d) => d.domain.domid)).toEqual([1]);
    expect(l.pairs).toHaveLength(2);
    for (const p of l.pairs) {
      expect(p.backend).not.toBeNull();
      const ringXs = p.rings.map((r) => r.cx);
      expect(Math.min(...ringXs)).toBeGreaterThan(p.backend!.x + p.backend!.width);
      expect(Math.max(...ringXs)).toBeLessThan(p.frontends[0]!.x);
      expect(p.frontends[0]!.x + p.frontends[0]!.width).toBeLessThanOrEqual(MAP_DEFAULTS.width);
    }
    // the vif has its tx and rx rings, the vbd one
    expect(l.pairs.map((p) => p.rings.length).sort()).toEqual([1, 2]);
    // rows do not overlap and the block contains them
    const [a, b] = l.pairs;
    expect(b!.y).toBeGreaterThanOrEqual(a!.y + MAP_DEFAULTS.rowHeight);
    expect(l.domains[0]!.y + l.domains[0]!.height).toBeGreaterThanOrEqual(b!.y + MAP_DEFAULTS.rowHeight);
  });

  it('S7 after the kexec: both kernels face the same backend, side by side without overlap', () => {
    const w = runScenario(findScenario('S7')!, { profile: 'kexec-patch-2006' });
    const view = worldView(w, createDeviceHistory(w.trace));
    const l = worldMapLayout(view);
    const p = l.pairs.find((x) => x.frontends.length === 2);
    expect(p).toBeDefined();
    const [old, neu] = p!.frontends;
    expect(neu!.x).toBeGreaterThanOrEqual(old!.x + old!.width);
    expect(p!.link?.x2).toBeGreaterThan(neu!.x);
    expect(p!.link?.x2).toBeLessThan(neu!.x + neu!.width);
    expect(p!.pair.frontends.map((f) => [f.actor, f.gone])).toEqual([
      ['dom1.K1', true],
      ['dom1.K2', false],
    ]);
  });
});

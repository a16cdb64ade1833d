import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { worldView } from './worldView';

const scenario = (id: string) => findScenario(id)!;

describe('world view', () => {
  it('S1: dom0 and the guest, each device a pair of connected ends with its rings and port', () => {
    const view = worldView(runScenario(scenario('S1'), { profile: 'linux-modern' }));
    expect(view.domains.map((d) => d.domid)).toEqual([0, 1]);
    expect(view.domains[1]!.kernels).toEqual([{ actor: 'dom1.K1', epoch: 1, alive: true, frozen: false }]);
    expect(view.pairs.length).toBeGreaterThan(0);
    for (const p of view.pairs) {
      expect(p.frontendDomid).toBe(1);
      expect(p.backend?.domid).toBe(0);
      expect(p.backend?.state).toBe('Connected');
      expect(p.frontends.map((f) => f.state)).toEqual(['Connected']);
      expect(p.frontends[0]!.rings.length).toBeGreaterThan(0);
      expect(p.frontends[0]!.port).toEqual(expect.any(Number));
    }
  });

  it('S14: while the successor runs, a device has two frontends, the frozen old kernel’s first', () => {
    const world = runScenario(scenario('S14'), { profile: 'linux-modern' });
    const end = world.trace.length;
    let found = false;
    for (let n = 0; n <= end && !found; n += 25) {
      world.seek(n);
      const pair = worldView(world).pairs.find((p) => p.frontends.length === 2);
      if (pair === undefined) continue;
      found = true;
      expect(pair.frontends.map((f) => f.actor)).toEqual(['dom1.K1', 'dom1.K2']);
      const dom1 = worldView(world).domains.find((d) => d.domid === 1)!;
      expect(dom1.kernels.map((k) => [k.actor, k.frozen])).toEqual([
        ['dom1.K1', true],
        ['dom1.K2', false],
      ]);
    }
    expect(found).toBe(true);
  });

  it('S14 during the jump: K1 frozen with its frontends standing still beside K2', () => {
    const w = runScenario(scenario('S14'), { profile: 'linux-modern' });
    const jump = w.trace.find((e) => e.effects.some((f) => f.k === 'actor' && f.change === 'frozen'))!;
    w.seek(jump.seq + 1);
    const vbd = worldView(w).pairs.find((p) => p.type === 'vbd')!;
    expect(vbd.frontends.map((f) => [f.actor, f.frozen, f.gone])).toEqual([['dom1.K1', true, false]]);
    w.seek(w.trace.length);
    const end = worldView(w).pairs.find((p) => p.type === 'vbd')!;
    // after the jump back K1 runs again
    expect(end.frontends.find((f) => f.actor === 'dom1.K1')?.frozen).toBe(false);
  });
});

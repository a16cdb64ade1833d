import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { createRxIndex, leakedRings, rxStatesAt } from './rxBuffers';

describe('rx buffers', () => {
  it('S10 [2006-RFC]: each detach leaks the rx buffers netfront could not end, ring after ring', () => {
    const w = runScenario(findScenario('S10')!, { profile: 'kexec-patch-2006' });
    const index = createRxIndex(w.trace);
    const release = w.trace.find((e) => e.effects.some((f) => f.k === 'hv' && f.e.kind === 'rx-release'))!;
    const before = rxStatesAt(index, 'ring-2', release.seq);
    expect([...before.values()].every((s) => s === 'posted' || s === 'transferred' || s === 'consumed')).toBe(
      true,
    );
    const after = rxStatesAt(index, 'ring-2', release.seq + 1);
    expect([...after.values()].filter((s) => s === 'leaked').length).toBeGreaterThan(100);
    expect(leakedRings(index, release.seq)).toEqual([]);
    // at the end, every cycle's rx ring still holds its leak, as the buffer states say
    const atEnd = leakedRings(index, w.trace.length);
    expect(atEnd.length).toBeGreaterThanOrEqual(3);
    for (const r of atEnd) {
      const states = [...rxStatesAt(index, r.ringId, w.trace.length).values()];
      expect(r.leaked).toBe(states.filter((s) => s === 'leaked').length);
    }
  });

  it('S10 [modern]: the copying receiver gives every buffer back', () => {
    const w = runScenario(findScenario('S10')!, { profile: 'linux-modern' });
    expect(leakedRings(createRxIndex(w.trace), w.trace.length)).toEqual([]);
  });
});

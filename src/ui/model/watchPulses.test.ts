import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { absoluteWatchPath, watchPulsesAt } from './watchPulses';
import { createWatchIndex } from './watchQueue';

describe('watch pulses', () => {
  it('relative event paths are under the watcher’s home', () => {
    expect(absoluteWatchPath('device', 'dom1.K1')).toBe('/local/domain/1/device');
    expect(absoluteWatchPath('/local/domain/0/backend', 'dom1.K1')).toBe('/local/domain/0/backend');
  });

  it('an event travels from the step after its fire to its delivery, its fraction rising', () => {
    const w = runScenario(findScenario('S1')!, { profile: 'linux-modern' });
    const index = createWatchIndex(w.trace);
    const q = index.queueOf('dom1.K1')!;
    const ev = q.events.find((e) => e.firedAt !== null && e.queuedAt - e.firedAt >= 2)!;
    expect(ev).toBeDefined();
    const at = (p: number) =>
      watchPulsesAt(index, p).filter((x) => x.actor === 'dom1.K1' && x.token === ev.token);
    expect(at(ev.firedAt! + 0.5)).toEqual([]);
    const start = at(ev.firedAt! + 1)[0]!;
    const later = at(ev.queuedAt + 0.5)[0]!;
    expect(start.fraction).toBe(0);
    expect(later.fraction).toBeGreaterThan(start.fraction);
    expect(later.fraction).toBeLessThanOrEqual(1);
    expect(at(ev.queuedAt + 1).some((x) => x.path === start.path && x.fraction === start.fraction)).toBe(
      false,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { DEMOS, findPlayable, MANY_GUESTS, PLAYABLE } from './demos';
import { runScenario } from './run';
import { SCENARIOS } from './catalogue';

describe('demo worlds', () => {
  it('ids are unique across the catalogue and the demos', () => {
    const ids = PLAYABLE.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(PLAYABLE.length).toBe(SCENARIOS.length + DEMOS.length);
    expect(findPlayable('S1')?.id).toBe('S1');
  });

  it('many-devices: every guest ends, after its kexec, with a connected disk and nic, the same way each run', () => {
    const s = findPlayable('many-devices')!;
    const a = runScenario(s, { profile: 'linux-modern' });
    const states = [...a.devices.keys()].map((k) => a.deviceState(k));
    expect([...a.devices.keys()].filter((k) => k.startsWith('dom1.'))).toEqual([
      'dom1.K2|device/vbd/51712',
      'dom1.K2|device/vif/0',
    ]);
    expect(states).toHaveLength(4 * MANY_GUESTS);
    expect(states.every((x) => x === 'Connected')).toBe(true);
    const b = runScenario(s, { profile: 'linux-modern' });
    expect(b.trace.length).toBe(a.trace.length);
    expect(b.trace.at(-1)).toEqual(a.trace.at(-1));
    // two runs of a 45,000-step world: seconds on a loaded machine
  }, 30_000);
});

import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { createDeviceHistory, lastFreedBefore, transitionsBefore } from './deviceHistory';

describe('device history', () => {
  it('S1: the frontend lives from its probe with the states it went through, never freed', () => {
    const w = runScenario(findScenario('S1')!, { profile: 'linux-modern' });
    const lives = createDeviceHistory(w.trace).get('dom1.K1|device/vbd/51712')!;
    expect(lives).toHaveLength(1);
    expect(lives[0]!.freedAt).toBeNull();
    expect(lives[0]!.states.map((s) => s.to)).toEqual(['Initialised', 'Connected']);
  });

  it('S7: the old kernel’s frontend is freed at the kexec, in the state it was left in', () => {
    const w = runScenario(findScenario('S7')!, { profile: 'kexec-patch-2006' });
    const history = createDeviceHistory(w.trace);
    const freed = lastFreedBefore(history, 'dom1.K1|device/vbd/51712', w.trace.length);
    expect(freed).not.toBeNull();
    expect(freed!.life.freedAt).toBeLessThan(w.trace.length);
    expect(lastFreedBefore(history, 'dom1.K1|device/vbd/51712', freed!.life.freedAt!)).toBeNull();
  });

  it('transitions taken so far: only those of steps before the cursor', () => {
    const w = runScenario(findScenario('S1')!, { profile: 'linux-modern' });
    const history = createDeviceHistory(w.trace);
    const key = 'dom1.K1|device/vbd/51712';
    const connected = history.get(key)![0]!.states.find((s) => s.to === 'Connected')!.seq;
    expect(transitionsBefore(history, key, connected)).toEqual([{ from: 'Initialising', to: 'Initialised' }]);
    expect(transitionsBefore(history, key, connected + 1).at(-1)).toEqual({
      from: 'Initialised',
      to: 'Connected',
    });
    expect(transitionsBefore(history, key, 0)).toEqual([]);
  });
});

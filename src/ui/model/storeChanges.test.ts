import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { createStoreChanges, lastStoreChange } from './storeChanges';

describe('store changes', () => {
  it('finds the latest store-changing step before a cursor, as a scan back would', () => {
    const w = runScenario(findScenario('S4')!, { profile: 'linux-modern' });
    const changes = createStoreChanges(w.trace);
    const scan = (cursor: number) => {
      for (let i = cursor - 1; i >= 0; i--) {
        const e = w.trace[i]!.effects.find((f) => f.k === 'node-write' || f.k === 'node-remove');
        if (e !== undefined && 'path' in e) return { seq: i, path: e.path };
      }
      return null;
    };
    for (let c = 0; c <= w.trace.length; c += 7) expect(lastStoreChange(changes, c)).toEqual(scan(c));
    expect(lastStoreChange(changes, 0)).toBeNull();
  });
});

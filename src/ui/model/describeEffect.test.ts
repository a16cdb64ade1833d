import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { describeEffect } from './describeEffect';

describe('effect lines', () => {
  it('say what a store write, a removal and a state change did', () => {
    expect(
      describeEffect({ k: 'node-write', path: '/a/state', old: '1', value: '2', perms: 'n0' }).text,
    ).toBe('/a/state: "1" → "2"');
    expect(describeEffect({ k: 'node-write', path: '/a', old: null, value: '', perms: 'n0,r1' }).text).toBe(
      '/a created = "" (n0,r1)',
    );
    expect(describeEffect({ k: 'node-remove', path: '/a', old: 'x' })).toEqual({
      category: 'store',
      text: '/a removed (was "x")',
    });
    expect(
      describeEffect({
        k: 'transition',
        device: 'dom1.K1|device/vbd/51712',
        from: 'InitWait',
        to: 'Connected',
      }).text,
    ).toBe('dom1.K1|device/vbd/51712: InitWait → Connected');
  });

  it('keep markup in a value as text', () => {
    const line = describeEffect({
      k: 'node-write',
      path: '/x',
      old: null,
      value: '<img src=x onerror=1>',
      perms: 'n0',
    });
    expect(line.text).toContain('"<img src=x onerror=1>"');
  });

  it('give hypervisor effects their flat fields, leaving nested records out', () => {
    const text = describeEffect({
      k: 'hv',
      e: { kind: 'ring-index', ringId: 'ring-2', field: 'reqProdPvt', old: 0, new: 1 },
    }).text;
    expect(text).toBe('ring-index ringId=ring-2 field=reqProdPvt old=0 new=1');
  });

  it('describe every effect of a whole scenario with a non-empty line', () => {
    const world = runScenario(findScenario('S10')!, { profile: 'kexec-patch-2006' });
    const categories = new Set<string>();
    for (const entry of world.trace)
      for (const e of entry.effects) {
        const line = describeEffect(e);
        expect(line.text.length).toBeGreaterThan(0);
        expect(line.text).not.toContain('[object Object]');
        categories.add(line.category);
      }
    expect([...categories].sort()).toEqual(
      expect.arrayContaining(['hypervisor', 'state', 'store', 'transaction', 'watch']),
    );
  });
});

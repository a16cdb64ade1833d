import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import type { ProfileId } from '../../sim/profiles';
import { compareTraces, stepKey } from './compareTraces';
import { step } from './traceSteps.test-support';

const trace = (id: string, profile: ProfileId) => runScenario(findScenario(id)!, { profile }).trace;
const named = (summaries: string[]) => summaries.map((s, i) => ({ ...step(i, []), summary: s }));

describe('compare traces', () => {
  it('aligns by what steps say and finds the shortest edit', () => {
    const c = compareTraces(named(['a', 'b', 'c', 'd']), named(['a', 'c', 'x', 'd']));
    expect(c.rows.map((r) => [r.kind, r.a, r.b])).toEqual([
      ['same', 0, 0],
      ['only-a', 1, null],
      ['same', 2, 1],
      ['only-b', null, 2],
      ['same', 3, 3],
    ]);
    expect(c.firstDivergence).toBe(1);
    expect(c.distance).toBe(2);
    expect(compareTraces(named(['a']), named(['a'])).firstDivergence).toBeNull();
  });

  it('every step of both traces appears once, in order', () => {
    const a = trace('S6', 'linux-2006');
    const b = trace('S7', 'kexec-patch-2006');
    const c = compareTraces(a, b);
    expect(c.rows.flatMap((r) => (r.a === null ? [] : [r.a]))).toEqual(a.map((e) => e.seq));
    expect(c.rows.flatMap((r) => (r.b === null ? [] : [r.b]))).toEqual(b.map((e) => e.seq));
    for (const r of c.rows) if (r.a !== null && r.b !== null) expect(stepKey(a[r.a]!)).toBe(stepKey(b[r.b]!));
  });

  it('S6 vs S7: the same until the profiles part ways, no later than the kexec', () => {
    const a = trace('S6', 'linux-2006');
    const b = trace('S7', 'kexec-patch-2006');
    const c = compareTraces(a, b);
    expect(c.firstDivergence).not.toBeNull();
    const row = c.rows[c.firstDivergence!]!;
    const kexecA = a.findIndex((e) => e.summary.startsWith('user: kexec'));
    // everything before the first divergence matched step for step
    expect(c.rows.slice(0, c.firstDivergence!).every((r) => r.kind === 'same')).toBe(true);
    expect(row.a ?? Infinity).toBeLessThanOrEqual(kexecA + 200);
    expect(c.distance).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import type { ProfileId } from '../profiles';
import { SCENARIOS, findScenario } from '../scenarios/catalogue';
import { runScenario } from '../scenarios/run';
import type { TraceEntry } from '../world/trace';
import { LINT_RULES, createLinter, lintTrace } from './lint';

function trace(id: string, profile: ProfileId): TraceEntry[] {
  const s = findScenario(id);
  if (!s) throw new Error(id);
  return runScenario(s, { profile }).trace;
}

describe('lintTrace', () => {
  it.each([
    ['S1', 'linux-modern'],
    ['S1', 'linux-2006'],
    ['S2', 'linux-modern'],
  ] as const)('a correct handshake (%s, %s) breaks no rule', (id, profile) => {
    expect(lintTrace(trace(id, profile))).toEqual([]);
  });

  const runs = SCENARIOS.flatMap((s) => s.profiles.map((p) => [s.id, p] as const));
  const ids = new Set(LINT_RULES.map((r) => r.id));

  it.each(runs)(
    '%s under %s: completes, every finding names a step of the trace and a known rule',
    (id, p) => {
      const t = trace(id, p);
      const seqs = new Set(t.map((e) => e.seq));
      for (const f of lintTrace(t)) {
        expect(seqs.has(f.seq), `seq ${f.seq}`).toBe(true);
        expect(ids.has(f.rule), f.rule).toBe(true);
        expect(f.message).not.toMatch(/\n/);
        expect(f.spec).toMatch(/\.md §/);
      }
    },
  );

  it('is deterministic: the same trace gives the same findings', () => {
    const t = trace('S10', 'linux-2006');
    expect(lintTrace(t)).toEqual(lintTrace(t));
  });
});

describe('createLinter', () => {
  it.each([
    ['S11', 'linux-modern'],
    ['S1-lost-event', 'linux-modern'],
    ['S10', 'kexec-patch-2006'],
    ['S14', 'linux-modern'],
  ] as const)('%s under %s: reading the trace in slices finds what one pass finds', (id, p) => {
    const t = trace(id, p);
    const linter = createLinter();
    const settled = [];
    for (let n = 0; n < t.length; n += 97) settled.push(...linter.extend(t.slice(0, n + 97)));
    expect(linter.findings()).toEqual(lintTrace(t));
    for (const f of settled) expect(linter.findings()).toContainEqual(f);
  });

  it('reads only new entries: a second extend over the same trace settles nothing', () => {
    const t = trace('S11', 'linux-modern');
    const linter = createLinter();
    expect(linter.extend(t)).not.toEqual([]);
    expect(linter.extend(t)).toEqual([]);
  });

  it('a lost event still unread is provisional: findings() reports it, extend() has not settled it', () => {
    const linter = createLinter();
    expect(linter.extend(trace('S1-lost-event', 'linux-modern'))).toEqual([]);
    expect(linter.findings().map((f) => f.rule)).toEqual(['state-write-unseen']);
  });

  it('refuses a trace rewritten behind it (time travel needs a new linter)', () => {
    const t = trace('S1', 'linux-modern');
    const linter = createLinter();
    linter.extend(t);
    expect(() => linter.extend(t.slice(0, 10))).toThrow(/new linter/);
  });
});

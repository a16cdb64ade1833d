import { describe, expect, it } from 'vitest';
import type { ProfileId } from '../profiles';
import { findScenario } from '../scenarios/catalogue';
import { runScenario } from '../scenarios/run';
import type { TraceEffect, TraceEntry } from '../world/trace';
import { lintTrace } from './lint';
import { LINT_RULES } from './rules';
import type { LintFinding, RuleId } from './types';

const BE = '/local/domain/0/backend/vbd/1/51712';
const FE = '/local/domain/1/device/vbd/51712';
const BE_KEY = 'dom0.kernel|backend/vbd/1/51712';

function lintScenario(id: string, profile: ProfileId): { trace: TraceEntry[]; findings: LintFinding[] } {
  const s = findScenario(id);
  if (!s) throw new Error(id);
  const trace = runScenario(s, { profile }).trace;
  return { trace, findings: lintTrace(trace) };
}

const of = (findings: LintFinding[], rule: RuleId) => findings.filter((f) => f.rule === rule);

/** A hand-made trace: one step per effect list, seq = index. */
function handTrace(steps: TraceEffect[][]): TraceEntry[] {
  return steps.map((effects, seq) => ({
    seq,
    time: 0,
    actor: 'xenstored',
    kind: 'xenstored',
    summary: `step ${seq}`,
    effects,
    code: null,
  }));
}
const write = (path: string, old: string | null, value: string): TraceEffect => ({
  k: 'node-write',
  path,
  old,
  value,
  perms: 'n0',
});
const move = (device: string, from: string, to: string): TraceEffect => ({
  k: 'transition',
  device,
  from,
  to,
});

describe('backend-initialised-early', () => {
  it('S1-initialised-early: the buggy backend writes 3 over 1 at probe; reported once, on that write', () => {
    const { trace, findings } = lintScenario('S1-initialised-early', 'linux-modern');
    const found = of(findings, 'backend-initialised-early');
    expect(found).toHaveLength(1);
    const write = trace[found[0]?.seq ?? -1]?.effects.find((f) => f.k === 'node-write');
    expect(write).toMatchObject({ path: `${BE}/state`, old: '1', value: '3' });
    expect(of(lintScenario('S1', 'linux-modern').findings, 'backend-initialised-early')).toEqual([]);
  });

  it('a backend writing Initialised over Initialising, never InitWait, is reported once', () => {
    const trace = handTrace([
      [write(`${FE}/state`, null, '1'), write(`${BE}/state`, null, '1')],
      [write(`${BE}/state`, '1', '3')],
      [move(BE_KEY, 'Initialising', 'Initialised')],
    ]);
    const found = of(lintTrace(trace), 'backend-initialised-early');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ seq: 1, device: BE });
  });

  it('a backend machine entering Initialised after a restart from Closed is reported', () => {
    const trace = handTrace([
      [move(BE_KEY, 'Initialising', 'InitWait')],
      [move(BE_KEY, 'InitWait', 'Closed')],
      [move(BE_KEY, 'Closed', 'Initialised')],
    ]);
    expect(of(lintTrace(trace), 'backend-initialised-early')).toMatchObject([{ seq: 2, device: BE_KEY }]);
  });

  it('InitWait first, or a frontend going to Initialised, is fine', () => {
    const trace = handTrace([
      [write(`${BE}/state`, null, '1'), write(`${FE}/state`, null, '1')],
      [write(`${BE}/state`, '1', '2'), write(`${FE}/state`, '1', '3')],
      [write(`${BE}/state`, '2', '3')],
    ]);
    expect(of(lintTrace(trace), 'backend-initialised-early')).toEqual([]);
  });
});

describe('connected-to-initialising', () => {
  it('S14 (kexec jump, pm-freeze): the restored frontends drop from Connected to Initialising', () => {
    const found = of(lintScenario('S14', 'linux-modern').findings, 'connected-to-initialising');
    expect(found.map((f) => f.device)).toEqual(['dom1.K1|device/vbd/51712', 'dom1.K1|device/vif/0']);
  });

  it('a raw state write of 1 over 4 is reported, once with its transition', () => {
    const trace = handTrace([
      [write(`${FE}/state`, '4', '1')],
      [move('dom1.K1|device/vbd/51712', 'Connected', 'Initialising')],
    ]);
    expect(of(lintTrace(trace), 'connected-to-initialising')).toMatchObject([{ seq: 0, device: FE }]);
  });

  it('the 2006 RFC goes Connected → Closing → Initialising: not reported (S7)', () => {
    expect(of(lintScenario('S7', 'kexec-patch-2006').findings, 'connected-to-initialising')).toEqual([]);
  });
});

describe('resources-at-closed', () => {
  it('S3-inflight: blkback reaches Closed with I/O in flight, ring 8 still mapped and its port bound', () => {
    const found = of(lintScenario('S3-inflight', 'linux-modern').findings, 'resources-at-closed');
    expect(found).toHaveLength(1);
    expect(found[0]?.device).toBe(BE_KEY);
    expect(found[0]?.message).toMatch(/grant ref 8 of dom1 mapped.*port \d+ bound to dom1 port \d+/);
  });

  it('S8: the 2006 netback is Closed and kept while it still maps both vif rings', () => {
    const found = of(lintScenario('S8', 'kexec-merged-2006').findings, 'resources-at-closed');
    expect(found.map((f) => f.device)).toEqual(['dom0.kernel|backend/vif/1/0']);
  });

  it('S3: a normal detach unmaps and unbinds before Closed', () => {
    expect(of(lintScenario('S3', 'linux-modern').findings, 'resources-at-closed')).toEqual([]);
  });
});

describe('state-write-unseen', () => {
  it('S11: the backend wrote Connected then Closing before the frontend read; 4 was never seen', () => {
    const { trace, findings } = lintScenario('S11', 'linux-modern');
    const found = of(findings, 'state-write-unseen');
    expect(found).toHaveLength(1);
    const write = trace[found[0]?.seq ?? -1]?.effects.find((f) => f.k === 'node-write');
    expect(write).toMatchObject({ path: `${BE}/state`, value: '4' });
    expect(found[0]?.message).toContain('coalesced');
  });

  it("S1-lost-event: the event for the backend's Connected is lost and the frontend never reads it", () => {
    const found = of(lintScenario('S1-lost-event', 'linux-modern').findings, 'state-write-unseen');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(/state = 4 \(Connected\).*lost/);
  });

  it("S1-xenstored-restart: [2006] the restarted daemon lost the frontend's watch, so the Closing is unseen", () => {
    const found = of(lintScenario('S1-xenstored-restart', 'linux-2006').findings, 'state-write-unseen');
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toMatch(
      /state = 5 \(Closing\) was never read by dom1\.K1: xenstored no longer had its watch/,
    );
    // a live update [modern] keeps the watches: the detach is seen
    expect(lintScenario('S1-xenstored-restart', 'linux-modern').findings).toEqual([]);
  });

  it('S16: events for watches a previous kernel left behind are not expectations', () => {
    expect(of(lintScenario('S16', 'linux-2006').findings, 'state-write-unseen')).toEqual([]);
  });
});

describe('pages-not-returned', () => {
  it.each(['linux-2006', 'kexec-patch-2006'] as const)('S10 under %s: every cycle keeps pages', (p) => {
    const found = of(lintScenario('S10', p).findings, 'pages-not-returned');
    expect(found.map((f) => f.device)).toEqual(Array(3).fill('dom1.K1|device/vif/0'));
  });

  it.each(['linux-modern', 'kexec-merged-2006'] as const)('S10 under %s: every page comes back', (p) => {
    expect(of(lintScenario('S10', p).findings, 'pages-not-returned')).toEqual([]);
  });

  it('S7: only the vif is blamed for the leak, not the vbd connecting while it shows in driver_pages', () => {
    const found = of(lintScenario('S7', 'kexec-patch-2006').findings, 'pages-not-returned');
    expect(found.map((f) => f.device)).toEqual(['dom1.K2|device/vif/0']);
  });
});

describe('LINT_RULES', () => {
  it('lists the five rules once each, with a spec section and an explanation', () => {
    expect(new Set(LINT_RULES.map((r) => r.id)).size).toBe(5);
    for (const r of LINT_RULES) expect(r.spec && r.explanation && r.title).toBeTruthy();
  });
});

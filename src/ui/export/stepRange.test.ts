import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { sequenceLanes } from '../layout/lanes';
import { stepMarks, traceActors } from '../layout/stepArrows';
import { clampRange, laneTitle, oneLine, stepRange, withoutActor } from './stepRange';
import { traceEntry } from '../model/traceSteps.test-support';

const entry = traceEntry;

const s1 = runScenario(findScenario('S1')!, { profile: 'linux-modern' }).trace;

describe('a step range of the trace', () => {
  it('clamps [from, to) to the trace and never reverses', () => {
    expect(clampRange(10, 2, 5)).toEqual({ from: 2, to: 5 });
    expect(clampRange(10, -3, 50)).toEqual({ from: 0, to: 10 });
    expect(clampRange(10, 7, 3)).toEqual({ from: 7, to: 7 });
    expect(clampRange(10, 2.7, Infinity)).toEqual({ from: 2, to: 10 });
    expect(clampRange(10, NaN, NaN)).toEqual({ from: 0, to: 10 });
  });

  it('needs exactly the lanes of its steps and their arrows, in the chart order', () => {
    for (const [from, to] of [
      [0, 7],
      [150, 200],
      [0, s1.length],
    ] as const) {
      const r = stepRange(s1, from, to);
      const expected = sequenceLanes(traceActors(s1.slice(from, to))).map((l) => l.actor);
      expect(r.lanes.map((l) => l.actor)).toEqual(expected);
      expect(r.rows.map((row) => row.entry.seq)).toEqual(s1.slice(from, to).map((e) => e.seq));
    }
    // kernel boot only: no guest, no toolstack
    expect(stepRange(s1, 0, 7).lanes.map((l) => l.actor)).toEqual(['xenstored', 'dom0.kernel']);
  });

  it('keeps the chart arrows of each step (self arrows dropped) with one line of text each', () => {
    const r = stepRange(s1, 0, s1.length);
    for (const row of r.rows) {
      const chart = stepMarks(row.entry).arrows.filter((a) => a.from !== a.to);
      expect(row.arrows.map(({ kind, from, to }) => ({ kind, from, to }))).toEqual(chart);
      for (const a of row.arrows) expect(a.label).not.toMatch(/\n/);
    }
  });

  it('labels a request without its client, and each watch event queued with its path', () => {
    const row = stepRange(
      [
        entry({
          summary: 'dom0.kernel: WRITE backend/vbd/1/51712/state = "2" → OK',
          effects: [
            { k: 'watch-fire', to: 'dom1.K1', path: '/a', token: 't1' },
            { k: 'watch-fire', to: 'dom0.kernel', path: '/b', token: 't2' },
            { k: 'hv', e: { kind: 'domain-destroy', domid: 1 } },
            { k: 'hv', e: { kind: 'domain-destroy', domid: 2 } },
          ],
        }),
      ],
      0,
      1,
    ).rows[0]!;
    expect(row.arrows.map((a) => [a.kind, a.label])).toEqual([
      ['request', 'WRITE backend/vbd/1/51712/state = "2" → OK'],
      ['watch', 'queue watch event /a (t1)'],
      ['watch', 'queue watch event /b (t2)'],
      ['hypercall', 'hypercall domain-destroy'],
    ]);
  });

  it('names each transition after its driver, on the lane of the kernel running the device', () => {
    const r = stepRange(s1, 194, 195);
    expect(r.rows[0]!.transitions).toEqual([
      {
        device: 'dom0.kernel|backend/vbd/1/51712',
        actor: 'dom0.kernel',
        driver: 'blkback',
        from: 'Initialising',
        to: 'InitWait',
        label: 'blkback: Initialising→InitWait',
      },
    ]);
  });

  it('titles lanes as the chart header does', () => {
    const titles = sequenceLanes([
      'user',
      'dom0.xl',
      'dom0.hotplug',
      'xenstored',
      'hypervisor',
      'dom1.K2',
    ]).map(laneTitle);
    expect(titles).toEqual(['user', 'xl', 'hotplug', 'xenstored', 'Xen', 'd1 K2']);
  });

  it('writes text on one line and drops the actor a summary starts with', () => {
    expect(oneLine('a\nb\r\nc\u0007')).toBe('a ↵ b ↵ c ');
    expect(withoutActor('dom1.K1 xenwatch: f(x)', 'dom1.K1')).toBe('xenwatch: f(x)');
    expect(withoutActor('dom1.K1: reply to READ', 'dom1.K1')).toBe('reply to READ');
    expect(withoutActor('dom1.K10: x', 'dom1.K1')).toBe('dom1.K10: x');
  });
});

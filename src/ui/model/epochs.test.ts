import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import type { TraceEffect, TraceEntry } from '../../sim/world/trace';
import { kernelEpochs, survivedAt } from './epochs';
import { createNodeHistory } from './nodeHistory';

const step = (seq: number, effects: TraceEffect[], actor = 'xenstored'): TraceEntry => ({
  seq,
  time: seq,
  actor,
  kind: 'wakeup',
  summary: `step ${seq}`,
  effects,
  code: null,
});
const life = (actor: string, change: 'started' | 'stopped' | 'frozen' | 'thawed'): TraceEffect => ({
  k: 'actor',
  actor,
  change,
});
const run = (id: string, profile: 'linux-modern' | 'kexec-patch-2006' | 'linux-2006') =>
  runScenario(findScenario(id)!, { profile }).trace;

describe('kernel epochs', () => {
  it('a kexec stops one kernel and starts the next; a jump freezes it; a jump back thaws it', () => {
    const trace = [
      step(0, [life('dom1.K1', 'started')], 'dom0.xl'),
      step(1, [life('dom1.K1', 'frozen'), life('dom1.K2', 'started')], 'dom1.K1'),
      step(2, [life('dom1.K2', 'frozen'), life('dom1.K1', 'thawed')], 'dom1.K2'),
      step(3, [life('dom1.K1', 'stopped'), life('dom1.K3', 'started')], 'dom1.K1'),
    ];
    const [dom1] = kernelEpochs(trace);
    expect(dom1?.domid).toBe(1);
    expect(dom1?.epochs).toEqual([
      { actor: 'dom1.K1', epoch: 1, startSeq: 0, endSeq: 3, frozenRanges: [[1, 2]] },
      { actor: 'dom1.K2', epoch: 2, startSeq: 1, endSeq: null, frozenRanges: [[2, null]] },
      { actor: 'dom1.K3', epoch: 3, startSeq: 3, endSeq: null, frozenRanges: [] },
    ]);
    expect(dom1?.boundaries.map((b) => [b.seq, b.from, b.to, b.kind])).toEqual([
      [1, 'dom1.K1', 'dom1.K2', 'jump'],
      [2, 'dom1.K2', 'dom1.K1', 'jump-back'],
      [3, 'dom1.K1', 'dom1.K3', 'kexec'],
    ]);
  });

  it('S7 (2006 RFC): the old kernel unwatched and the backend unmapped before the kexec; the store nodes stay', () => {
    const trace = run('S7', 'kexec-patch-2006');
    const dom1 = kernelEpochs(trace).find((d) => d.domid === 1)!;
    expect(dom1.boundaries).toHaveLength(1);
    const b = dom1.boundaries[0]!;
    expect(b).toMatchObject({ from: 'dom1.K1', to: 'dom1.K2', kind: 'kexec' });
    expect(dom1.epochs[0]?.endSeq).toBe(b.seq);
    const card = survivedAt(trace, b);
    expect(card.nodes.count).toBeGreaterThan(10);
    expect(card.nodes.sample).toContain('/local/domain/1/device/vbd/51712/state');
    expect(card.connected).toEqual([]);
    expect(card.mappedGrants).toEqual([]);
    expect(card.watches).toEqual([]);
  });

  it('S9 (modern): the old kernel’s four watches are still registered at the kexec, and the successor resets them', () => {
    const trace = run('S9', 'linux-modern');
    const b = kernelEpochs(trace).find((d) => d.domid === 1)!.boundaries[0]!;
    expect(b.kind).toBe('kexec');
    const card = survivedAt(trace, b, createNodeHistory(trace));
    expect(card.connected).toEqual([]);
    expect(card.watches).toHaveLength(4);
    for (const w of card.watches) {
      expect(w.removedBy).toBe('dom1.K2');
      expect(w.removedAt!).toBeGreaterThan(b.seq);
    }
  });

  it('S16 (linux-2006): backends stay Connected and the old watches are never removed', () => {
    const trace = run('S16', 'linux-2006');
    const b = kernelEpochs(trace).find((d) => d.domid === 1)!.boundaries[0]!;
    const card = survivedAt(trace, b);
    expect(card.connected.map((c) => [c.device, c.side])).toEqual([
      ['dom0.kernel|backend/vbd/1/51712', 'backend'],
      ['dom0.kernel|backend/vif/1/0', 'backend'],
    ]);
    expect(card.watches.length).toBeGreaterThan(0);
    expect(card.watches.every((w) => w.removedAt === null)).toBe(true);
  });

  it('S14 (kexec jump): K1 frozen while K2 runs, then thawed; at the jump its devices are Connected and mapped', () => {
    const trace = run('S14', 'linux-modern');
    const dom1 = kernelEpochs(trace).find((d) => d.domid === 1)!;
    const [jump, back] = dom1.boundaries;
    expect(jump).toMatchObject({ from: 'dom1.K1', to: 'dom1.K2', kind: 'jump' });
    expect(back).toMatchObject({ from: 'dom1.K2', to: 'dom1.K1', kind: 'jump-back' });
    expect(dom1.epochs.map((e) => [e.actor, e.endSeq, e.frozenRanges])).toEqual([
      ['dom1.K1', null, [[jump!.seq, back!.seq]]],
      ['dom1.K2', null, [[back!.seq, null]]],
    ]);
    const card = survivedAt(trace, jump!);
    expect(card.connected.map((c) => c.side).sort()).toEqual(['backend', 'backend', 'frontend', 'frontend']);
    expect(card.mappedGrants).toHaveLength(3);
    for (const g of card.mappedGrants) expect(g.unmappedAt!).toBeGreaterThan(jump!.seq);
    expect(card.watches.every((w) => w.removedBy === 'dom1.K2')).toBe(true);
  });
});

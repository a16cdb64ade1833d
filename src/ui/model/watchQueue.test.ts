import { describe, expect, it } from 'vitest';
import type { GuestEffect } from '../../guest/xenbus';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import type { TraceEffect } from '../../sim/world/trace';
import { createWatchIndex, watchActors, watchQueueAt } from './watchQueue';
import { step } from './traceSteps.test-support';

const K = 'dom1.K1';
const guest = (e: GuestEffect): TraceEffect => ({ k: 'guest', actor: K, e });
const fire = (path: string, token = 't'): TraceEffect => ({ k: 'watch-fire', to: K, path, token });
const queued = (seq: number, path: string, token = 't') =>
  guest({ kind: 'watch-event-queued', seq, path, token });
const run = (seq: number, path: string, token = 't') => guest({ kind: 'xenwatch-run', seq, path, token });
const write = (path: string, value: string): TraceEffect => ({
  k: 'node-write',
  path,
  old: null,
  value,
  perms: 'n0',
});

describe('watch queue lens', () => {
  it('matches fires to queued events first-in first-out per (path, token), skipping lost fires', () => {
    const trace = [
      step(0, [write('/local/domain/1/a', '1'), fire('a')]),
      step(1, [write('/local/domain/1/a', '2'), fire('a')]),
      step(2, [fire('a'), { k: 'log', actor: 'xenstored', text: `fault: watch event a (t) for ${K} lost` }]),
      step(3, [queued(1, 'a')]),
      step(4, [queued(2, 'a')]),
      step(5, [write('/local/domain/1/a', '3'), fire('a')]),
      step(6, [guest({ kind: 'watch-event-dropped', path: 'a', token: 't', reason: 'pending' })]),
      step(7, [run(1, 'a')]),
      step(8, [guest({ kind: 'xenwatch-done', seq: 1 })]),
    ];
    const index = createWatchIndex(trace);
    expect(watchActors(index)).toEqual([K]);
    expect(watchQueueAt(index, K, 5)).toEqual({
      pending: [
        { eventSeq: 1, path: 'a', token: 't', queuedAt: 3, firedAt: 0 },
        { eventSeq: 2, path: 'a', token: 't', queuedAt: 4, firedAt: 1 },
      ],
      running: null,
      dropped: [],
    });
    const at8 = watchQueueAt(index, K, 8);
    expect(at8.pending.map((p) => p.eventSeq)).toEqual([2]);
    expect(at8.running).toEqual({
      eventSeq: 1,
      path: 'a',
      token: 't',
      startedAt: 7,
      firedAt: 0,
      valueAtFire: '1',
      valueNow: '3',
      stale: true,
    });
    expect(at8.dropped).toEqual([{ path: 'a', token: 't', reason: 'pending', at: 6 }]);
    expect(watchQueueAt(index, K, 9).running).toBeNull();
  });

  it('an unregister purges queued events, and a stopped kernel’s queue empties', () => {
    const trace = [
      step(0, [queued(1, '/x'), queued(2, '/y')]),
      step(1, [guest({ kind: 'watch-removed', path: '/x', token: 't', purged: [1] })]),
      step(2, [run(3, '/z')]),
      step(3, [{ k: 'actor', actor: K, change: 'stopped' }]),
    ];
    const index = createWatchIndex(trace);
    expect(watchQueueAt(index, K, 1).pending.map((p) => p.eventSeq)).toEqual([1, 2]);
    expect(watchQueueAt(index, K, 2).pending.map((p) => p.eventSeq)).toEqual([2]);
    expect(watchQueueAt(index, K, 3).running?.eventSeq).toBe(3);
    expect(watchQueueAt(index, K, 4)).toEqual({ pending: [], running: null, dropped: [] });
  });

  it('extends as the trace grows: an event queued earlier runs later', () => {
    const trace = [step(0, [queued(1, '/x')]), step(1, [])];
    const index = createWatchIndex(trace);
    expect(watchQueueAt(index, K, 2).pending.length).toBe(1);
    trace.push(step(2, [run(1, '/x')]));
    index.extend(trace);
    expect(watchQueueAt(index, K, 2).pending.length).toBe(1);
    expect(watchQueueAt(index, K, 3).pending.length).toBe(0);
    expect(watchQueueAt(index, K, 3).running?.eventSeq).toBe(1);
  });

  it('S1: every queued event was fired by a xenstored step, and the queues drain', () => {
    const trace = runScenario(findScenario('S1')!, { profile: 'linux-modern' }).trace;
    const index = createWatchIndex(trace);
    expect(watchActors(index)).toEqual(['dom0.kernel', 'dom1.K1']);
    for (const actor of watchActors(index)) {
      for (let c = 0; c <= trace.length; c += 7)
        for (const p of watchQueueAt(index, actor, c).pending) {
          expect(p.firedAt).not.toBeNull();
          expect(trace[p.firedAt!]!.kind).toBe('xenstored');
          expect(p.firedAt!).toBeLessThan(p.queuedAt);
        }
      expect(watchQueueAt(index, actor, trace.length)).toMatchObject({ pending: [], running: null });
    }
  });

  it('S11: the frontend’s callback for the backend’s Connected (4) runs when the node already says Closing (5)', () => {
    const trace = runScenario(findScenario('S11')!, { profile: 'linux-modern' }).trace;
    const index = createWatchIndex(trace);
    const stale = [];
    for (let c = 0; c <= trace.length; c++) {
      const r = watchQueueAt(index, 'dom1.K1', c).running;
      if (r?.stale && r.startedAt === c - 1) stale.push(r);
    }
    const missed = stale.find((r) => r.valueAtFire === '4');
    expect(missed).toMatchObject({ path: '/local/domain/0/backend/vbd/1/51712/state', valueNow: '5' });
  });
});

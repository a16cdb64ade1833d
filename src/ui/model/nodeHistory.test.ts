import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import type { TraceEffect, TraceEntry } from '../../sim/world/trace';
import { countBefore, createNodeHistory } from './nodeHistory';
import { step } from './traceSteps.test-support';

const write = (path: string, old: string | null, value: string): TraceEffect => ({
  k: 'node-write',
  path,
  old,
  value,
  perms: 'n0',
});

const small: TraceEntry[] = [
  step(0, []),
  step(1, [write('/a', null, ''), write('/a/state', null, '1')]),
  step(2, []),
  step(3, [write('/a/state', '1', '4')]),
  step(4, [{ k: 'node-remove', path: '/a/state', old: '4' }]),
  step(5, [write('/a/state', null, '1')]),
];

describe('node history', () => {
  it('gives a node’s value after the steps before the cursor, null while absent', () => {
    const h = createNodeHistory(small);
    expect([0, 1, 2, 3, 4, 5, 6].map((c) => h.valueAt('/a/state', c))).toEqual([
      null,
      null,
      '1',
      '1',
      '4',
      null,
      '1',
    ]);
    expect(h.valueAt('/a', 6)).toBe('');
    expect(h.valueAt('/never', 6)).toBeNull();
  });

  it('lists a node’s changes and finds the last one before a cursor', () => {
    const h = createNodeHistory(small);
    expect(h.changesOf('/a/state')).toEqual([
      { seq: 1, old: null, value: '1' },
      { seq: 3, old: '1', value: '4' },
      { seq: 4, old: '4', value: null },
      { seq: 5, old: null, value: '1' },
    ]);
    expect(h.lastChangeBefore('/a/state', 4)).toEqual({ seq: 3, old: '1', value: '4' });
    expect(h.lastChangeBefore('/a/state', 1)).toBeNull();
    expect(h.paths()).toEqual(['/a', '/a/state']);
  });

  it('extends as the trace grows and rebuilds when it was truncated and re-grown', () => {
    const trace = small.slice(0, 3);
    const h = createNodeHistory(trace);
    expect(h.valueAt('/a/state', 10)).toBe('1');
    trace.push(small[3]!);
    h.extend(trace);
    expect(h.indexedLength).toBe(4);
    expect(h.valueAt('/a/state', 10)).toBe('4');
    // a new future from step 3: same length, a different entry at the end
    trace.length = 3;
    trace.push(step(3, [write('/a/state', '1', '2')]));
    h.extend(trace);
    expect(h.changesOf('/a/state').map((c) => c.value)).toEqual(['1', '2']);
  });

  it('counts sorted numbers below a cursor', () => {
    expect(countBefore([1, 3, 3, 7], 3)).toBe(1);
    expect(countBefore([1, 3, 3, 7], 4)).toBe(3);
    expect(countBefore([], 4)).toBe(0);
  });

  it('S1: the backend’s state node ends Connected (4) and its history matches the writes', () => {
    const trace = runScenario(findScenario('S1')!, { profile: 'linux-modern' }).trace;
    const h = createNodeHistory(trace);
    const be = '/local/domain/0/backend/vbd/1/51712/state';
    expect(h.valueAt(be, trace.length)).toBe('4');
    expect(h.valueAt(be, 0)).toBeNull();
    const changes = h.changesOf(be);
    expect(changes[0]?.old).toBeNull();
    for (const c of changes) {
      const e = trace[c.seq]!.effects.find((x) => x.k === 'node-write' && x.path === be);
      expect(e).toBeDefined();
    }
    // each change's old value is the value just before its step
    for (const c of changes) expect(h.valueAt(be, c.seq)).toBe(c.old);
  });
});

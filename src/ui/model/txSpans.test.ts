import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import type { TraceEffect } from '../../sim/world/trace';
import { conflictRuleText, createTxIndex } from './txSpans';
import { step } from './traceSteps.test-support';

const tx = (
  outcome: 'start' | 'commit' | 'eagain',
  txId = 1,
  conflictPath?: string,
  sets: { reads?: string[]; writes?: string[] } = {},
): TraceEffect =>
  conflictPath === undefined
    ? { k: 'tx', actor: 'A', txId, outcome, ...sets }
    : { k: 'tx', actor: 'A', txId, outcome, conflictPath, ...sets };
const write = (path: string, old: string | null = 'x'): TraceEffect => ({
  k: 'node-write',
  path,
  old,
  value: 'v',
  perms: 'n0',
});

describe('transaction spans', () => {
  it('a span runs from start to the next end of the same (actor, txId); ids are reused', () => {
    const trace = [
      step(0, [tx('start')]),
      step(1, []),
      step(2, [write('/b')]),
      step(3, [tx('commit', 1, undefined, { reads: ['/a'], writes: ['/a'] }), write('/a')]),
      step(4, [tx('start')]),
      step(5, []),
    ];
    const index = createTxIndex(trace);
    expect(index.spans).toEqual([
      { actor: 'A', txId: 1, startSeq: 0, endSeq: 3, outcome: 'commit', reads: ['/a'], writes: ['/a'] },
      { actor: 'A', txId: 1, startSeq: 4, endSeq: null, outcome: 'open', reads: [], writes: [] },
    ]);
    expect(index.spansAt(1)).toEqual([
      { actor: 'A', txId: 1, startSeq: 0, endSeq: null, outcome: 'open', reads: [], writes: [] },
    ]);
    // while open, the sets are not known yet
    expect(index.spansAt(2)[0]?.reads).toEqual([]);
    expect(index.spansAt(4)).toEqual([]);
    expect(index.spansAt(6).map((s) => s.startSeq)).toEqual([4]);
    expect(index.overlapping(3, 4).map((s) => s.startSeq)).toEqual([0, 4]);
    expect(index.overlapping(5, 100).map((s) => s.startSeq)).toEqual([4]);
  });

  it('read-set eagain: the conflict is the last change of the named node, or of its children list', () => {
    const trace = [
      step(0, [tx('start')]),
      step(1, []),
      step(2, [write('/d/x', null)]),
      step(3, [write('/e')]),
      step(4, [tx('eagain', 1, '/d', { reads: ['/d'], writes: [] })]),
    ];
    const [span] = createTxIndex(trace).spans;
    expect(span).toMatchObject({ outcome: 'eagain', conflictPath: '/d', conflictSeq: 2 });
  });

  it('global eagain: the conflict is the first store change after the start', () => {
    const trace = [
      step(0, [write('/z')]),
      step(1, [tx('start')]),
      step(2, [write('/e'), write('/f')]),
      step(3, [write('/g')]),
      step(4, [tx('eagain')]),
    ];
    const [span] = createTxIndex(trace).spans;
    expect(span).toMatchObject({ outcome: 'eagain', conflictPath: '/e', conflictSeq: 2 });
  });

  it('a start of an open (actor, txId) ends the old span as reset; extend reads on', () => {
    const trace = [step(0, [tx('start')]), step(1, [tx('start')])];
    const index = createTxIndex(trace.slice(0, 1));
    expect(index.spans[0]?.outcome).toBe('open');
    index.extend(trace);
    expect(index.spans.map((s) => [s.startSeq, s.endSeq, s.outcome])).toEqual([
      [0, 1, 'reset'],
      [1, null, 'open'],
    ]);
  });

  it('S12 (read-set): blkback’s connect() transaction fails on its directory, changed by the hotplug script, and the retry commits', () => {
    const trace = runScenario(findScenario('S12')!, { profile: 'linux-modern' }).trace;
    const spans = createTxIndex(trace).spans.filter((s) => s.actor === 'dom0.kernel');
    const i = spans.findIndex((s) => s.outcome === 'eagain');
    const failed = spans[i]!;
    expect(failed.conflictPath).toBe('/local/domain/0/backend/vbd/1/51712');
    expect(failed.reads).toContain(failed.conflictPath);
    const seq = failed.conflictSeq!;
    expect(seq).toBeGreaterThan(failed.startSeq);
    expect(seq).toBeLessThan(failed.endSeq!);
    expect(trace[seq]!.summary).toMatch(/^dom0\.hotplug: WRITE \/local\/domain\/0\/backend\/vbd\/1\/51712\//);
    expect(spans[i + 1]).toMatchObject({ outcome: 'commit', startSeq: expect.any(Number) as number });
    expect(spans[i + 1]!.writes).toContain('/local/domain/0/backend/vbd/1/51712/sectors');
  });

  it('S12-global: the commit fails on the guest’s unrelated write, the first store change after the start', () => {
    const trace = runScenario(findScenario('S12-global')!, { profile: 'linux-modern' }).trace;
    const failed = createTxIndex(trace).spans.find((s) => s.outcome === 'eagain')!;
    expect(failed.conflictPath).toBe('/local/domain/1/data/foo');
    expect(trace[failed.conflictSeq!]!.summary).toMatch(/^dom1\.K1: WRITE data\/foo/);
    expect(failed.reads).not.toContain('/local/domain/1/data/foo');
  });

  it('states each conflict rule in plain words', () => {
    expect(conflictRuleText('read-set')).toContain('a node the transaction read has changed');
    expect(conflictRuleText('global')).toContain('anything in the store changed');
  });
});

import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { parseQuery, pathsOf, searchTrace, stepsTouching } from './traceSearch';

const s1 = () => runScenario(findScenario('S1')!, { profile: 'linux-modern' }).trace;
const STATE = '/local/domain/1/device/vbd/51712/state';

describe('trace search', () => {
  it('parses fields and free text, and names a bad kind', () => {
    expect(parseQuery('path:/local/** actor:dom1.K1 kind:xenstored EAGAIN')).toEqual({
      ok: true,
      query: { path: '/local/**', actor: 'dom1.K1', kind: 'xenstored', text: 'EAGAIN' },
    });
    expect(parseQuery('kind:magic')).toMatchObject({ ok: false, error: expect.stringMatching(/^kind:/) });
  });

  it('every step that touched the frontend state node: its writes, the watch events for it, the reads of it', () => {
    const t = s1();
    const found = stepsTouching(t, STATE);
    const writes = t
      .filter((e) => e.effects.some((f) => f.k === 'node-write' && f.path === STATE))
      .map((e) => e.seq);
    const fires = t
      .filter((e) =>
        e.effects.some(
          (f) => f.k === 'watch-fire' && (f.path === STATE || f.path === 'device/vbd/51712/state'),
        ),
      )
      .map((e) => e.seq);
    const reads = t
      .filter(
        (e) =>
          e.kind === 'xenstored' &&
          / READ (\[tx \d+\] )?(\/local\/domain\/1\/)?device\/vbd\/51712\/state /.test(e.summary),
      )
      .map((e) => e.seq);
    expect(writes.length).toBeGreaterThan(0);
    expect(reads.length).toBeGreaterThan(0);
    for (const seq of [...writes, ...fires, ...reads]) expect(found).toContain(seq);
    // and nothing that does not touch it
    for (const seq of found) expect(pathsOf(t[seq]!)).toContain(STATE);
  });

  it('filters by kind, actor and device', () => {
    const t = s1();
    const xs = searchTrace(t, { kind: 'xenstored', actor: 'dom1.K1' });
    expect(xs.length).toBeGreaterThan(0);
    for (const seq of xs) expect(t[seq]!.summary.startsWith('dom1.K1:')).toBe(true);
    const blkback = searchTrace(t, { device: 'blkback' });
    expect(blkback).toEqual(
      t
        .filter(
          (e) =>
            e.effects.some(
              (f) => (f.k === 'transition' || f.k === 'device') && f.device.includes('|backend/vbd'),
            ) || e.summary.includes('blkback'),
        )
        .map((e) => e.seq),
    );
  });
});

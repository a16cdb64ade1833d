import { describe, expect, it } from 'vitest';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import type { ProfileId } from '../../sim/profiles';
import type { TraceEffect, TraceEntry } from '../../sim/world/trace';
import { driverOf, firstHit, parseBreakpoint, type Breakpoint } from './breakpoints';

const trace = (id: string, profile: ProfileId) => runScenario(findScenario(id)!, { profile }).trace;
const bp = (text: string): Breakpoint => {
  const parsed = parseBreakpoint(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return { id: 1, text, condition: parsed.condition, enabled: true };
};
/** The oracle: the first step with an effect satisfying `test`. */
const first = (t: readonly TraceEntry[], test: (e: TraceEffect) => boolean) =>
  t.findIndex((entry) => entry.effects.some(test));

describe('breakpoints', () => {
  it('parses what the panel accepts and explains what it does not', () => {
    expect(parseBreakpoint('blkback: Connected→Closing')).toMatchObject({
      ok: true,
      condition: { kind: 'transition', device: 'blkback', from: 'Connected', to: 'Closing' },
    });
    expect(parseBreakpoint('blkfront: Closed')).toMatchObject({ condition: { from: '*', to: 'Closed' } });
    expect(parseBreakpoint('write /local/domain/*/device/vbd/*/state')).toMatchObject({ ok: true });
    expect(parseBreakpoint('driver_pages > 200')).toMatchObject({
      condition: { above: true, threshold: 200 },
    });
    expect(parseBreakpoint('blkback: Conected')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/xenbus state/),
    });
    expect(parseBreakpoint('stop somewhere')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/write one of/),
    });
    expect(driverOf('dom0.kernel|backend/vbd/1/51712')).toBe('blkback');
    expect(driverOf('dom1.K2|device/vif/0')).toBe('netfront');
  });

  it('a transition stops at the step that takes it (S4: blkback Connected→Closing)', () => {
    const t = trace('S4', 'linux-modern');
    const hit = firstHit([bp('blkback: Connected→Closing')], t, 0, t.length);
    const expected = first(
      t,
      (e) =>
        e.k === 'transition' &&
        e.device.includes('|backend/vbd') &&
        e.from === 'Connected' &&
        e.to === 'Closing',
    );
    expect(expected).toBeGreaterThan(0);
    expect(hit?.seq).toBe(expected);
    expect(hit?.reason).toMatch(/blkback .*Connected → Closing/);
    // searching on from there finds nothing earlier again
    expect(
      firstHit([bp('blkback: Connected→Closing')], t, expected + 1, t.length)?.seq ?? Infinity,
    ).toBeGreaterThan(expected);
  });

  it('a state entered, a write under a glob, and a disabled breakpoint (S1)', () => {
    const t = trace('S1', 'linux-modern');
    const connected = first(
      t,
      (e) => e.k === 'transition' && e.device.includes('|device/vbd') && e.to === 'Connected',
    );
    expect(firstHit([bp('blkfront: Connected')], t, 0, t.length)?.seq).toBe(connected);
    const write = first(
      t,
      (e) => e.k === 'node-write' && /^\/local\/domain\/\d+\/device\/vbd\/\d+\/state$/.test(e.path),
    );
    expect(firstHit([bp('write /local/domain/*/device/vbd/*/state')], t, 0, t.length)?.seq).toBe(write);
    expect(firstHit([{ ...bp('blkfront: Connected'), enabled: false }], t, 0, t.length)).toBeNull();
  });

  it('watch events lost and merged, EAGAIN, timeouts and a counter crossing', () => {
    const lost = trace('S1-lost-event', 'linux-modern');
    expect(firstHit([bp('watch dropped')], lost, 0, lost.length)?.seq).toBe(
      first(lost, (e) => e.k === 'log' && /^fault: watch event .* lost$/.test(e.text)),
    );
    const s11 = trace('S11', 'linux-modern');
    const merged = first(
      s11,
      (e) => e.k === 'guest' && e.e.kind === 'watch-event-dropped' && e.e.reason === 'pending',
    );
    expect(merged).toBeGreaterThan(0);
    expect(firstHit([bp('watch merged')], s11, 0, s11.length)?.seq).toBe(merged);
    // a merge is not a drop
    expect(firstHit([bp('watch dropped')], s11, 0, s11.length)?.seq ?? -1).not.toBe(merged);
    const s12 = trace('S12', 'linux-modern');
    expect(firstHit([bp('eagain')], s12, 0, s12.length)?.seq).toBe(
      first(s12, (e) => e.k === 'tx' && e.outcome === 'eagain'),
    );
    const s10 = trace('S10', 'linux-2006');
    const timeout = first(s10, (e) => e.k === 'timeout');
    expect(timeout).toBeGreaterThan(0);
    expect(firstHit([bp('timeout')], s10, 0, s10.length)?.seq).toBe(timeout);
    const crossing = first(
      s10,
      (e) =>
        e.k === 'hv' &&
        e.e.kind === 'balloon-counter' &&
        e.e.counter === 'driverPages' &&
        e.e.old <= 200 &&
        e.e.new > 200,
    );
    expect(crossing).toBeGreaterThan(0);
    expect(firstHit([bp('driver_pages > 200')], s10, 0, s10.length)?.seq).toBe(crossing);
  });
});

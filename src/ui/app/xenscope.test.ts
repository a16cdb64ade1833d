import { describe, expect, it } from 'vitest';
import type { FrameHost } from '../playback/frameLoop';
import { STEPS_PER_SECOND } from '../playback/playbackClock';
import { parseBreakpoint } from '../model/breakpoints';
import { createXenScope } from './xenscope';

/** Frames never run by themselves: the tests drive `tick`. */
const idleHost: FrameHost = { requestAnimationFrame: () => 1, cancelAnimationFrame: () => {} };
const S1 = { scenario: 'S1', profile: 'linux-modern', seed: 1 } as const;

describe('xenscope page', () => {
  it('plays at speed × 4 steps per second of wall time, and stops at the end', () => {
    const app = createXenScope(idleHost);
    app.open({ ...S1 });
    app.setSpeed(2);
    app.play();
    expect(app.view.getState().clock.playing).toBe(true);
    app.tick(50);
    app.tick(50);
    expect(app.timeline.getState().cursor).toBe(Math.floor(0.1 * STEPS_PER_SECOND * 2));
    app.setSpeed(64);
    while (app.tick(100));
    expect(app.timeline.getState().cursor).toBe(app.timeline.getState().length);
    expect(app.view.getState().clock.playing).toBe(false);
  });

  it('playTo plays on and stops on the step asked for (a tour gate); behind the cursor it seeks', () => {
    const app = createXenScope(idleHost);
    app.open({ ...S1 });
    app.seek(10);
    app.setSpeed(64);
    app.playTo(57);
    expect(app.view.getState().clock.playing).toBe(true);
    let frames = 0;
    while (app.tick(100)) frames++;
    expect(frames).toBeGreaterThan(0);
    expect(app.timeline.getState().cursor).toBe(57);
    expect(app.view.getState().clock.playing).toBe(false);
    // a later plain play is not held at the old gate
    app.play();
    app.tick(100);
    app.tick(100);
    expect(app.timeline.getState().cursor).toBeGreaterThan(57);
    app.playTo(5);
    expect(app.view.getState().clock.playing).toBe(false);
    expect(app.timeline.getState().cursor).toBe(5);
  });

  it('seek moves cursor and clock together; play at the end starts over', () => {
    const app = createXenScope(idleHost);
    app.open({ ...S1 });
    app.seek(30);
    expect(app.timeline.getState().cursor).toBe(30);
    expect(app.view.getState().clock.position).toBe(30);
    app.stepBack();
    expect(app.timeline.getState().cursor).toBe(29);
    app.seek(app.timeline.getState().length);
    app.play();
    expect(app.timeline.getState().cursor).toBe(0);
  });

  it('opening another scenario pauses, clears the selection and starts at step 0', () => {
    const app = createXenScope(idleHost);
    app.open({ ...S1 });
    app.view.getState().selectDevice('/local/domain/1/device/vbd/51712');
    app.seek(40);
    app.play();
    app.open({ scenario: 'S4', profile: 'linux-modern', seed: 1 });
    expect(app.view.getState()).toMatchObject({ device: null, clock: { playing: false, position: 0 } });
    expect(app.timeline.getState().request?.scenario).toBe('S4');
  });

  it("the trace's indexes are rebuilt when an action changes the trace", () => {
    const app = createXenScope(idleHost);
    app.open({ ...S1 });
    const before = app.traceIndexes();
    expect(app.traceIndexes()).toBe(before);
    app.seek(app.timeline.getState().length);
    app.act({ type: 'detach-disk', domid: 1 });
    expect(app.traceIndexes()).not.toBe(before);
  });

  it('playback stops on the step a breakpoint hits, says why, and goes on from there', () => {
    const app = createXenScope(idleHost);
    app.open({ ...S1 });
    const trace = app.timeline.getState().world()!.trace;
    const connected = trace.findIndex((e) =>
      e.effects.some((f) => f.k === 'transition' && f.device.includes('|device/vbd') && f.to === 'Connected'),
    );
    const parsed = parseBreakpoint('blkfront: Connected');
    if (!parsed.ok) throw new Error(parsed.error);
    app.view.getState().addBreakpoint('blkfront: Connected', parsed.condition);
    app.setSpeed(64);
    app.play();
    while (app.tick(100));
    expect(app.timeline.getState().cursor).toBe(connected + 1);
    expect(app.view.getState().breakHit).toMatchObject({ seq: connected, text: 'blkfront: Connected' });
    // play on: no later Connected in S1, so it runs to the end
    app.play();
    expect(app.view.getState().breakHit).toBeNull();
    while (app.tick(100));
    expect(app.timeline.getState().cursor).toBe(app.timeline.getState().length);
  });
});

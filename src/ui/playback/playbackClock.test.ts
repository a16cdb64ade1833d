import { describe, expect, it } from 'vitest';
import {
  INITIAL_CLOCK,
  MAX_FRAME_GAP_MS,
  SPEEDS,
  STEPS_PER_SECOND,
  advanceClock,
  changeSpeed,
  seekClock,
  shownStep,
} from './playbackClock';

describe('playback clock', () => {
  it('moves speed · STEPS_PER_SECOND steps per second of wall time while playing', () => {
    let c = { ...INITIAL_CLOCK, playing: true, speed: 2 };
    for (let i = 0; i < 10; i++) c = advanceClock(c, 50, 1000);
    // 0.5 s at 2x
    expect(c.position).toBeCloseTo(STEPS_PER_SECOND);
    expect(shownStep(advanceClock(c, 10, 1000))).toBe(STEPS_PER_SECOND);
  });

  it('stands still while paused', () => {
    expect(advanceClock(INITIAL_CLOCK, 50, 1000)).toBe(INITIAL_CLOCK);
  });

  it('counts a long gap (hidden tab) as at most MAX_FRAME_GAP_MS', () => {
    const c = advanceClock({ ...INITIAL_CLOCK, playing: true, speed: 64 }, 60_000, 100_000);
    expect(c.position).toBeCloseTo((MAX_FRAME_GAP_MS / 1000) * STEPS_PER_SECOND * 64);
  });

  it('stops at the end of the trace', () => {
    const c = advanceClock({ position: 9.9, playing: true, speed: 64 }, 100, 10);
    expect(c).toEqual({ position: 10, playing: false, speed: 64 });
  });

  it('seeks to a whole step inside the trace, and steps through the speeds', () => {
    expect(seekClock({ ...INITIAL_CLOCK, position: 3.7 }, 12.5, 10).position).toBe(10);
    expect(seekClock(INITIAL_CLOCK, -4, 10).position).toBe(0);
    let c = { ...INITIAL_CLOCK, speed: 1 };
    for (let i = 0; i < 20; i++) c = changeSpeed(c, 1);
    expect(c.speed).toBe(64);
    for (let i = 0; i < 20; i++) c = changeSpeed(c, -1);
    expect(c.speed).toBe(SPEEDS[0]);
  });
});

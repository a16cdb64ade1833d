/**
 * Playback time: how the one frame loop turns wall-clock time into a position on the timeline.
 * Pure: the frame loop passes the milliseconds since its last frame; nothing here reads a clock.
 *
 * The position is fractional: step ⌊position⌋ is the one shown, and the fraction is how far the
 * animations leading to the next step have gone (a watch event in flight, a ring slot filling), so
 * pausing, scrubbing and speed changes need no extra state. Playback runs in steps, not model
 * milliseconds: most of a handshake happens at the same model time, and every step deserves a look.
 */

/** Speed factors offered, slowest first. */
export const SPEEDS: readonly number[] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];

/** Steps shown per second at 1x. */
export const STEPS_PER_SECOND = 4;

/** A longer gap between frames (a hidden tab, a breakpoint) counts as this much. */
export const MAX_FRAME_GAP_MS = 100;

export interface PlaybackClock {
  /** fractional timeline position, 0 … end */
  position: number;
  playing: boolean;
  /** one of SPEEDS */
  speed: number;
}

export const INITIAL_CLOCK: PlaybackClock = { position: 0, playing: false, speed: 1 };

/** After `wallMs` of wall time: moved on by speed · STEPS_PER_SECOND per second; stops at `end`. */
export function advanceClock(clock: PlaybackClock, wallMs: number, end: number): PlaybackClock {
  if (!clock.playing) return clock;
  const ms = Math.min(Math.max(0, wallMs), MAX_FRAME_GAP_MS);
  const position = clock.position + (ms / 1000) * STEPS_PER_SECOND * clock.speed;
  if (position >= end) return { ...clock, position: end, playing: false };
  return { ...clock, position };
}

/** The step shown at this position. */
export function shownStep(clock: PlaybackClock): number {
  return Math.floor(clock.position);
}

/** Jumps to step `n` (clamped to 0 … end), at its start. */
export function seekClock(clock: PlaybackClock, n: number, end: number): PlaybackClock {
  return { ...clock, position: Math.min(Math.max(0, Math.floor(n)), end) };
}

/** The next speed up (`+1`) or down (`−1`) in SPEEDS, staying at the ends. */
export function changeSpeed(clock: PlaybackClock, direction: 1 | -1): PlaybackClock {
  const i = SPEEDS.indexOf(clock.speed);
  const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? 2 : i) + direction))] as number;
  return { ...clock, speed: next };
}

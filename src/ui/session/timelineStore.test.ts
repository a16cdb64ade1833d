import { describe, expect, it } from 'vitest';
import { worldFingerprint } from '../../sim/world/fingerprint';
import { createTimelineStore } from './timelineStore';

describe('timeline store', () => {
  it('opens a scenario at step 0 with its whole trace, and steps both ways', () => {
    const store = createTimelineStore();
    store.getState().open({ scenario: 'S1', profile: 'linux-modern', seed: 1 });
    const s = store.getState();
    expect(s.error).toBeNull();
    expect(s.length).toBeGreaterThan(50);
    expect(s.cursor).toBe(0);
    expect(store.getState().world()!.seq).toBe(0);
    s.stepForward();
    s.stepForward();
    expect(store.getState().cursor).toBe(2);
    expect(store.getState().world()!.seq).toBe(2);
    const atTwo = worldFingerprint(store.getState().world()!);
    s.seek(40);
    s.seek(2);
    // stepping back returns the exact earlier state
    expect(worldFingerprint(store.getState().world()!)).toBe(atTwo);
    s.stepBack();
    expect(store.getState().cursor).toBe(1);
  });

  it('keeps the cursor inside the trace and moves the revision only on a change', () => {
    const store = createTimelineStore();
    store.getState().open({ scenario: 'S1', profile: 'linux-modern', seed: 1 });
    const { length, revision } = store.getState();
    store.getState().stepBack();
    expect(store.getState()).toMatchObject({ cursor: 0, revision });
    store.getState().seek(length + 100);
    expect(store.getState().cursor).toBe(length);
    expect(store.getState().revision).toBe(revision + 1);
  });

  it('a failed open says why and keeps the open scenario', () => {
    const store = createTimelineStore();
    store.getState().open({ scenario: 'S1', profile: 'linux-modern', seed: 1 });
    const before = store.getState().world();
    store.getState().open({ scenario: 'S99', profile: 'linux-modern', seed: 1 });
    expect(store.getState().error).toMatch(/S99/);
    expect(store.getState().request?.scenario).toBe('S1');
    expect(store.getState().world()).toBe(before);
  });
});

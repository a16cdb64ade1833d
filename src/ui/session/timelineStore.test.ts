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

  it('an action given at the cursor replaces the future; at the end of the trace it is the next step', () => {
    const store = createTimelineStore();
    store.getState().open({ scenario: 'S1', profile: 'linux-modern', seed: 1 });
    const { length } = store.getState();
    store.getState().seek(length);
    store.getState().act({ type: 'detach-disk', domid: 1 });
    const after = store.getState();
    expect(after.cursor).toBe(length);
    expect(after.length).toBeGreaterThan(length + 10);
    const world = after.world()!;
    expect(world.trace[length]?.summary).toMatch(/detach-disk/);
    expect(world.seq).toBe(length);
    // given in the middle, it joins what was already queued there; the steps after are a new future
    store.getState().seek(5);
    store.getState().act({ type: 'attach-nic', domid: 1 });
    const future = store.getState().world()!.trace.slice(5);
    expect(future.some((e) => e.kind === 'user' && /attach-nic/.test(e.summary))).toBe(true);
    expect(
      store
        .getState()
        .world()!
        .trace.some((e) => /detach-disk/.test(e.summary)),
    ).toBe(false);
  });

  it('under the manual policy a pick runs that delivery next and the world settles after it', () => {
    const store = createTimelineStore();
    store.getState().open({ scenario: 'S1', profile: 'linux-modern', seed: 1, policy: 'manual' });
    const world = store.getState().world()!;
    expect(world.config.policy).toBe('manual');
    // a position where more than one delivery could run next
    let at = world.trace.findIndex((e) => e.summary.startsWith('user: attach-disk'));
    for (; at < world.trace.length; at++) {
      store.getState().seek(at);
      if (world.enabled().length > 1) break;
    }
    const choices = world.enabled();
    expect(choices.length).toBeGreaterThan(1);
    const last = choices.at(-1)!;
    store.getState().pick(last.id);
    expect(store.getState().cursor).toBe(at + 1);
    // the picked delivery was the step run (recorded as the pick at that position)
    expect(world.picks.get(at)).toBe(last.id);
    expect(store.getState().length).toBeGreaterThan(at + 1);
  });

  it('a pick is refused quietly under any other policy', () => {
    const store = createTimelineStore();
    store.getState().open({ scenario: 'S1', profile: 'linux-modern', seed: 1 });
    const { length, revision } = store.getState();
    store.getState().pick(1);
    expect(store.getState()).toMatchObject({ length, revision, cursor: 0 });
  });
});

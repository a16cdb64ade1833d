/**
 * One XenScope page: the timeline (what is open, where the cursor is), the view state, the frame
 * loop that plays the timeline, and the operations the commands perform. Everything the UI changes
 * goes through here, so buttons, shortcuts and the test API behave the same.
 */
import type { UserAction } from '../../sim/world/types';
import { firstHit } from '../model/breakpoints';
import { createFrameLoop, type FrameHost } from '../playback/frameLoop';
import { advanceClock, changeSpeed, seekClock, shownStep, SPEEDS } from '../playback/playbackClock';
import type { FixtureRequest } from '../session/fixtureUrl';
import { createTimelineStore } from '../session/timelineStore';
import { TraceIndexes } from './traceIndexes';
import { createViewStore } from './viewStore';

export type TimelineStore = ReturnType<typeof createTimelineStore>;

export interface XenScope {
  timeline: TimelineStore;
  view: ReturnType<typeof createViewStore>;
  open: (request: FixtureRequest) => void;
  /** moves the cursor (and the clock) to step `n`; pauses nothing */
  seek: (n: number) => void;
  stepForward: () => void;
  stepBack: () => void;
  play: () => void;
  /** plays on from the cursor and stops on step `n` (a tour's Continue); at or past it, seeks there */
  playTo: (n: number) => void;
  pause: () => void;
  togglePlay: () => void;
  setSpeed: (speed: number) => void;
  faster: () => void;
  slower: () => void;
  act: (action: UserAction) => void;
  /** manual policy: runs pending delivery `id` next (see the timeline store's pick) */
  pick: (id: number) => void;
  /** the open trace's indexes (node history, transactions, watch queues), rebuilt when it changes */
  traceIndexes: () => TraceIndexes;
  /**
   * Runs `write` at the start of the next frame while playing (before that frame changes the page,
   * so a scroll position set then costs no layout of its own), or at once when paused.
   */
  atFrameStart: (write: () => void) => void;
  /** the frame loop's tick, exposed for the test API and tests (advances by `wallMs`) */
  tick: (wallMs: number) => boolean;
  dispose: () => void;
}

export function createXenScope(host?: FrameHost): XenScope {
  const timeline = createTimelineStore();
  const view = createViewStore();

  /** Shows the clock's step on the timeline. */
  const follow = () => {
    const step = shownStep(view.getState().clock);
    if (step !== timeline.getState().cursor) timeline.getState().seek(step);
  };
  let frameStart: Array<() => void> = [];
  /** where playTo stops playback, if it is playing towards one */
  let playUntil: number | null = null;
  const tick = (wallMs: number): boolean => {
    const writes = frameStart;
    frameStart = [];
    for (const w of writes) w();
    const { clock, breakpoints } = view.getState();
    let next = advanceClock(clock, wallMs, timeline.getState().length);
    // a breakpoint between the step shown and the one the clock reached stops playback on it
    const from = timeline.getState().cursor;
    const to = shownStep(next);
    const world = timeline.getState().world();
    if (to > from) {
      const hit = world === null ? null : firstHit(breakpoints, world.trace, from, to);
      if (hit !== null) {
        next = { ...next, position: hit.seq + 1, playing: false };
        view.getState().setBreakHit({ seq: hit.seq, text: hit.breakpoint.text, reason: hit.reason });
      }
    }
    if (playUntil !== null && next.playing && next.position >= playUntil)
      next = { ...next, position: playUntil, playing: false };
    if (!next.playing) playUntil = null;
    if (next !== clock) view.getState().setClock(next);
    follow();
    return next.playing;
  };
  const loop = createFrameLoop(tick, host);
  let indexes: { version: number; value: TraceIndexes } | null = null;

  const seek = (n: number) => {
    view.getState().setClock(seekClock(view.getState().clock, n, timeline.getState().length));
    follow();
  };
  const pause = () => {
    playUntil = null;
    loop.stop();
    const { clock } = view.getState();
    if (clock.playing) view.getState().setClock({ ...clock, playing: false });
  };
  const play = () => {
    playUntil = null;
    view.getState().setBreakHit(null);
    const { clock } = view.getState();
    const end = timeline.getState().length;
    // at the end, play starts over
    const position = clock.position >= end ? 0 : clock.position;
    view.getState().setClock({ ...clock, position, playing: true });
    follow();
    loop.start();
  };

  return {
    timeline,
    view,
    open(request) {
      pause();
      timeline.getState().open(request);
      if (timeline.getState().request === request) {
        view.getState().selectDevice(null);
        view.getState().selectNode(null);
        view.getState().selectSlot(null);
        view.getState().setMapZoom(null);
        seek(0);
      }
    },
    seek,
    stepForward: () => seek(timeline.getState().cursor + 1),
    stepBack: () => seek(timeline.getState().cursor - 1),
    play,
    playTo(n) {
      const target = Math.min(Math.max(0, Math.floor(n)), timeline.getState().length);
      if (target <= view.getState().clock.position) {
        pause();
        seek(target);
        return;
      }
      view.getState().setBreakHit(null);
      playUntil = target;
      view.getState().setClock({ ...view.getState().clock, playing: true });
      loop.start();
    },
    pause,
    togglePlay: () => (view.getState().clock.playing ? pause() : play()),
    setSpeed(speed) {
      if (!SPEEDS.includes(speed)) throw new RangeError(`speed must be one of ${SPEEDS.join(', ')}`);
      view.getState().setClock({ ...view.getState().clock, speed });
    },
    faster: () => view.getState().setClock(changeSpeed(view.getState().clock, 1)),
    slower: () => view.getState().setClock(changeSpeed(view.getState().clock, -1)),
    act(action) {
      pause();
      timeline.getState().act(action);
    },
    pick(id) {
      pause();
      timeline.getState().pick(id);
      view
        .getState()
        .setClock(seekClock(view.getState().clock, timeline.getState().cursor, timeline.getState().length));
    },
    atFrameStart(write) {
      if (loop.running) frameStart.push(write);
      else write();
    },
    traceIndexes() {
      const { traceVersion, world } = timeline.getState();
      if (indexes === null || indexes.version !== traceVersion)
        indexes = { version: traceVersion, value: new TraceIndexes(world()?.trace ?? []) };
      return indexes.value;
    },
    tick,
    dispose: () => loop.stop(),
  };
}

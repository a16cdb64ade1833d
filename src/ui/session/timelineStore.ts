/**
 * The open scenario and the cursor on its timeline. The world itself (trace, checkpoints, state)
 * is not store state: `world()` hands it out, and the state keeps only what names it and where the
 * cursor is (CONVENTIONS.md 10); `revision` moves whenever the world's position changes, so panels
 * know to read it again.
 */
import { createStore } from 'zustand/vanilla';
import { findPlayable } from '../../sim/scenarios/demos';
import type { Scenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import type { UserAction } from '../../sim/world/types';
import type { World } from '../../sim/world/world';
import type { FixtureRequest } from './fixtureUrl';

export interface TimelineState {
  /** what is open, or null before anything is */
  request: FixtureRequest | null;
  /** why the last open failed (the open scenario, if any, stays) */
  error: string | null;
  /** steps in the trace */
  length: number;
  /** the position shown: steps run so far, 0 … length */
  cursor: number;
  /** moves on every change of the world's position or content */
  revision: number;
  /** moves whenever the trace itself changes (an open, an action): indexes of it are rebuilt then */
  traceVersion: number;
  /** the user changed the run (an action, a fault, a pick) since it was opened as the catalogue plays it */
  edited: boolean;
  /** the world behind the timeline, at `cursor`; null before a scenario is open */
  world: () => World | null;
  open: (request: FixtureRequest) => void;
  /**
   * Shows a world built elsewhere (an imported or linked session, already replayed) as `request`,
   * the cursor at `cursor`; `edited` says whether it differs from the catalogue's run.
   */
  load: (world: World, request: FixtureRequest, cursor: number, edited: boolean) => void;
  /** reports a failure elsewhere (an import, a link) the way the timeline's own are shown */
  setError: (error: string | null) => void;
  seek: (n: number) => void;
  stepForward: () => void;
  stepBack: () => void;
  /**
   * Gives a user action at the cursor: the future after it is dropped, the action is queued with
   * what is pending there (at a settled world it is the next step), the world runs until it settles
   * (at most MAX_STEPS_PER_ACTION steps), and the cursor stays where it was.
   */
  act: (action: UserAction) => void;
  /**
   * Manual policy: runs pending delivery `id` as the step at the cursor (a different pick than the
   * recorded one starts a new future), lets the world settle with the oldest delivery first each
   * time, and moves the cursor past the picked step.
   */
  pick: (id: number) => void;
}

/** The world of a scenario as the catalogue plays it, under the request's profile, seed and policy. */
export function runRequest(scenario: Scenario, request: FixtureRequest): World {
  return runScenario(scenario, {
    profile: request.profile,
    seed: request.seed,
    ...(request.policy === undefined ? {} : { policy: request.policy }),
  });
}

/** A bound on the steps one action may add (a runaway would otherwise freeze the page). */
export const MAX_STEPS_PER_ACTION = 200_000;

export function createTimelineStore() {
  return createStore<TimelineState>()((set, get) => {
    let world: World | null = null;
    /**
     * Changes the trace at the cursor (`change`), lets the world settle and puts the cursor at
     * `cursor`; on an error nothing is published but the message, prefixed with `what`.
     */
    const changeTrace = (what: string, cursor: number, change: () => void) => {
      if (world === null) return;
      try {
        change();
        world.run(MAX_STEPS_PER_ACTION);
        world.seek(cursor);
      } catch (e) {
        set({ error: `${what}: ${(e as Error).message}` });
        return;
      }
      set({
        error: null,
        edited: true,
        length: world.trace.length,
        cursor,
        revision: get().revision + 1,
        traceVersion: get().traceVersion + 1,
      });
    };
    const moveTo = (n: number) => {
      if (world === null) return;
      const target = Math.min(Math.max(0, Math.floor(n)), world.trace.length);
      if (target === world.seq) return;
      world.seek(target);
      set({ cursor: target, revision: get().revision + 1 });
    };
    return {
      request: null,
      error: null,
      length: 0,
      cursor: 0,
      revision: 0,
      traceVersion: 0,
      edited: false,
      world: () => world,
      open: (request) => {
        const scenario = findPlayable(request.scenario);
        if (scenario === undefined) {
          set({ error: `scenario: no scenario "${request.scenario}"` });
          return;
        }
        let opened: World;
        try {
          opened = runRequest(scenario, request);
        } catch (e) {
          set({ error: `${request.scenario} under ${request.profile}: ${(e as Error).message}` });
          return;
        }
        opened.seek(0);
        world = opened;
        set({
          request,
          error: null,
          edited: false,
          length: opened.trace.length,
          cursor: 0,
          revision: get().revision + 1,
          traceVersion: get().traceVersion + 1,
        });
      },
      load: (loaded, request, cursor, edited) => {
        const at = Math.min(Math.max(0, Math.floor(cursor)), loaded.trace.length);
        loaded.seek(at);
        world = loaded;
        set({
          request,
          error: null,
          edited,
          length: loaded.trace.length,
          cursor: at,
          revision: get().revision + 1,
          traceVersion: get().traceVersion + 1,
        });
      },
      setError: (error) => set({ error }),
      seek: moveTo,
      stepForward: () => moveTo(get().cursor + 1),
      stepBack: () => moveTo(get().cursor - 1),
      pick: (id) => {
        if (world === null || world.config.policy !== 'manual') return;
        const w = world;
        const at = get().cursor;
        changeTrace('pick', at + 1, () => {
          w.seek(at);
          w.step(id);
        });
      },
      act: (action) => {
        if (world === null) return;
        const w = world;
        changeTrace(action.type, get().cursor, () => w.act(action));
      },
    };
  });
}

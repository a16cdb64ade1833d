/**
 * `window.__xenscope`, the end-to-end tests' handle on the page (dev and test builds only; the
 * production bundle leaves this module out): the tests step and seek through it and read the
 * state instead of waiting for time to pass.
 */
import type { TraceEffect } from '../../sim/world/trace';
import type { UserAction } from '../../sim/world/types';
import { COMMANDS } from '../commands/commands';
import { performCommand } from '../commands/registry';
import { currentShareState } from '../share/sessionOps';
import { openFileText, openLink, shareLink } from '../share/shareActions';
import type { ShareState } from '../share/shareState';
import type { XenScope } from './xenscope';

export interface XenScopeTestApi {
  /** runs `n` steps forward (negative: back) from the cursor */
  step: (n?: number) => number;
  seek: (n: number) => number;
  state: () => {
    scenario: string | null;
    profile: string | null;
    seed: number | null;
    cursor: number;
    length: number;
    playing: boolean;
    speed: number;
    error: string | null;
    /** device key → XenbusState at the cursor */
    devices: Record<string, string>;
  };
  /** the summary of each step, in order */
  summaries: () => string[];
  /** runs a command by name, as a button or a key would */
  perform: (name: string, arg?: unknown) => void;
  commands: () => Array<{ name: string; enabled: boolean }>;
  /** the trace effects of step `seq` (plain data) */
  effects: (seq: number) => TraceEffect[];
  /** gives a user action at the cursor, as the action menus do */
  act: (action: UserAction) => void;
  /** advances the playing clock by `ms` of wall time, as frames would */
  advance: (ms: number) => number;
  /** selects a store node, a device pair and a ring slot, as clicks on them do (null clears) */
  select: (what: {
    node?: string | null;
    device?: string | null;
    slot?: { ring: string; index: number } | null;
  }) => void;
  /** what a link or a save carries now: the session and its view */
  shareState: () => ShareState | null;
  /** the trace as JSON text (to compare two pages' traces) */
  traceJson: () => string;
  /** the link of what is shown */
  link: () => string | null;
  /** opens a pasted link, as the Session menu does; false when it was refused */
  openLink: (text: string) => boolean;
  /** imports a file's text, as the Session menu does; false when it was refused */
  importText: (name: string, text: string) => boolean;
}

export function installTestApi(app: XenScope): void {
  const api: XenScopeTestApi = {
    step: (n = 1) => {
      app.seek(app.timeline.getState().cursor + n);
      return app.timeline.getState().cursor;
    },
    seek: (n) => {
      app.seek(n);
      return app.timeline.getState().cursor;
    },
    state: () => {
      const t = app.timeline.getState();
      const v = app.view.getState();
      const world = t.world();
      const devices: Record<string, string> = {};
      if (world !== null) for (const key of world.devices.keys()) devices[key] = world.deviceState(key);
      return {
        scenario: t.request?.scenario ?? null,
        profile: t.request?.profile ?? null,
        seed: t.request?.seed ?? null,
        cursor: t.cursor,
        length: t.length,
        playing: v.clock.playing,
        speed: v.clock.speed,
        error: t.error,
        devices,
      };
    },
    summaries: () =>
      app.timeline
        .getState()
        .world()
        ?.trace.map((e) => e.summary) ?? [],
    perform: (name, arg) => performCommand(COMMANDS, app, name, arg),
    commands: () =>
      COMMANDS.map((c) => ({ name: c.name, enabled: c.enabled === undefined || c.enabled(app) })),
    effects: (seq) => app.timeline.getState().world()?.trace[seq]?.effects ?? [],
    act: (action) => app.act(action),
    advance: (ms) => {
      app.tick(ms);
      return app.timeline.getState().cursor;
    },
    select: (what) => {
      const v = app.view.getState();
      if (what.node !== undefined) v.selectNode(what.node);
      if (what.device !== undefined) v.selectDevice(what.device);
      if (what.slot !== undefined) v.selectSlot(what.slot);
    },
    shareState: () => currentShareState(app),
    traceJson: () => JSON.stringify(app.timeline.getState().world()?.trace ?? []),
    link: () => shareLink(app),
    openLink: (text) => openLink(app, text),
    importText: (name, text) => openFileText(app, name, text),
  };
  (window as unknown as { __xenscope: XenScopeTestApi }).__xenscope = api;
}

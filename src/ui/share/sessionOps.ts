/**
 * Moving a whole session in and out of the page: the share state of what is shown now, and opening
 * one (from a link, a save or a file). Opening builds and checks everything first and only then
 * replaces what is shown, so a bad link or file leaves the current session exactly as it was.
 */
import { findPlayable } from '../../sim/scenarios/demos';
import { exportSession, loadSession, type Imported, type SessionFile } from '../../sim/session/session';
import type { World } from '../../sim/world/world';
import type { XenScope } from '../app/xenscope';
import { parseBreakpoint } from '../model/breakpoints';
import type { FixtureRequest } from '../session/fixtureUrl';
import { runRequest } from '../session/timelineStore';
import { DEFAULT_VIEW, type ShareState, type ShareView } from './shareState';

/** What is shown now as a share state, or null before anything is open. */
export function currentShareState(app: XenScope): ShareState | null {
  const t = app.timeline.getState();
  const world = t.world();
  if (world === null || t.request === null) return null;
  const v = app.view.getState();
  return {
    session: exportSession(world, t.request.scenario),
    view: {
      step: t.cursor,
      node: v.node,
      device: v.device,
      slot: v.slot,
      target: v.targetDomid,
      tab: v.inspectorTab,
      maximized: v.maximized,
      collapsed: [...v.collapsed].sort(),
      zoom: v.mapZoom,
      compare: v.compareWith,
      breakpoints: v.breakpoints.map((b) => ({ text: b.text, enabled: b.enabled })),
      tour: v.authored,
    },
  };
}

/** The request a session is shown as in the scenario picker. */
function requestOf(session: SessionFile): FixtureRequest {
  const scenario = findPlayable(session.scenario ?? '');
  const manual = session.policy === 'manual' && scenario?.policy !== 'manual';
  return {
    scenario: session.scenario ?? '',
    profile: session.profile,
    seed: session.seed,
    ...(manual ? { policy: 'manual' as const } : {}),
  };
}

/** Puts a view on the page (after its world is shown): selection, layout, breakpoints, tour, cursor. */
function applyView(app: XenScope, view: ShareView): void {
  const v = app.view.getState();
  v.selectNode(view.node);
  v.selectDevice(view.device);
  v.selectSlot(view.slot);
  v.setTargetDomid(view.target);
  v.setInspectorTab(view.tab);
  v.setMaximized(view.maximized);
  v.setCollapsed(new Set(view.collapsed));
  v.setMapZoom(view.zoom);
  v.setCompareWith(view.compare);
  v.setBreakpoints(
    view.breakpoints.flatMap((b, i) => {
      const parsed = parseBreakpoint(b.text);
      return parsed.ok ? [{ id: i + 1, text: b.text, condition: parsed.condition, enabled: b.enabled }] : [];
    }),
  );
  v.setBreakHit(null);
  v.setAuthored(view.tour);
  v.setPlaying(null);
  v.setWhy(null);
  app.seek(view.step);
}

function show(app: XenScope, world: World, request: FixtureRequest, view: ShareView, edited: boolean) {
  app.pause();
  app.timeline.getState().load(world, request, view.step, edited);
  applyView(app, view);
}

/** Whether a session is a catalogue scenario's own run (no action, fault or pick of the user's). */
export function isCatalogueRun(session: SessionFile): boolean {
  const request = requestOf(session);
  const scenario = findPlayable(request.scenario);
  // a scenario's run gives each entry of its script once: more actions, and the user gave some
  if (scenario === undefined || session.actions.length > scenario.script.length) return false;
  return (
    JSON.stringify(exportSession(runRequest(scenario, request), request.scenario)) === JSON.stringify(session)
  );
}

/**
 * Opens a share state: replays its session in a new world, and shows it with its view. Returns an
 * error (and changes nothing) when the session does not replay.
 */
export function openShareState(app: XenScope, state: ShareState, replayed?: World): string | null {
  const loaded: Imported<World> =
    replayed === undefined ? loadSession(state.session) : { ok: true, value: replayed };
  if (!loaded.ok) return `session.${loaded.error}`;
  const request = requestOf(state.session);
  // a session that is the catalogue's own run keeps the readable address
  show(app, loaded.value, request, state.view, !isCatalogueRun(state.session));
  return null;
}

/**
 * Opens a catalogue scenario as the catalogue plays it, with the view fields given (a readable
 * link). The step is checked against the trace before anything is shown.
 */
export function openFixture(app: XenScope, request: FixtureRequest, view: Partial<ShareView>): string | null {
  const scenario = findPlayable(request.scenario);
  if (scenario === undefined) return `scenario: no scenario "${request.scenario}"`;
  let world: World;
  try {
    world = runRequest(scenario, request);
  } catch (e) {
    return `${request.scenario} under ${request.profile}: ${(e as Error).message}`;
  }
  const full = { ...DEFAULT_VIEW, ...view };
  if (full.step > world.trace.length)
    return `step: ${request.scenario} under ${request.profile} has ${world.trace.length} steps, not ${full.step}`;
  show(app, world, request, full, false);
  return null;
}

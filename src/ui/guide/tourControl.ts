/**
 * Playing a tour on the page: its introduction, then stop by stop. Continue plays the timeline on
 * to the next stop and stops there (the gate); Back jumps to the previous one. Arriving at a stop
 * selects what it highlights. A predict stop holds Continue until the learner answered; the answer
 * is scored (kept in this browser) and the timeline plays on to the step that reveals it.
 */
import { lintTrace } from '../../sim/lint/lint';
import type { ProfileId } from '../../sim/profiles';
import type { XenScope } from '../app/xenscope';
import { builtinTour } from '../tour/builtinTour';
import { pairNodeOf } from '../tour/devices';
import { interestingSteps, nextInteresting, prevInteresting } from '../tour/interesting';
import { predictQuestion, scoreAnswer, TOUR_MACHINES, type PredictQuestion } from '../tour/predict';
import type { Tour, TourStop } from '../tour/types';
import { recordAnswer, scoreKey } from './scores';

let cached: { version: number; scenario: string; tour: Tour } | null = null;

/** The open scenario's built-in tour (built once per trace). */
export function builtinTourOf(app: XenScope): Tour | null {
  const t = app.timeline.getState();
  const world = t.world();
  if (world === null || t.request === null) return null;
  if (cached === null || cached.version !== t.traceVersion || cached.scenario !== t.request.scenario) {
    const findings = app.traceIndexes().derived(lintTrace);
    cached = {
      version: t.traceVersion,
      scenario: t.request.scenario,
      tour: builtinTour(t.request.scenario, world.trace, { profile: t.request.profile, findings }),
    };
  }
  return cached.tour;
}

/** Selects what a stop points at (a device as its pair, a store node, a ring slot). */
function highlight(app: XenScope, stop: TourStop): void {
  const h = stop.highlight;
  if (h === undefined) return;
  const v = app.view.getState();
  // a built-in tour names a device end by its key, an authored one the pair as the view selects it
  if (h.device !== undefined)
    v.selectDevice(h.device.startsWith('/') ? h.device : (pairNodeOf(h.device) ?? v.device));
  if (h.node !== undefined) v.selectNode(h.node);
  if (h.slot !== undefined) v.selectSlot(h.slot);
}

export function startTour(app: XenScope, tour: Tour, kind: 'builtin' | 'authored'): void {
  app.pause();
  app.view.getState().setAuthoring(false);
  app.view.getState().setPlaying({ tour, stop: -1, kind, answers: {} });
}

export function exitTour(app: XenScope): void {
  app.view.getState().setPlaying(null);
}

/** Shows stop `index` (−1: the introduction); `animate` plays the timeline there instead of jumping. */
function goTo(app: XenScope, index: number, animate: boolean): void {
  const p = app.view.getState().playing;
  if (p === null) return;
  const i = Math.max(-1, Math.min(index, p.tour.stops.length));
  app.view.getState().setPlaying({ ...p, stop: i });
  const stop = p.tour.stops[i];
  if (stop === undefined) return;
  highlight(app, stop);
  if (animate) app.playTo(stop.step);
  else {
    app.pause();
    app.seek(stop.step);
  }
}

const questions = new Map<string, PredictQuestion | null>();

/** The question a stop asks, if it asks one the trace can answer (worked out once per trace). */
export function questionAt(app: XenScope, stop: TourStop | undefined): PredictQuestion | null {
  const t = app.timeline.getState();
  const world = t.world();
  if (stop?.predict === undefined || world === null || t.request === null) return null;
  const key = `${t.traceVersion}:${stop.step}:${stop.predict.device}`;
  if (!questions.has(key)) {
    if (questions.size > 64) questions.clear();
    questions.set(
      key,
      predictQuestion(world.trace, stop.step, stop.predict.device, TOUR_MACHINES, {
        profile: t.request.profile as ProfileId,
      }),
    );
  }
  return questions.get(key) ?? null;
}

/** Whether Continue is held: at a predict stop (arrived, not playing towards it) not answered yet. */
export function continueHeld(app: XenScope): boolean {
  const p = app.view.getState().playing;
  if (p === null || app.view.getState().clock.playing) return false;
  const stop = p.tour.stops[p.stop];
  return stop !== undefined && p.answers[p.stop] === undefined && questionAt(app, stop) !== null;
}

/** Continue: on to the next stop (a held predict stop is revealed unscored, as a presenter skips it). */
export function tourNext(app: XenScope): void {
  const p = app.view.getState().playing;
  if (p === null) return;
  // still playing towards this stop, or on to a reveal: get there at once
  const here = p.tour.stops[p.stop];
  if (here !== undefined && app.view.getState().clock.playing) {
    const cursor = app.timeline.getState().cursor;
    const reveal = p.answers[p.stop] === undefined ? null : questionAt(app, here);
    app.pause();
    if (cursor < here.step) app.seek(here.step);
    else if (reveal !== null) app.seek(reveal.answerStep + 1);
    return;
  }
  if (continueHeld(app)) {
    const q = questionAt(app, here);
    if (q !== null) {
      app.view
        .getState()
        .setPlaying({ ...p, answers: { ...p.answers, [p.stop]: { choice: null, correct: false } } });
      app.playTo(q.answerStep + 1);
    }
    return;
  }
  if (p.stop >= p.tour.stops.length - 1) {
    app.view.getState().setPlaying({ ...p, stop: p.tour.stops.length });
    return;
  }
  goTo(app, p.stop + 1, true);
}

export function tourBack(app: XenScope): void {
  const p = app.view.getState().playing;
  if (p === null || p.stop < 0) return;
  goTo(app, Math.min(p.stop, p.tour.stops.length) - 1, false);
}

/** The learner's answer at the current predict stop: scored once, then revealed by playing on. */
export function answer(app: XenScope, choice: string): void {
  const p = app.view.getState().playing;
  const t = app.timeline.getState();
  if (p === null || t.request === null || p.answers[p.stop] !== undefined) return;
  const q = questionAt(app, p.tour.stops[p.stop]);
  if (q === null) return;
  const s = scoreAnswer(q, choice);
  recordAnswer(window.localStorage, scoreKey(t.request.scenario, t.request.profile), s.correct);
  app.view
    .getState()
    .setPlaying({ ...p, answers: { ...p.answers, [p.stop]: { choice, correct: s.correct } } });
  app.playTo(s.revealAt);
}

/** The next (or previous) interesting step from the cursor, outside a tour. */
export function seekInteresting(app: XenScope, direction: 1 | -1): void {
  const world = app.timeline.getState().world();
  if (world === null) return;
  const steps = app.traceIndexes().derived(interestingSteps);
  const cursor = app.timeline.getState().cursor;
  const to =
    direction > 0 ? nextInteresting(world.trace, cursor, steps) : prevInteresting(world.trace, cursor, steps);
  if (to !== null) {
    app.pause();
    app.seek(to);
  }
}

/** PageDown / PageUp of a presenter's clicker: the tour's gates while one plays, else interesting steps. */
export function presenterNext(app: XenScope): void {
  if (app.view.getState().playing !== null) tourNext(app);
  else seekInteresting(app, 1);
}

export function presenterBack(app: XenScope): void {
  if (app.view.getState().playing !== null) tourBack(app);
  else seekInteresting(app, -1);
}

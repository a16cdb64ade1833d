import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLAYABLE } from '../../sim/scenarios/demos';
import type { TraceEntry } from '../../sim/world/trace';
import { machineGraph } from '../layout/machineGraph';
import { builtinTour } from './builtinTour';
import { machineNameOf } from './devices';
import { predictQuestion, TOUR_MACHINES } from './predict';
import { citationProblems, isSpecSource } from './specSources';
import { traceOf } from './tourTraces.test-support';
import type { Tour } from './types';

const SPEC_DIR = new URL('../../../../shared/spec/', import.meta.url);
const HAVE_SPEC = existsSync(SPEC_DIR);
const specTexts = new Map<string, string | null>();
const readSpec = (file: string) => {
  if (!specTexts.has(file)) {
    const url = new URL(file, SPEC_DIR);
    specTexts.set(file, existsSync(url) ? readFileSync(url, 'utf8') : null);
  }
  return specTexts.get(file)!;
};

/** Every playable scenario under every profile it lists, with its trace and tour (built once). */
const CASES = PLAYABLE.flatMap((s) =>
  s.profiles.map((profile) => ({ id: s.id, profile, name: `${s.id} under ${profile}` })),
);
const tours = new Map<string, Tour>();
function tourOf(
  id: string,
  profile: (typeof CASES)[number]['profile'],
): { trace: readonly TraceEntry[]; tour: Tour } {
  const trace = traceOf(id, profile);
  const key = `${id}|${profile}`;
  if (!tours.has(key)) tours.set(key, builtinTour(id, trace, { profile }));
  return { trace, tour: tours.get(key)! };
}

/** The device's state after `cursor` steps, read straight from the trace; and its next transition. */
function stateAt(trace: readonly TraceEntry[], device: string, cursor: number): string {
  let state = device.endsWith('|kexec') ? 'running' : 'Initialising';
  for (const e of trace.slice(0, cursor))
    for (const f of e.effects) {
      if (f.k === 'device' && f.device === device && f.change === 'created') state = 'Initialising';
      if (f.k === 'transition' && f.device === device) state = f.to;
    }
  return state;
}
function nextTransition(trace: readonly TraceEntry[], device: string, cursor: number) {
  for (const e of trace.slice(cursor))
    for (const f of e.effects)
      if (f.k === 'transition' && f.device === device) return { seq: e.seq, to: f.to };
  return null;
}

describe('built-in tours', () => {
  it.each(CASES)(
    '$name: an intro and at least three stops in order, each captioned from the spec',
    ({ id, profile }) => {
      const { trace, tour } = tourOf(id, profile);
      expect(tour.scenario).toBe(id);
      expect(tour.profile).toBe(profile);
      expect(tour.title.length).toBeGreaterThan(0);
      expect(tour.intro.length).toBeGreaterThan(40);
      expect(tour.stops.length).toBeGreaterThanOrEqual(3);
      expect(tour.stops.length).toBeLessThanOrEqual(25);
      const steps = tour.stops.map((s) => s.step);
      for (let i = 0; i < steps.length; i++) {
        expect(steps[i]).toBeGreaterThanOrEqual(1);
        expect(steps[i]).toBeLessThanOrEqual(trace.length);
        if (i > 0) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
      }
      for (const stop of tour.stops) {
        expect(stop.caption.trim().length, `@${stop.step}`).toBeGreaterThan(0);
        expect(isSpecSource(stop.source ?? ''), `@${stop.step} ${stop.source}`).toBe(true);
        if (HAVE_SPEC) expect(citationProblems(stop.source!, readSpec)).toEqual([]);
      }
      if (HAVE_SPEC && tour.introSource !== undefined)
        expect(citationProblems(tour.introSource, readSpec)).toEqual([]);
      // small and JSON-able: it survives a round trip unchanged
      expect(JSON.parse(JSON.stringify(tour))).toEqual(tour);
    },
  );

  it.each(CASES)('$name: highlights name devices and nodes of the trace', ({ id, profile }) => {
    const { trace, tour } = tourOf(id, profile);
    const devices = new Set<string>();
    const nodes = new Set<string>();
    for (const e of trace)
      for (const f of e.effects) {
        if (f.k === 'transition' || f.k === 'device') devices.add(f.device);
        if (f.k === 'node-write' || f.k === 'node-remove') nodes.add(f.path);
      }
    for (const { highlight } of tour.stops) {
      if (highlight?.device !== undefined) expect(devices).toContain(highlight.device);
      if (highlight?.node !== undefined) expect(nodes).toContain(highlight.node);
    }
  });

  it.each(CASES)(
    '$name: predict questions are answerable, with the machine graph as choices',
    ({ id, profile }) => {
      const { trace, tour } = tourOf(id, profile);
      const predicts = tour.stops.filter((s) => s.predict !== undefined);
      expect(predicts.length).toBeLessThanOrEqual(3);
      if (trace.some((e) => e.effects.some((f) => f.k === 'transition')))
        expect(predicts.length).toBeGreaterThanOrEqual(1);
      for (const stop of predicts) {
        const device = stop.predict!.device;
        const q = predictQuestion(trace, stop.step, device, TOUR_MACHINES, { profile })!;
        expect(q, `@${stop.step} ${device}`).not.toBeNull();
        // the state and the next change, read independently from the trace
        const state = stateAt(trace, device, stop.step);
        const next = nextTransition(trace, device, stop.step)!;
        expect(q.state).toBe(state);
        expect(q.answer).toBe(next.to);
        expect(q.answerStep).toBe(next.seq);
        const outEdges = machineGraph(TOUR_MACHINES[machineNameOf(device)!]!)
          .edges.filter((e) => e.from === state)
          .map((e) => e.to);
        expect(q.choices).toEqual(outEdges);
        expect(q.choices.length).toBeGreaterThanOrEqual(2);
        expect(q.choices).toContain(q.answer);
      }
    },
  );

  it('S1 under linux-modern stops on blkfront reaching Connected', () => {
    const { trace, tour } = tourOf('S1', 'linux-modern');
    const fe = 'dom1.K1|device/vbd/51712';
    const connected = trace.find((e) =>
      e.effects.some((f) => f.k === 'transition' && f.device === fe && f.to === 'Connected'),
    )!;
    const stop = tour.stops.find((s) => s.step === connected.seq + 1);
    expect(stop).toBeDefined();
    expect(stop!.highlight).toEqual({ device: fe });
    expect(stop!.caption).toMatch(/Connected/);
    expect(stop!.source).toMatch(/^xenbus\.md §4\.1/);
  });

  it('are the same every time for the same trace', () => {
    const trace = traceOf('S7', 'kexec-patch-2006');
    expect(builtinTour('S7', trace, { profile: 'kexec-patch-2006' })).toEqual(
      tourOf('S7', 'kexec-patch-2006').tour,
    );
  });

  it('keep to the stop limit they are given', () => {
    const trace = traceOf('S9', 'linux-modern');
    const tour = builtinTour('S9', trace, { profile: 'linux-modern', maxStops: 8, maxPredicts: 1 });
    expect(tour.stops.length).toBeLessThanOrEqual(8);
    expect(tour.stops.filter((s) => s.predict).length).toBeLessThanOrEqual(1);
  });
});

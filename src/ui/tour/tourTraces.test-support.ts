/** Traces for the tour tests, each scenario and profile run once per test file. */
import { runScenario } from '../../sim/scenarios/run';
import { findPlayable } from '../../sim/scenarios/demos';
import type { ProfileId } from '../../sim/profiles';
import type { TraceEntry } from '../../sim/world/trace';

const traces = new Map<string, readonly TraceEntry[]>();

export function traceOf(id: string, profile: ProfileId): readonly TraceEntry[] {
  const key = `${id}|${profile}`;
  let trace = traces.get(key);
  if (trace === undefined) {
    const scenario = findPlayable(id);
    if (!scenario) throw new Error(`no scenario ${id}`);
    trace = runScenario(scenario, { profile }).trace;
    traces.set(key, trace);
  }
  return trace;
}

/** A hand-built step: `seq`, an actor, a kind, a summary and effects. */
export function entry(
  seq: number,
  effects: TraceEntry['effects'],
  o: Partial<Pick<TraceEntry, 'actor' | 'kind' | 'summary'>> = {},
): TraceEntry {
  return {
    seq,
    time: 0,
    actor: o.actor ?? 'xenstored',
    kind: o.kind ?? 'xenstored',
    summary: o.summary ?? `step ${seq}`,
    effects,
    code: null,
  };
}

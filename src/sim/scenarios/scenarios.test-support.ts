/** Helpers for the scenario tests: play a scenario, read nodes, pick trace points. */
import { expect } from 'vitest';
import type { ProfileId } from '../profiles';
import type { TraceEntry } from '../world/trace';
import type { World } from '../world/world';
import { findScenario, type Scenario } from './catalogue';
import { runScenario } from './run';

export const FE_VBD = '/local/domain/1/device/vbd/51712';
export const BE_VBD = '/local/domain/0/backend/vbd/1/51712';
export const FE_VIF = '/local/domain/1/device/vif/0';
export const BE_VIF = '/local/domain/0/backend/vif/1/0';

export function scenario(id: string): Scenario {
  const s = findScenario(id);
  if (!s) throw new Error(id);
  return s;
}

export function play(id: string, profile: ProfileId, seed?: number): World {
  const w = runScenario(scenario(id), { profile, seed });
  expect(w.idle).toBe(true);
  return w;
}

export function node(w: World, path: string): string | null {
  const n = w.store.getNode(path);
  return n ? new TextDecoder().decode(n.value) : null;
}

/** The values written to `<dir>/state`, in trace order. */
export function stateWrites(trace: readonly TraceEntry[], dir: string): string[] {
  const out: string[] = [];
  for (const e of trace)
    for (const f of e.effects) if (f.k === 'node-write' && f.path === `${dir}/state`) out.push(f.value);
  return out;
}

export function logs(trace: readonly TraceEntry[]): string[] {
  return trace.flatMap((e) => e.effects.flatMap((f) => (f.k === 'log' ? [f.text] : [])));
}

export function deviceStates(w: World): Record<string, string> {
  return Object.fromEntries([...w.devices.keys()].map((k) => [k, w.deviceState(k)]));
}

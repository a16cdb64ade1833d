/** Playing a scenario headless: build the world, give each scripted action once the world settled. */
import { bytesToString } from '../../xenstore';
import type { ProfileId } from '../profiles';
import type { SchedulingPolicy } from '../scheduler';
import { createWorld } from '../world/createWorld';
import type { World } from '../world/world';
import type { Scenario } from './catalogue';

export interface RunOptions {
  profile: ProfileId;
  /** default: the scenario's, else 1 */
  seed?: number;
  policy?: Exclude<SchedulingPolicy, 'manual'>;
  /** stop once the trace has this many steps */
  until?: number;
  /** options layered over the scenario's own (variants, faults) */
  options?: Readonly<Record<string, string | number | boolean>>;
  /** a safety bound on steps per scripted action */
  maxStepsPerAction?: number;
}

export function runScenario(s: Scenario, o: RunOptions): World {
  const world = createWorld({
    profile: o.profile,
    seed: o.seed ?? s.seed ?? 1,
    policy: o.policy ?? s.policy ?? 'fifo',
    options: { ...s.options, ...o.options },
  });
  const until = o.until ?? Infinity;
  const budget = o.maxStepsPerAction ?? 200_000;
  const settle = () => {
    let n = 0;
    while (world.trace.length < until && n < budget && world.step()) n++;
  };
  const holds = (path: string, value: string): boolean => {
    const n = world.store.getNode(path);
    return n !== undefined && bytesToString(n.value) === value;
  };
  const runUntil = (path: string, value: string) => {
    let n = 0;
    while (world.trace.length < until && n < budget && !holds(path, value) && world.step()) n++;
  };
  settle();
  for (const entry of s.script) {
    if (world.trace.length >= until) break;
    if ('when' in entry) {
      runUntil(entry.when.path, entry.when.value);
      if (!holds(entry.when.path, entry.when.value)) break;
      world.act(entry.action);
    } else {
      settle();
      world.act(entry);
    }
  }
  settle();
  return world;
}

/** Playing a scenario headless: build the world, give each scripted action once the world settled. */
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
  settle();
  for (const action of s.script) {
    if (world.trace.length >= until) break;
    world.act(action);
    settle();
  }
  return world;
}

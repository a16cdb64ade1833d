/**
 * Playing a scenario headless: build the world, give each scripted action once the world settled
 * (or, for a `when` entry, as soon as its condition holds), and under the manual policy pick each
 * next delivery the way the scenario's hold rules say.
 */
import { bytesToString } from '../../xenstore';
import type { ProfileId } from '../profiles';
import type { SchedulingPolicy } from '../scheduler';
import { createWorld } from '../world/createWorld';
import type { Pending } from '../scheduler';
import type { WorldAction } from '../world/types';
import type { World } from '../world/world';
import type { Condition, HoldRule, Scenario } from './catalogue';

export interface RunOptions {
  profile: ProfileId;
  /** default: the scenario's, else 1 */
  seed?: number;
  /** default: the scenario's, else fifo */
  policy?: SchedulingPolicy;
  /** stop once the trace has this many steps */
  until?: number;
  /** options layered over the scenario's own (variants, faults) */
  options?: Readonly<Record<string, string | number | boolean>>;
  /** a safety bound on steps per scripted action */
  maxStepsPerAction?: number;
}

/** The actor a pending delivery belongs to: the client of a connection, a thread's kernel, or the user. */
export function pendingActor(world: World, p: Pending<WorldAction>): string {
  const a = p.action;
  switch (a.t) {
    case 'xs-req':
    case 'xs-rsp':
      return world.connActor.get(a.conn) ?? `conn${a.conn}`;
    case 'xenwatch':
      return a.actor;
    case 'resume':
      return world.routines.get(a.rid)?.actor ?? '';
    case 'user':
      return 'user';
  }
}

/**
 * The manual policy's pick under hold rules: the oldest enabled delivery (by time, then queue
 * order) of an actor not held; a held actor runs only when nothing else can.
 */
function manualPick(world: World, held: ReadonlySet<string>): number | undefined {
  const enabled = world.enabled();
  const older = (a: Pending<WorldAction>, b: Pending<WorldAction>) =>
    a.at < b.at || (a.at === b.at && a.id < b.id);
  let best: Pending<WorldAction> | undefined;
  let fallback: Pending<WorldAction> | undefined;
  for (const p of enabled) {
    if (held.has(pendingActor(world, p))) {
      if (!fallback || older(p, fallback)) fallback = p;
    } else if (!best || older(p, best)) best = p;
  }
  return (best ?? fallback)?.id;
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
  const rules: readonly HoldRule[] = s.hold ?? [];
  const active = new Set<HoldRule>();
  const done = new Set<HoldRule>();
  const held = new Set<string>();
  const step = (): boolean => {
    const choice = world.config.policy === 'manual' ? manualPick(world, held) : undefined;
    const entry = world.step(choice);
    if (!entry) return false;
    for (const r of rules) {
      if (!active.has(r) && !done.has(r) && entry.summary.includes(r.from)) active.add(r);
      else if (active.has(r) && entry.summary.includes(r.until)) {
        active.delete(r);
        done.add(r);
      }
    }
    held.clear();
    for (const r of active) held.add(r.actor);
    return true;
  };
  const holds = (c: Condition): boolean => {
    if ('step' in c) return world.trace.at(-1)?.summary.includes(c.step) ?? false;
    if ('suspendPhase' in c) return world.actors.get(c.actor)?.client.suspend.phase === c.suspendPhase;
    const n = world.store.getNode(c.path);
    return n !== undefined && bytesToString(n.value) === c.value;
  };
  const run = (stop: () => boolean) => {
    let n = 0;
    while (world.trace.length < until && n < budget && !stop() && step()) n++;
  };
  const settled = () => false;
  run(settled);
  for (const entry of s.script) {
    if (world.trace.length >= until) break;
    if ('when' in entry) {
      run(() => holds(entry.when));
      if (!holds(entry.when)) break;
      world.act(entry.action);
    } else {
      run(settled);
      world.act(entry);
    }
  }
  run(settled);
  return world;
}

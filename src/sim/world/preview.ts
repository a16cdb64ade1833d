/**
 * Outcome preview for manual interleaving: run a copy of the world ahead from a choice of the next
 * delivery, off the timeline, to quiescence or a step bound, and say in a few words how the
 * handshake ended ("both Connected", "frontend stuck in Closing", "frontend missed Connected",
 * "ring-3 still mapped: grant leaked"). Pure: the world given is not changed.
 */
import { XsType, splitStrings } from '../../xenstore';
import type { Pending } from '../scheduler';
import { WORLD_DEPS } from './createWorld';
import { requestSummary, TYPE_NAMES } from './summary';
import type { TraceEntry } from './trace';
import type { WorldAction } from './types';
import { describeAction, World } from './world';

/** An independent copy of `world` at its position (its trace starts empty). */
export function forkWorld(world: World): World {
  const fork = new World({ ...world.config, checkpointEvery: Number.MAX_SAFE_INTEGER }, WORLD_DEPS);
  fork.restore(world.snapshot());
  return fork;
}

export interface PairOutcome {
  /** the frontend's node, `/local/domain/1/device/vbd/51712` */
  device: string;
  frontend: string | null;
  backend: string | null;
  /** states the frontend entered during the preview, in order */
  frontendPath: string[];
  backendPath: string[];
}

export interface Outcome {
  /** the words: one per device pair, then leaks; "nothing to run" if nothing was pending */
  label: string;
  pairs: PairOutcome[];
  /** nothing was left to run when it stopped */
  settled: boolean;
  steps: number;
  /** rings still mapped by a backend after their frontend let go */
  leakedRings: string[];
}

/** How the world ends up after `trace` (the preview's steps) ran in it. */
export function describeOutcome(world: World, trace: readonly TraceEntry[], settled: boolean): Outcome {
  const paths = new Map<string, string[]>();
  for (const e of trace)
    for (const f of e.effects)
      if (f.k === 'transition') paths.set(f.device, [...(paths.get(f.device) ?? []), f.to]);
  const pairs = new Map<string, PairOutcome>();
  const pairOf = (device: string) => {
    let p = pairs.get(device);
    if (p === undefined) {
      p = { device, frontend: null, backend: null, frontendPath: [], backendPath: [] };
      pairs.set(device, p);
    }
    return p;
  };
  for (const d of world.devices.values()) {
    const state = world.deviceState(d.key);
    if (d.side === 'backend') {
      const p = pairOf(d.otherend);
      p.backend = state;
      p.backendPath = paths.get(d.key) ?? [];
    } else {
      const actor = world.actors.get(d.actor);
      if (actor === undefined || !actor.alive || actor.frozen) continue;
      const p = pairOf(d.nodename);
      p.frontend = state;
      p.frontendPath = paths.get(d.key) ?? [];
    }
  }
  const leakedRings = [...world.hv.rings.values()]
    .filter((r) => r.back !== null && r.front === null)
    .map((r) => r.id)
    .sort();
  const words: string[] = [];
  for (const p of [...pairs.values()].sort((a, b) => (a.device < b.device ? -1 : 1))) {
    const name = p.device.replace(/^\/local\/domain\/(\d+)\/device\//, 'dom$1 ');
    const missed =
      p.backendPath.includes('Connected') &&
      p.frontend !== null &&
      !p.frontendPath.includes('Connected') &&
      p.frontend !== 'Connected';
    if (p.frontend === 'Connected' && p.backend === 'Connected') words.push(`${name}: both Connected`);
    else if (missed) words.push(`${name}: frontend missed Connected (now ${p.frontend})`);
    else if (settled && p.frontend !== null && p.frontend !== 'Connected' && p.frontend !== 'Closed')
      words.push(`${name}: frontend stuck in ${p.frontend}`);
    else if (
      settled &&
      p.backend !== null &&
      p.backend !== 'Connected' &&
      p.backend !== 'Closed' &&
      p.frontend !== null
    )
      words.push(`${name}: backend stuck in ${p.backend}`);
    else words.push(`${name}: frontend ${p.frontend ?? 'gone'}, backend ${p.backend ?? 'gone'}`);
  }
  for (const r of leakedRings) words.push(`${r} still mapped: grant leaked`);
  if (!settled) words.push(`still running after ${trace.length} steps`);
  return {
    label: trace.length === 0 ? 'nothing to run' : words.join('; ') || 'no devices',
    pairs: [...pairs.values()],
    settled,
    steps: trace.length,
    leakedRings,
  };
}

/**
 * Runs a copy of `world` with the pending delivery `choice` next (under the manual policy; others
 * take their own pick), then on to quiescence or `maxSteps`, each later pick the oldest delivery.
 */
export function previewChoice(world: World, choice: number | undefined, maxSteps = 5000): Outcome {
  const fork = forkWorld(world);
  const trace: TraceEntry[] = [];
  const first = fork.step(choice);
  if (first !== null) trace.push(first);
  while (first !== null && trace.length < maxSteps) {
    const next = fork.config.policy === 'manual' ? oldest(fork) : undefined;
    const entry = fork.step(next);
    if (entry === null) break;
    trace.push(entry);
  }
  return describeOutcome(fork, trace, fork.idle);
}

/** The delivery queued first (by time, then id): what fifo would run. */
function oldest(world: World): number | undefined {
  let best: { id: number; at: number } | undefined;
  for (const p of world.enabled())
    if (best === undefined || p.at < best.at || (p.at === best.at && p.id < best.id)) best = p;
  return best?.id;
}

/**
 * A pending delivery in words, for the manual policy's list: a request xenstored would handle, a
 * reply or watch event a client would receive, a callback a xenwatch thread would run, a routine
 * that would wake, or a user action.
 */
export function describePending(world: World, p: Pending<WorldAction>): string {
  const a = p.action;
  const at = p.at > world.sched.now ? ` (at ${p.at} ms)` : '';
  switch (a.t) {
    case 'xs-req':
      return `xenstored handles ${requestSummary(world.connActor.get(a.conn) ?? `conn${a.conn}`, a.msg)}${at}`;
    case 'xs-rsp': {
      const to = world.connActor.get(a.conn) ?? `conn${a.conn}`;
      if (a.msg.type === XsType.WATCH_EVENT) {
        const [path = '', token = ''] = splitStrings(a.msg.payload);
        return `${to} receives the watch event ${path} (${token})${at}`;
      }
      return `${to} receives the reply to ${TYPE_NAMES[a.msg.type] ?? a.msg.type}${at}`;
    }
    case 'xenwatch':
      return `${a.actor}'s xenwatch thread runs its next callback${at}`;
    case 'resume': {
      const r = world.routines.get(a.rid);
      return `${r?.actor ?? '?'}: ${r?.name ?? `routine ${a.rid}`} ${a.value === 'start' ? 'starts' : a.value === 'timeout' ? 'times out' : 'wakes'}${at}`;
    }
    case 'user':
      return `${describeAction(a.action)}${at}`;
  }
}

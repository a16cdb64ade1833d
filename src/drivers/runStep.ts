import {
  createActor,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type Snapshot,
} from 'xstate';
import { getEffectKind, type DriverEffect, type DriverEffectKind } from './effects';

/** A step's outcome: the persisted snapshot to keep in the world, and the effects for the simulator. */
export interface MachineStepResult {
  snapshot: Snapshot<unknown>;
  effects: DriverEffect[];
}

/** A driver machine whose effect actions push into `sink`. */
export interface Collector {
  machine: AnyStateMachine;
  sink: DriverEffect[];
}

// One provided machine per driver machine; its effect actions push into `sink`, which each step
// points at a fresh array. Steps run synchronously, so a step never sees another step's array.
const collectors = new WeakMap<AnyStateMachine, Collector>();

/** The collecting variant of a driver machine (one per machine, cached). */
export function getCollector(machine: AnyStateMachine): Collector {
  const known = collectors.get(machine);
  if (known !== undefined) return known;
  const collector: Collector = { machine, sink: [] };
  const actions: Record<string, (args: unknown, params: Record<string, unknown> | undefined) => void> = {};
  for (const [name, implementation] of Object.entries(machine.implementations.actions)) {
    const kind: DriverEffectKind | undefined = getEffectKind(implementation);
    if (kind === undefined) continue;
    actions[name] = (_args, params) => {
      collector.sink.push({ kind, ...(params ?? {}) } as DriverEffect);
    };
  }
  collector.machine = machine.provide({ actions });
  collectors.set(machine, collector);
  return collector;
}

/**
 * Run one event through a driver machine, deterministically: restore the actor from `snapshot`
 * (or start it from `input` when there is none), send `event`, and return the persisted snapshot and
 * the effects the transition named, in order. Pure with respect to its arguments (no timers, no I/O).
 */
export function runMachineStep<TMachine extends AnyStateMachine>(
  machine: TMachine,
  snapshot: Snapshot<unknown> | null,
  event: EventFromLogic<TMachine>,
  input?: InputFrom<TMachine>,
): MachineStepResult {
  if (snapshot === null && input === undefined)
    throw new TypeError('runMachineStep: a new actor needs input');
  const collector = getCollector(machine);
  const effects: DriverEffect[] = [];
  collector.sink = effects;
  const actor =
    snapshot === null
      ? createActor(collector.machine, { input })
      : createActor(collector.machine, { snapshot });
  actor.start();
  actor.send(event);
  const persisted = actor.getPersistedSnapshot();
  actor.stop();
  collector.sink = [];
  return { snapshot: persisted, effects };
}

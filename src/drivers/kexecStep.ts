import {
  createActor,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type Snapshot,
} from 'xstate';
import type { KexecEffect, KexecEffectKind, KexecEffectParams } from './kexecTypes';

// The kexec counterparts of effects.ts createEffectAction and runStep.ts, for the KexecEffect union:
// recognisable no-op effect actions, a collecting variant of the machine, and one deterministic step.

const kexecEffectKinds = new WeakMap<object, KexecEffectKind>();

/**
 * The default implementation of a named kexec effect action: does nothing, but is recognisable, so
 * that getKexecCollector can replace exactly the effect actions with collectors.
 */
export function createKexecEffectAction<K extends KexecEffectKind>(
  kind: K,
): (args: unknown, params: KexecEffectParams<K>) => void {
  const action = (_args: unknown, _params: KexecEffectParams<K>): void => {};
  kexecEffectKinds.set(action, kind);
  return action;
}

/** The kexec effect kind a default action implementation stands for, if it is one. */
export function getKexecEffectKind(implementation: unknown): KexecEffectKind | undefined {
  return typeof implementation === 'function' ? kexecEffectKinds.get(implementation) : undefined;
}

/** A kexec machine whose effect actions push into `sink` (point it at a fresh array per step). */
export interface KexecCollector {
  machine: AnyStateMachine;
  sink: KexecEffect[];
}

const collectors = new WeakMap<AnyStateMachine, KexecCollector>();

/** The collecting variant of a kexec machine (one per machine, cached). */
export function getKexecCollector(machine: AnyStateMachine): KexecCollector {
  const known = collectors.get(machine);
  if (known !== undefined) return known;
  const collector: KexecCollector = { machine, sink: [] };
  const actions: Record<string, (args: unknown, params: Record<string, unknown> | undefined) => void> = {};
  for (const [name, implementation] of Object.entries(machine.implementations.actions)) {
    const kind = getKexecEffectKind(implementation);
    if (kind === undefined) continue;
    actions[name] = (_args, params) => {
      collector.sink.push({ kind, ...(params ?? {}) } as KexecEffect);
    };
  }
  collector.machine = machine.provide({ actions });
  collectors.set(machine, collector);
  return collector;
}

/** A step's outcome: the persisted snapshot to keep, and the effects for the simulator in order. */
export interface KexecStepResult {
  snapshot: Snapshot<unknown>;
  effects: KexecEffect[];
}

/**
 * Run one event through the kexec machine, deterministically: restore the actor from `snapshot` (or
 * start it from `input` when there is none), send `event`, return the persisted snapshot and the
 * effects named by the transition. Pure with respect to its arguments (no timers, no I/O).
 */
export function runKexecStep<TMachine extends AnyStateMachine>(
  machine: TMachine,
  snapshot: Snapshot<unknown> | null,
  event: EventFromLogic<TMachine>,
  input?: InputFrom<TMachine>,
): KexecStepResult {
  if (snapshot === null && input === undefined) throw new TypeError('runKexecStep: a new actor needs input');
  const collector = getKexecCollector(machine);
  const effects: KexecEffect[] = [];
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

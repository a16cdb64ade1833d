/**
 * Machines whose effects are collected: an effect action is a recognisable no-op in the machine's
 * own definition; the collecting variant (`machine.provide({ actions })`) replaces exactly those
 * with functions that push `{ kind, ...params }` into a sink the caller points at a fresh array per
 * step. Shared by the driver machines (effects.ts) and the kexec machine (kexecTypes.ts).
 */
import {
  createActor,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type Snapshot,
} from 'xstate';

/** A machine whose effect actions push into `sink`. */
export interface EffectCollector<E> {
  machine: AnyStateMachine;
  sink: E[];
}

/** A step's outcome: the persisted snapshot to keep, and the effects named, in order. */
export interface CollectedStep<E> {
  snapshot: Snapshot<unknown>;
  effects: E[];
}

type EffectFields<E extends { kind: string }, K extends E['kind']> = Omit<Extract<E, { kind: K }>, 'kind'>;
/** The params of the effect action of kind `K`: the effect without its `kind` (undefined when nothing is left). */
export type EffectParamsOf<E extends { kind: string }, K extends E['kind']> = [
  keyof EffectFields<E, K>,
] extends [never]
  ? undefined
  : EffectFields<E, K>;

/** Effect actions of one effect union: make them, and recognise them again. */
export function effectActionRegistry<K extends string>(): {
  create: <P>(kind: K) => (args: unknown, params: P) => void;
  kindOf: (implementation: unknown) => K | undefined;
} {
  const kinds = new WeakMap<object, K>();
  return {
    create: <P>(kind: K) => {
      const action = (_args: unknown, _params: P): void => {};
      kinds.set(action, kind);
      return action;
    },
    kindOf: (implementation) =>
      typeof implementation === 'function' ? kinds.get(implementation) : undefined,
  };
}

/** The collecting variant of a machine, one per machine (cached), for effects recognised by `kindOf`. */
export function collectorFor<E>(
  kindOf: (implementation: unknown) => string | undefined,
): (machine: AnyStateMachine) => EffectCollector<E> {
  const collectors = new WeakMap<AnyStateMachine, EffectCollector<E>>();
  return (machine) => {
    const known = collectors.get(machine);
    if (known !== undefined) return known;
    const collector: EffectCollector<E> = { machine, sink: [] };
    const actions: Record<string, (args: unknown, params: Record<string, unknown> | undefined) => void> = {};
    for (const [name, implementation] of Object.entries(machine.implementations.actions)) {
      const kind = kindOf(implementation);
      if (kind === undefined) continue;
      actions[name] = (_args, params) => {
        collector.sink.push({ kind, ...(params ?? {}) } as E);
      };
    }
    collector.machine = machine.provide({ actions });
    collectors.set(machine, collector);
    return collector;
  };
}

/**
 * One event through a machine, deterministically: restore the actor from `snapshot` (or start it
 * from `input` when there is none), send `event`, return the persisted snapshot and the effects the
 * transition named. Pure with respect to its arguments (no timers, no I/O).
 */
export function runCollectedStep<E, TMachine extends AnyStateMachine>(
  collect: (machine: AnyStateMachine) => EffectCollector<E>,
  machine: TMachine,
  snapshot: Snapshot<unknown> | null,
  event: EventFromLogic<TMachine>,
  input?: InputFrom<TMachine>,
): CollectedStep<E> {
  if (snapshot === null && input === undefined) throw new TypeError('a new actor needs input');
  const collector = collect(machine);
  const effects: E[] = [];
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

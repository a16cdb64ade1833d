import type { AnyStateMachine, EventFromLogic, InputFrom, Snapshot } from 'xstate';
import { collectorFor, runCollectedStep, type CollectedStep, type EffectCollector } from './effectCollector';
import { getEffectKind, type DriverEffect } from './effects';

/** A step's outcome: the persisted snapshot to keep in the world, and the effects for the simulator. */
export type MachineStepResult = CollectedStep<DriverEffect>;

/** A driver machine whose effect actions push into `sink`. */
export type Collector = EffectCollector<DriverEffect>;

/** The collecting variant of a driver machine (one per machine, cached). */
export const getCollector: (machine: AnyStateMachine) => Collector =
  collectorFor<DriverEffect>(getEffectKind);

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
  return runCollectedStep(getCollector, machine, snapshot, event, input);
}

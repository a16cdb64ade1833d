// The kexec counterparts of effects.ts createEffectAction and runStep.ts, for the KexecEffect union:
// recognisable no-op effect actions, a collecting variant of the machine, and one deterministic step.
import type { AnyStateMachine, EventFromLogic, InputFrom, Snapshot } from 'xstate';
import {
  collectorFor,
  effectActionRegistry,
  runCollectedStep,
  type CollectedStep,
  type EffectCollector,
} from './effectCollector';
import type { KexecEffect, KexecEffectKind, KexecEffectParams } from './kexecTypes';

const registry = effectActionRegistry<KexecEffectKind>();

/**
 * The default implementation of a named kexec effect action: does nothing, but is recognisable, so
 * that getKexecCollector can replace exactly the effect actions with collectors.
 */
export function createKexecEffectAction<K extends KexecEffectKind>(
  kind: K,
): (args: unknown, params: KexecEffectParams<K>) => void {
  return registry.create<KexecEffectParams<K>>(kind);
}

/** The kexec effect kind a default action implementation stands for, if it is one. */
export const getKexecEffectKind = registry.kindOf;

/** A kexec machine whose effect actions push into `sink` (point it at a fresh array per step). */
export type KexecCollector = EffectCollector<KexecEffect>;

/** The collecting variant of a kexec machine (one per machine, cached). */
export const getKexecCollector: (machine: AnyStateMachine) => KexecCollector =
  collectorFor<KexecEffect>(getKexecEffectKind);

/** A step's outcome: the persisted snapshot to keep, and the effects for the simulator in order. */
export type KexecStepResult = CollectedStep<KexecEffect>;

/** Run one event through the kexec machine, deterministically (see runCollectedStep). */
export function runKexecStep<TMachine extends AnyStateMachine>(
  machine: TMachine,
  snapshot: Snapshot<unknown> | null,
  event: EventFromLogic<TMachine>,
  input?: InputFrom<TMachine>,
): KexecStepResult {
  return runCollectedStep(getKexecCollector, machine, snapshot, event, input);
}

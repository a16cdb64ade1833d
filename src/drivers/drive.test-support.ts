import type { AnyStateMachine, EventFromLogic, InputFrom, Snapshot } from 'xstate';
import type { DriverEffect } from './effects';
import { runMachineStep, type MachineStepResult } from './runStep';

/** One event's outcome in a driven sequence. */
export interface DrivenStep {
  value: unknown;
  effects: DriverEffect[];
}

/** The result of driving a machine through a list of events with runMachineStep. */
export interface Driven {
  snapshot: Snapshot<unknown> & { value?: unknown; context?: unknown; status?: string };
  steps: DrivenStep[];
  /** the effects of the last event */
  last: DriverEffect[];
}

/** Drive `machine` from a fresh actor through `events`, one runMachineStep per event. Pure. */
export function drive<TMachine extends AnyStateMachine>(
  machine: TMachine,
  input: InputFrom<TMachine>,
  events: readonly EventFromLogic<TMachine>[],
): Driven {
  let snapshot: Snapshot<unknown> | null = null;
  const steps: DrivenStep[] = [];
  for (const event of events) {
    const result: MachineStepResult = runMachineStep(machine, snapshot, event, input);
    snapshot = result.snapshot;
    steps.push({ value: (result.snapshot as { value?: unknown }).value, effects: result.effects });
  }
  if (snapshot === null) throw new TypeError('drive: no events');
  return { snapshot, steps, last: steps[steps.length - 1]?.effects ?? [] };
}

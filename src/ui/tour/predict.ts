/**
 * Predict, then reveal: at a tour stop, "what does <driver> do next?". The choices are the states
 * the device's machine can move to from the state it is in (the out-edges of machineGraph, the
 * graph the inspector draws), the answer is the state the device actually enters next in the trace,
 * and the explanation is that step's caption. Pure.
 */
import type { AnyStateMachine } from 'xstate';
import type { ProfileId } from '../../sim/profiles';
import { WORLD_DEPS } from '../../sim/world/createWorld';
import type { TraceEntry } from '../../sim/world/trace';
import { machineGraph } from '../layout/machineGraph';
import { captionFor } from './captions';
import { deviceLabel, machineNameOf } from './devices';
import { advanceSketch, createSketch, stateIn } from './sketch';
import type { Caption } from './types';

/** Machines by name: the driver machines ('vbd-frontend', … as WORLD_DEPS.machines) and 'kexec'. */
export type TourMachines = Readonly<Record<string, AnyStateMachine>>;

/** What the UI passes by default: the world's driver machines and its kexec machine. */
export const TOUR_MACHINES: TourMachines = { ...WORLD_DEPS.machines, kexec: WORLD_DEPS.kexec };

export interface PredictQuestion {
  /** device key, `dom1.K1|device/vbd/51712` */
  device: string;
  /** the cursor asked at (steps run so far) */
  cursor: number;
  /** the device's state at the cursor */
  state: string;
  prompt: string;
  /** states the machine can go to from `state` (machineGraph out-edges), in the graph's order */
  choices: string[];
  /** the state it actually enters next */
  answer: string;
  /** the step (seq) that takes it there */
  answerStep: number;
  /** that step's caption */
  explanation: Caption;
}

export interface PredictOptions {
  profile?: ProfileId;
}

/** The states `machine` can go to from `state`, as the machine graph draws them. */
export function choicesFrom(machine: AnyStateMachine, state: string): string[] {
  return machineGraph(machine)
    .edges.filter((e) => e.from === state)
    .map((e) => e.to);
}

/**
 * The question for `device` at `cursor`, or null when it cannot be answered: the device does not
 * exist there, has no machine, makes no further transition (or is freed first), or its next state
 * is not among the choices.
 */
export function predictQuestion(
  trace: readonly TraceEntry[],
  cursor: number,
  device: string,
  machines: TourMachines = TOUR_MACHINES,
  o: PredictOptions = {},
): PredictQuestion | null {
  const name = machineNameOf(device);
  const machine = name === null ? undefined : machines[name];
  if (!machine) return null;
  // 1. the world at the cursor: the device's state
  const sketch = createSketch();
  const at = Math.min(Math.max(0, cursor), trace.length);
  for (let i = 0; i < at; i++) advanceSketch(sketch, trace[i]!);
  const state = stateIn(sketch, device);
  if (state === null) return null;
  // 2. the device's next transition, unless it is freed first; the sketch follows up to that step
  let next: { entry: TraceEntry; from: string; to: string } | null = null;
  for (let i = at; i < trace.length && next === null; i++) {
    const entry = trace[i]!;
    for (const f of entry.effects) {
      if (f.k === 'device' && f.device === device && f.change === 'freed') return null;
      if (f.k === 'transition' && f.device === device) {
        next = { entry, from: f.from, to: f.to };
        break;
      }
    }
    if (next === null) advanceSketch(sketch, entry);
  }
  if (next === null || next.from !== state) return null;
  // 3. the choices and the answer among them
  const choices = choicesFrom(machine, state);
  if (!choices.includes(next.to)) return null;
  const explanation = captionFor(next.entry, { ...o, sketch }) ?? {
    text: `${deviceLabel(device)}: ${next.from} → ${next.to}.`,
    source: 'xenbus.md §1',
  };
  return {
    device,
    cursor: at,
    state,
    prompt: `${deviceLabel(device)} is ${state}. What does it do next?`,
    choices,
    answer: next.to,
    answerStep: next.entry.seq,
    explanation,
  };
}

export interface PredictScore {
  correct: boolean;
  answer: string;
  /** what happened and why (the answer step's caption) */
  explanation: string;
  source: string;
  /** the cursor that shows the answer step having run */
  revealAt: number;
}

/** Score a learner's choice against the question. */
export function scoreAnswer(q: PredictQuestion, choice: string): PredictScore {
  return {
    correct: choice === q.answer,
    answer: q.answer,
    explanation: q.explanation.text,
    source: q.explanation.source,
    revealAt: q.answerStep + 1,
  };
}

/**
 * The tour every scenario comes with: its introduction, a stop at each step that matters (cursor
 * seq + 1, so the step is seen having run) with its caption and highlight, and one to three
 * predict-then-reveal questions placed just before a driver's transition. Short enough to follow:
 * bursts of alike steps merge into one stop, and past `maxStops` the repeats and the least
 * important stops go first. Pure.
 *
 * Pipeline: marks by seq (interesting.ts) → candidates {seq, top mark} of rank ≥ 3 → bursts merged
 * → trimmed to maxStops → stops {step, caption, source, highlight} → predicts attached.
 */
import { findPlayable } from '../../sim/scenarios/demos';
import type { LintFinding } from '../../sim/lint/lint';
import type { ProfileId } from '../../sim/profiles';
import type { TraceEntry } from '../../sim/world/trace';
import { byImportance, captionOfMarks, joinCaptions } from './captions';
import { introFor } from './intros';
import { markTrace } from './interesting';
import type { StepMark } from './marks';
import { predictQuestion, TOUR_MACHINES, type TourMachines } from './predict';
import type { Caption, Tour, TourStop } from './types';

export interface BuiltinTourOptions {
  profile: ProfileId;
  /** lint findings of the trace, if the caller has them (default: computed) */
  findings?: readonly LintFinding[];
  machines?: TourMachines;
  /** default 25 */
  maxStops?: number;
  /** default 3 */
  maxPredicts?: number;
}

interface Candidate {
  seq: number;
  marks: StepMark[];
  top: StepMark;
  /** alike steps merged into this one (bursts), the last one's seq */
  merged: number;
  lastSeq: number;
  /** a neighbour told at the same stop (a user action and its first effect; a timeout and its log line) */
  next?: Candidate;
}

/** The group without the device type: a vif change repeats the concept of the vbd one. */
const concept = (group: string) => group.replace(/(device|backend)\/(vbd|vif)/g, '$1/*');

/** Steps whose best mark has at least `minRank`, in trace order. */
function candidatesOf(marks: ReadonlyMap<number, StepMark[]>, minRank: number): Candidate[] {
  const out: Candidate[] = [];
  for (const [seq, list] of marks) {
    const top = byImportance(list)[0];
    if (top && top.rank >= minRank) out.push({ seq, marks: list, top, merged: 0, lastSeq: seq });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** Consecutive candidates with the same top group become one stop (the first), counting the rest. */
function mergeBursts(list: readonly Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of list) {
    const prev = out.at(-1);
    if (prev && prev.top.group === c.top.group && prev.top.kind !== 'lint') {
      prev.merged++;
      prev.lastSeq = c.seq;
    } else out.push({ ...c });
  }
  return out;
}

/**
 * Keep at most `max` stops. Dropped first: a concept already shown in the same phase (the vif
 * closing like the vbd did, a second detach cycle, the next of 32 guests); then set-up stops
 * (before the scenario's trigger: every scenario shares them) before the scenario's own; then the
 * less important; then the later. Lint findings stay.
 */
function trim(list: readonly Candidate[], max: number, trigger: number): Candidate[] {
  if (list.length <= max) return [...list];
  const seen = [new Set<string>(), new Set<string>()];
  const keys = list.map((c, i) => {
    const phase = c.seq >= trigger ? 1 : 0;
    const repeat = seen[phase]!.has(concept(c.top.group));
    seen[phase]!.add(concept(c.top.group));
    return { i, key: [c.top.kind === 'lint' ? 1 : 0, repeat ? 0 : 1, phase, c.top.rank, -i] };
  });
  const order = (a: number[], b: number[]) => {
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
    return 0;
  };
  const dropped = new Set(
    keys
      .sort((a, b) => order(a.key, b.key))
      .slice(0, list.length - max)
      .map((k) => k.i),
  );
  return list.filter((_c, i) => !dropped.has(i));
}

/**
 * A candidate within two steps of the one before shares its stop (which moves to the later step and
 * tells both) when the earlier is a user action, or when both are the same actor's and neither is
 * a state change (a timeout and the log line it causes).
 */
function joinNeighbours(list: readonly Candidate[], trace: readonly TraceEntry[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of list) {
    const prev = out.at(-1);
    const a = prev ? trace[prev.lastSeq] : undefined;
    const b = trace[c.seq];
    const related =
      a?.kind === 'user' ||
      (a?.actor === b?.actor && prev?.top.kind !== 'transition' && c.top.kind !== 'transition');
    if (prev && !prev.next && a && b && c.seq - prev.lastSeq <= 2 && related) {
      prev.next = c;
      if (c.top.rank > prev.top.rank) prev.top = c.top;
    } else out.push(c);
  }
  return out;
}

function captionOfCandidate(c: Candidate): Caption {
  const caption = captionOfMarks(c.marks) ?? c.top.caption;
  const burst = c.merged > 0 ? ` (${c.merged + 1} alike steps, through step ${c.lastSeq}.)` : '';
  return { ...caption, text: caption.text + burst };
}

/** A stop and the steps it tells (the stop shows the last of them having run). */
interface PlannedStop {
  stop: TourStop;
  seqs: number[];
}

function stopOf(c: Candidate): PlannedStop {
  const caption = c.next
    ? joinCaptions([captionOfCandidate(c), captionOfCandidate(c.next)])
    : captionOfCandidate(c);
  const seqs = c.next ? [c.seq, c.next.seq] : [c.seq];
  return {
    stop: {
      step: seqs.at(-1)! + 1,
      caption: caption.text,
      source: caption.source,
      ...(caption.highlight ? { highlight: caption.highlight } : {}),
    },
    seqs,
  };
}

/** The first step of the scenario's own part: its first user action other than booting and attaching. */
function triggerSeq(trace: readonly TraceEntry[]): number {
  const setup = /^user: (create-domain|attach-disk|attach-nic)\b/;
  const first = trace.find((e) => e.kind === 'user' && !setup.test(e.summary));
  return first?.seq ?? trace.length;
}

/**
 * Attach up to `max` predict questions, each to the stop just before a stop whose step is a
 * driver's transition, where the question is answerable with more than one choice and its answer
 * is that very transition. Preferred: after the scenario's trigger, one per device, a change that
 * goes back (a reconnect) over one that goes forward.
 */
function attachPredicts(
  trace: readonly TraceEntry[],
  plan: PlannedStop[],
  o: { machines: TourMachines; profile: ProfileId; max: number },
): void {
  const trigger = triggerSeq(trace);
  const options: { at: number; device: string; score: number; seq: number }[] = [];
  for (let i = 1; i < plan.length; i++) {
    const cursor = plan[i - 1]!.stop.step;
    for (const seq of plan[i]!.seqs)
      for (const f of trace[seq]?.effects ?? []) {
        if (f.k !== 'transition') continue;
        const q = predictQuestion(trace, cursor, f.device, o.machines, { profile: o.profile });
        if (q === null || q.answerStep !== seq || q.choices.length < 2) continue;
        const back = ['Initialising', 'InitWait', 'Closed'].includes(q.answer) && q.state !== 'Initialising';
        options.push({ at: i - 1, device: f.device, seq, score: (seq >= trigger ? 2 : 0) + (back ? 1 : 0) });
      }
  }
  options.sort((a, b) => b.score - a.score || a.seq - b.seq);
  const devices = new Set<string>();
  const used = new Set<number>();
  for (const p of options) {
    if (used.size >= o.max) break;
    if (used.has(p.at) || devices.has(p.device)) continue;
    used.add(p.at);
    devices.add(p.device);
    plan[p.at]!.stop.predict = { device: p.device };
  }
}

/** The built-in tour of a scenario's trace under `profile`. */
export function builtinTour(scenarioId: string, trace: readonly TraceEntry[], o: BuiltinTourOptions): Tour {
  const max = o.maxStops ?? 25;
  const marks = markTrace(trace, { profile: o.profile, ...(o.findings ? { findings: o.findings } : {}) });
  // 1. candidates: rank ≥ 3, fewer if the trace has too few of those
  let candidates = candidatesOf(marks, 3);
  if (candidates.length < 3) candidates = candidatesOf(marks, 2);
  if (candidates.length < 3) candidates = candidatesOf(marks, 1);
  // 2. bursts merged, trimmed, turned into stops
  const plan = trim(joinNeighbours(mergeBursts(candidates), trace), max, triggerSeq(trace)).map(stopOf);
  // 3. predict questions
  attachPredicts(trace, plan, {
    machines: o.machines ?? TOUR_MACHINES,
    profile: o.profile,
    max: o.maxPredicts ?? 3,
  });
  const scenario = findPlayable(scenarioId);
  const intro = introFor(scenarioId);
  return {
    scenario: scenarioId,
    profile: o.profile,
    title: scenario?.title ?? scenarioId,
    intro: intro?.text ?? `${scenario?.title ?? scenarioId}: step through the moments that matter.`,
    ...(intro ? { introSource: intro.source } : {}),
    stops: plan.map((p) => p.stop),
  };
}

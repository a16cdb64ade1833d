/**
 * The steps worth stopping at, and moving between them: state changes of any driver, user actions,
 * dropped or merged watch events, EAGAIN, timeouts, protocol lint findings, and the other moments
 * captions.ts ranks 2 or more. Pure.
 *
 * Cursors here are the timeline's: the number of steps run, 0..trace.length. The step numbered
 * `seq` is seen having run at cursor `seq + 1`.
 */
import { lintTrace, type LintFinding } from '../../sim/lint/lint';
import type { ProfileId } from '../../sim/profiles';
import type { TraceEntry } from '../../sim/world/trace';
import { stepMarks } from './captions';
import { INTERESTING_RANK, type StepMark } from './marks';
import { advanceSketch, createSketch } from './sketch';

export interface MarkOptions {
  profile?: ProfileId;
  /** lint findings of the trace (default: lintTrace(trace)) */
  findings?: readonly LintFinding[];
  /** build each step's sketch, for the captions that depend on the world (default true) */
  sketch?: boolean;
}

/** Findings by the step they are pinned to. */
export function findingsBySeq(findings: readonly LintFinding[]): Map<number, LintFinding[]> {
  const by = new Map<number, LintFinding[]>();
  for (const f of findings) by.set(f.seq, [...(by.get(f.seq) ?? []), f]);
  return by;
}

/** The marks of every step that has any, by seq; one pass over the trace. */
export function markTrace(trace: readonly TraceEntry[], o: MarkOptions = {}): Map<number, StepMark[]> {
  const lint = findingsBySeq(o.findings ?? lintTrace(trace));
  const sketch = o.sketch === false ? undefined : createSketch();
  const out = new Map<number, StepMark[]>();
  for (const entry of trace) {
    const marks = stepMarks(entry, {
      ...(o.profile ? { profile: o.profile } : {}),
      findings: lint.get(entry.seq) ?? [],
      ...(sketch ? { sketch } : {}),
    });
    if (marks.length > 0) out.set(entry.seq, marks);
    if (sketch) advanceSketch(sketch, entry);
  }
  return out;
}

/**
 * The seqs of the steps worth stopping at, ascending. Its one-argument form is a trace derivation
 * (`useTraceDerived(interestingSteps)`); pass the findings the UI already has to skip the lint pass.
 */
export function interestingSteps(trace: readonly TraceEntry[], findings?: readonly LintFinding[]): number[] {
  const marks = markTrace(trace, { ...(findings ? { findings } : {}), sketch: false });
  const out: number[] = [];
  for (const [seq, list] of marks) if (list.some((m) => m.rank >= INTERESTING_RANK)) out.push(seq);
  return out.sort((a, b) => a - b);
}

/** Index of the first element of the ascending `steps` that is ≥ `value` (binary search). */
function lowerBound(steps: readonly number[], value: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The cursor that shows the next interesting step having run (its seq + 1, > `cursor`), or null
 * past the last one. `steps`: interestingSteps(trace), if the caller has it already.
 */
export function nextInteresting(
  trace: readonly TraceEntry[],
  cursor: number,
  steps: readonly number[] = interestingSteps(trace),
): number | null {
  // seq + 1 > cursor  ⇔  seq ≥ cursor
  const s = steps[lowerBound(steps, cursor)];
  return s === undefined ? null : s + 1;
}

/** The cursor that shows the previous interesting step having run (< `cursor`), or null before the first. */
export function prevInteresting(
  trace: readonly TraceEntry[],
  cursor: number,
  steps: readonly number[] = interestingSteps(trace),
): number | null {
  // seq + 1 < cursor  ⇔  seq < cursor − 1
  const i = lowerBound(steps, cursor - 1) - 1;
  return i < 0 ? null : steps[i]! + 1;
}

/** Side-by-side comparison of two runs of a script, and a plain-text rendering of it. */
import { formatPayload, xsTypeName } from '../../src/xenstore/wire';
import type { StepRecord } from './runner';
import type { Request } from './script';

export interface Difference {
  /** index of the request in the expanded script */
  index: number;
  request: Request;
  real: StepRecord['frames'];
  ours: StepRecord['frames'];
}

/** Requests whose frames differ between the two runs (same script, so same length). */
export function compareRuns(real: readonly StepRecord[], ours: readonly StepRecord[]): Difference[] {
  const diffs: Difference[] = [];
  real.forEach((r, index) => {
    const o = ours[index];
    if (!o || JSON.stringify(sorted(r.frames)) !== JSON.stringify(sorted(o.frames))) {
      diffs.push({ index, request: r.request, real: r.frames, ours: o?.frames ?? {} });
    }
  });
  return diffs;
}

/** What a comparison means given the `deviation` marks of the script. */
export interface Verdict {
  /** differences at steps without a mark: failures */
  unexpected: Difference[];
  /** differences at marked steps: known and documented */
  known: Difference[];
  /** marked steps none of whose requests differ any more: the mark is stale */
  stale: string[];
}

export function judge(requests: readonly Request[], diffs: readonly Difference[]): Verdict {
  const differingSteps = new Set(diffs.map((d) => d.request.step));
  const marked = new Map(requests.flatMap((r) => (r.deviation ? [[r.step, r.deviation] as const] : [])));
  return {
    unexpected: diffs.filter((d) => d.request.deviation === undefined),
    known: diffs.filter((d) => d.request.deviation !== undefined),
    stale: [...marked]
      .filter(([step]) => !differingSteps.has(step))
      .map(([step, id]) => `step ${step} is marked ${id} but now matches`),
  };
}

function sorted(frames: StepRecord['frames']): Array<[string, string[]]> {
  return Object.entries(frames).sort(([a], [b]) => a.localeCompare(b));
}

/** `dom1 WRITE tx=t1 "data/x\0v"  (step 12.0: note)` */
export function describeRequest(r: Request): string {
  const tx = r.tx === 0 ? '' : ` tx=${r.tx}`;
  const note = r.note ? `: ${r.note}` : '';
  return `${r.as} ${xsTypeName(r.type)}${tx} "${formatPayload(r.payload.subarray(0, 80))}"  (step ${r.step}.${r.rep}${note})`;
}

function framesText(frames: StepRecord['frames'], indent: string): string {
  const lines = sorted(frames).flatMap(([conn, fs]) => fs.map((f) => `${indent}${conn}: ${f}`));
  return lines.length > 0 ? lines.join('\n') : `${indent}(nothing)`;
}

export function formatTranscript(records: readonly StepRecord[]): string {
  return records
    .map((r, i) => `#${i} ${describeRequest(r.request)}\n${framesText(r.frames, '    ')}`)
    .join('\n');
}

export function formatDifferences(script: string, diffs: readonly Difference[]): string {
  return diffs
    .map(
      (d) =>
        `[${script} #${d.index}] ${describeRequest(d.request)}\n  real:\n${framesText(d.real, '    ')}\n  ours:\n${framesText(d.ours, '    ')}`,
    )
    .join('\n');
}

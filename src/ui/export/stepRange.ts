/**
 * A step range of the trace as the exporters see it: the lanes it needs (the chart's lane order from
 * layout/lanes.ts), and per step its lane, its arrows (layout/stepArrows.ts, with a line of text each)
 * and its state transitions. Shared by the SVG, Mermaid and Markdown exporters so that all three show
 * the same arrows. Pure: data in, data out; no DOM.
 */
import type { TraceEntry } from '../../sim/world/trace';
import { sequenceLanes, type Lane } from '../layout/lanes';
import { clientOfSummary, stepMarks, type StepArrow } from '../layout/stepArrows';
import { driverOf } from '../model/breakpoints';

/** One arrow of a step, with the text a diagram puts on it. */
export interface RangeArrow extends StepArrow {
  /** plain text, one line (not escaped for any format) */
  label: string;
}

/** One state transition a step made: `blkfront: InitWait→Connected` on the lane of the device's kernel. */
export interface RangeTransition {
  /** the device key, `dom1.K1|device/vbd/51712` */
  device: string;
  /** the actor running the device (the key's prefix); a lane of the range */
  actor: string;
  /** `blkfront`, `netback`, `kexec` … (model/breakpoints.ts driverOf) */
  driver: string;
  from: string;
  to: string;
  /** `blkfront: InitWait→Connected` */
  label: string;
}

export interface RangeRow {
  entry: TraceEntry;
  /** the lane the step runs on (its dot) */
  lane: string;
  /** the arrows the chart draws for it: joining two different lanes, in stepMarks order */
  arrows: RangeArrow[];
  transitions: RangeTransition[];
}

export interface StepRange {
  /** the range actually shown, clamped to the trace: steps [from, to) */
  from: number;
  to: number;
  rows: RangeRow[];
  /** only the lanes this range needs, in the chart's order, `laneWidth` px apart */
  lanes: Lane[];
}

/** `[from, to)` clamped to a trace of `length` steps; integers, from ≤ to (empty if reversed). */
export function clampRange(length: number, from: number, to: number): { from: number; to: number } {
  const clamp = (n: number) => (Number.isFinite(n) ? Math.min(Math.max(Math.trunc(n), 0), length) : length);
  const a = Number.isFinite(from) ? clamp(from) : 0;
  const b = clamp(to);
  return { from: a, to: Math.max(a, b) };
}

/** One line: newlines shown as ↵, other control characters (Unicode Cc) as spaces. */
export function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ↵ ').replace(/\p{Cc}/gu, ' ');
}

/** A summary without the actor it starts with (`dom1.K1 xenwatch: f()` → `xenwatch: f()`). */
export function withoutActor(summary: string, actor: string): string {
  if (summary.startsWith(`${actor}: `)) return summary.slice(actor.length + 2);
  if (summary.startsWith(`${actor} `)) return summary.slice(actor.length + 1);
  return summary;
}

/** The short name of a lane, as the sequence chart's header shows it (SequenceChart.tsx laneTitle). */
export function laneTitle(lane: Lane): string {
  if (lane.group === 'kernel') return lane.actor.replace(/^dom(\d+)\./, 'd$1 ');
  if (lane.group === 'toolstack') return 'xl';
  if (lane.group === 'hypervisor') return 'Xen';
  return lane.actor.replace(/^dom0\./, '');
}

function arrowLabel(entry: TraceEntry, arrow: StepArrow, watchIndex: number): string {
  switch (arrow.kind) {
    case 'request':
    case 'reply':
    case 'action': {
      const client = clientOfSummary(entry.summary);
      return client === null ? entry.summary : withoutActor(entry.summary, client);
    }
    case 'watch': {
      if (entry.kind !== 'xenstored') return withoutActor(entry.summary, entry.actor);
      const fire = entry.effects.filter((e) => e.k === 'watch-fire')[watchIndex];
      return fire === undefined ? 'watch event' : `queue watch event ${fire.path} (${fire.token})`;
    }
    case 'hypercall': {
      const kinds = [...new Set(entry.effects.flatMap((e) => (e.k === 'hv' ? [e.e.kind] : [])))];
      return `hypercall ${kinds.join(', ')}`;
    }
  }
}

/** The row of one step: stepMarks' arrows (self-arrows dropped, as the chart does) with their text. */
export function rangeRow(entry: TraceEntry): RangeRow {
  const marks = stepMarks(entry);
  let watches = 0;
  const arrows: RangeArrow[] = [];
  for (const a of marks.arrows) {
    const label = arrowLabel(entry, a, a.kind === 'watch' ? watches++ : 0);
    if (a.from !== a.to) arrows.push({ ...a, label });
  }
  const transitions: RangeTransition[] = [];
  for (const e of entry.effects) {
    if (e.k !== 'transition') continue;
    const bar = e.device.indexOf('|');
    const driver = driverOf(e.device);
    transitions.push({
      device: e.device,
      actor: bar > 0 ? e.device.slice(0, bar) : marks.lane,
      driver,
      from: e.from,
      to: e.to,
      label: `${driver}: ${e.from}→${e.to}`,
    });
  }
  return { entry, lane: marks.lane, arrows, transitions };
}

/**
 * Steps [from, to) of `trace` (clamped) with the lanes they need: the actors of the range, the ends
 * of its arrows and the kernels its transitions belong to, in the chart's lane order.
 */
export function stepRange(trace: readonly TraceEntry[], from: number, to: number, laneWidth = 96): StepRange {
  const r = clampRange(trace.length, from, to);
  const rows = trace.slice(r.from, r.to).map(rangeRow);
  const actors = new Set<string>();
  for (const row of rows) {
    actors.add(row.lane);
    for (const a of row.arrows) actors.add(a.from).add(a.to);
    for (const t of row.transitions) actors.add(t.actor);
  }
  return { ...r, rows, lanes: sequenceLanes(actors, laneWidth) };
}

/**
 * Per-step captions drawn from the spec. A step is read as marks (marks.ts): its state changes
 * (transitionCaptions.ts), the user action, protocol lint findings, printk lines that mark a protocol
 * moment (logCaptions.ts) and other effects (effectCaptions.ts). The caption of a step is its most
 * important mark's, with a second important mark of another kind appended. Pure.
 *
 * The inspector's effect lines (model/describeEffect.ts) say *what* changed; these say what it
 * *means* in the protocol and where the spec says so.
 */
import type { LintFinding } from '../../sim/lint/lint';
import type { ProfileId } from '../../sim/profiles';
import type { TraceEntry } from '../../sim/world/trace';
import { effectMarks } from './effectCaptions';
import { logCaption } from './logCaptions';
import type { StepMark } from './marks';
import type { TraceSketch } from './sketch';
import { mergeSpecSources } from './specSources';
import { transitionCaption } from './transitionCaptions';
import type { Caption, TourHighlight } from './types';
import { parseUserSummary, userCaption } from './userCaptions';

export interface CaptionContext {
  /** the profile the trace was run under; some changes read differently per profile */
  profile?: ProfileId;
  /** lint findings (those with `seq` equal to the step's are used; passing all of them is fine) */
  findings?: readonly LintFinding[];
  /** the world before the step (sketchBefore(trace, entry.seq)); without it captions stay general */
  sketch?: TraceSketch;
}

function lintHighlight(f: LintFinding): TourHighlight | undefined {
  if (f.device === undefined) return undefined;
  return f.device.includes('|') ? { device: f.device } : { node: f.device };
}

interface Hop {
  from: string;
  to: string;
}

/** The step's state changes per device, in order (a kexec runs several hops in one step). */
function transitionsByDevice(entry: TraceEntry): Map<string, Hop[]> {
  const by = new Map<string, Hop[]>();
  for (const f of entry.effects)
    if (f.k === 'transition') by.set(f.device, [...(by.get(f.device) ?? []), { from: f.from, to: f.to }]);
  return by;
}

/** States a kexec passes through on its way (told only when the step ends there). */
const PASSING = new Set(['loaded', 'bootingSuccessor', 'inSuccessor.booting']);

/** Of a chain of hops, those worth a sentence: the last, and the ones before it that are not passing states (two at most). */
function hopsWorthTelling(hops: readonly Hop[]): Hop[] {
  const told = hops.filter((h, i) => i === hops.length - 1 || !PASSING.has(h.to));
  return told.length > 2 ? [told[0]!, told.at(-1)!] : told;
}

/** Captions one after the other; sources merged per file; the first highlight. */
export function joinCaptions(captions: readonly Caption[]): Caption {
  const highlight = captions.find((c) => c.highlight)?.highlight;
  return {
    text: captions.map((c) => c.text).join(' '),
    source: mergeSpecSources(captions.map((c) => c.source)),
    ...(highlight ? { highlight } : {}),
  };
}

/** Every reason the step matters, in effect order (transitions, then the rest). */
export function stepMarks(entry: TraceEntry, ctx: CaptionContext = {}): StepMark[] {
  const marks: StepMark[] = [];
  for (const f of ctx.findings ?? [])
    if (f.seq === entry.seq) {
      const highlight = lintHighlight(f);
      marks.push({
        kind: 'lint',
        rank: 5,
        group: `lint:${f.rule}`,
        caption: {
          text: `Protocol lint: ${f.message}.`,
          source: f.spec,
          ...(highlight ? { highlight } : {}),
        },
      });
    }
  if (entry.kind === 'user') {
    const { type } = parseUserSummary(entry.summary);
    marks.push({ kind: 'user', rank: 5, group: `user:${type}`, caption: userCaption(entry.summary) });
  }
  for (const [device, hops] of transitionsByDevice(entry)) {
    const kexec = device.endsWith('|kexec');
    const last = hops.at(-1)!;
    const captions = hopsWorthTelling(hops).map((h) => transitionCaption(device, h.from, h.to, entry, ctx));
    marks.push({
      kind: 'transition',
      rank: kexec ? 4 : 5,
      // the role and the change, not the device: the same change of another pair merges
      group: `transition:${kexec ? 'kexec' : device.replace(/^[^|]*\|(\w+\/\w+).*$/, '$1')}:${last.from}>${last.to}`,
      caption: joinCaptions(captions),
    });
  }
  for (const f of entry.effects)
    if (f.k === 'log' && f.actor !== 'xenstored') {
      const c = logCaption(f.actor, f.text);
      if (c) marks.push({ kind: 'log', rank: c.rank, group: c.group, caption: c.caption });
    }
  marks.push(...effectMarks(entry));
  return marks;
}

/** The most important mark first; among equals, the earlier one. */
export function byImportance(marks: readonly StepMark[]): StepMark[] {
  return marks
    .map((m, i) => ({ m, i }))
    .sort((a, b) => b.m.rank - a.m.rank || a.i - b.i)
    .map(({ m }) => m);
}

/**
 * One caption for the step: the most important mark's, followed by a second important one (rank
 * ≥ 4, another kind, another source: not the same point made twice) if any; sources joined. Null
 * when nothing in the step is worth a caption.
 */
export function captionOfMarks(marks: readonly StepMark[]): Caption | null {
  const [first, ...rest] = byImportance(marks);
  if (!first) return null;
  const second = rest.find(
    (m) => m.rank >= 4 && m.kind !== first.kind && m.caption.source !== first.caption.source,
  );
  return second ? joinCaptions([first.caption, second.caption]) : first.caption;
}

/** The caption of one step (see captionOfMarks), or null for a step that does not matter. */
export function captionFor(entry: TraceEntry, ctx: CaptionContext = {}): Caption | null {
  return captionOfMarks(stepMarks(entry, ctx));
}

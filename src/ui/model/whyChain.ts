/**
 * The why-chain lens: for any step, what made it happen (its causes, back to a user action) and
 * what it made happen (its consequences). The links come from causes.ts, which matches them from
 * the trace alone (read its comment for the rules and where they can be wrong); this module indexes
 * them both ways and walks them. Pure and DOM-free; seqs are trace positions (trace[i].seq === i).
 *
 * A step's primary cause is its first link: a xenstored step ← the step that sent the request; a
 * reply ← the xenstored step that answered (then ← the routine's previous step); a watch event ←
 * the fire; a callback ← the queued event; a routine start ← the user action or the kernel's
 * creation; a wakeup ← the routine's previous step. Following primary causes from a device
 * transition goes back through every request and reply of the routines involved, so a chain from
 * S1's frontend reaching Connected to `user: attach-disk` is some 150 links long. Roots: a user
 * action, dom0's boot, a routine start whose spawner the trace does not show, or a step of nobody
 * (a lost message).
 */
import type { TraceEffect, TraceEntry } from '../../sim/world/trace';
import { classifyActor } from '../layout/lanes';
import { readCauses, type CauseKind, type CauseLink } from './causes';

export type { CauseKind, CauseLink } from './causes';

/** Causes and consequences of every step of one trace. */
export interface WhyIndex {
  /** the steps indexed */
  readonly length: number;
  /** the links into `seq`, primary first; [] for a root or a step out of range */
  causes(seq: number): readonly CauseLink[];
  /** the links out of `seq` (the steps it caused), by `to`: exactly the reverse of causes() */
  effects(seq: number): readonly CauseLink[];
  /** what the step itself changed (store, watches, transitions …): caused by the step, no link */
  effectsOf(seq: number): readonly TraceEffect[];
  /** primary causes back from `seq` until a root or `maxDepth` links: [seq ← a, a ← b, …] */
  chain(seq: number, maxDepth?: number): CauseLink[];
  /** every step caused from `seq`, breadth first, each reached once, up to `maxDepth` links away */
  consequences(seq: number, maxDepth?: number): CauseLink[];
}

const NONE: readonly CauseLink[] = Object.freeze([]);

/** Indexes the causes of `trace` both ways (one pass, see readCauses). Rebuild when the trace changes. */
export function createWhyIndex(trace: readonly TraceEntry[]): WhyIndex {
  const causes = readCauses(trace);
  const effects = new Array<CauseLink[] | undefined>(trace.length).fill(undefined);
  for (const into of causes)
    for (const l of into ?? NONE) {
      const out = effects[l.from];
      if (out === undefined) effects[l.from] = [l];
      else out.push(l);
    }
  const causesOf = (seq: number): readonly CauseLink[] => causes[seq] ?? NONE;
  const effectsOf = (seq: number): readonly CauseLink[] => effects[seq] ?? NONE;
  return {
    length: trace.length,
    causes: causesOf,
    effects: effectsOf,
    effectsOf: (seq) => trace[seq]?.effects ?? [],
    chain(seq, maxDepth = 50) {
      const links: CauseLink[] = [];
      for (let at = seq; links.length < maxDepth;) {
        const primary = causesOf(at)[0];
        if (primary === undefined) break;
        links.push(primary);
        at = primary.from;
      }
      return links;
    },
    consequences(seq, maxDepth = 50) {
      const links: CauseLink[] = [];
      const seen = new Set([seq]);
      let frontier = [seq];
      for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
        const next: number[] = [];
        for (const at of frontier)
          for (const l of effectsOf(at)) {
            if (seen.has(l.to)) continue;
            seen.add(l.to);
            links.push(l);
            next.push(l.to);
          }
        frontier = next;
      }
      return links;
    },
  };
}

// ------------------------------------------------------------------ plain words

/** A watch event's path as a store path: relative paths are under the client's /local/domain/<domid>. */
function storePath(path: string, actor: string): string {
  const domid = classifyActor(actor).domid;
  return path.startsWith('/') || path.startsWith('@') || domid === null
    ? path
    : `/local/domain/${domid}/${path}`;
}

const ROUTINE_OF: Array<[RegExp, number, number]> = [
  [/^(\S+): reply to \S+ → (\S+)/, 1, 2],
  [/^(\S+) xenwatch: ([^(]+)\(/, 1, 2],
  [/^(\S+): (\S+) (?:starts|woken|slept|timed out)/, 1, 2],
];

/** "xl.diskAdd on dom0.xl" for a step where a routine ran, else the step's summary. */
function routineAt(entry: TraceEntry | undefined): string {
  if (entry === undefined) return 'an unknown step';
  for (const [re, actor, routine] of ROUTINE_OF) {
    const m = re.exec(entry.summary);
    if (m !== null) return `${m[routine] as string} on ${m[actor] as string}`;
  }
  return entry.summary;
}

/** The request a xenstored step handled, without its answer: "dom0.xl's MKDIR [tx 2] /local/…". */
function requestAt(entry: TraceEntry | undefined): string {
  if (entry === undefined) return 'a request';
  const m = /^(\S+): (.*) → .*$/s.exec(entry.summary);
  return m === null ? entry.summary : `${m[1] as string}'s ${(m[2] as string).trim()}`;
}

/** The watch event a watch-event step delivered, as a store path. */
function eventAt(entry: TraceEntry | undefined): string {
  if (entry === undefined) return 'a watch event';
  const m = /^(\S+): watch event (.*) \([^()]*\)/s.exec(entry.summary);
  return m === null ? entry.summary : `watch event on ${storePath(m[2] as string, m[1] as string)}`;
}

const DESCRIBE: Record<CauseKind, (to: TraceEntry | undefined, from: TraceEntry | undefined) => string> = {
  request: (to, from) => `xenstored handles ${requestAt(to)} ← sent by ${routineAt(from)}`,
  reply: (to, from) => `${to?.summary ?? 'a reply'} ← answered by xenstored: ${requestAt(from)}`,
  watch: (to, from) => `${eventAt(to)} reaches ${to?.actor ?? 'a client'} ← fired by ${requestAt(from)}`,
  callback: (to, from) => {
    const m = to === undefined ? null : /^(\S+) xenwatch: ([^(]+)\(/.exec(to.summary);
    const what = m === null ? 'callback' : `callback ${m[2] as string}`;
    return `${what} on ${to?.actor ?? 'a kernel'}'s xenwatch queue ← ${eventAt(from)}`;
  },
  routine: (to, from) => `${routineAt(to)} goes on ← its previous step: ${from?.summary ?? 'unknown'}`,
  user: (to, from) => `${to?.summary ?? 'a routine starts'} ← ${from?.summary ?? 'a user action'}`,
  spawn: (to, from) =>
    `${to?.summary ?? 'a kernel boots'} ← ${to?.actor ?? 'it'} started by ${routineAt(from)}`,
  wake: (to, from) => `${to?.summary ?? 'a routine wakes'} ← woken by ${routineAt(from)}`,
};

/**
 * One plain line for a link, the effect first: "callback xenbus.otherendChanged on dom1.K1's
 * xenwatch queue ← watch event on /local/domain/0/backend/vbd/1/51712/state (step 380)".
 */
export function describeLink(link: CauseLink, trace: readonly TraceEntry[]): string {
  return `${DESCRIBE[link.kind](trace[link.to], trace[link.from])} (step ${link.from})`;
}

/** What a UI element shows changing: a store node (its path), or a device's state badge. */
export type EffectTarget = string | { device: string; to?: string };

/**
 * The chain behind something seen at `seq` (a cursor's step): for a node flashing, the latest step
 * at or before `seq` that wrote or removed it; for a badge, the latest step with that device's
 * transition (to `to`, if given); with no target, step `seq` itself. Null when no step matches.
 */
export function chainForEffect(
  trace: readonly TraceEntry[],
  index: WhyIndex,
  seq: number,
  target?: EffectTarget,
  maxDepth = 50,
): { seq: number; links: CauseLink[] } | null {
  const matches = (e: TraceEffect): boolean => {
    if (target === undefined) return true;
    if (typeof target === 'string')
      return (e.k === 'node-write' || e.k === 'node-remove') && e.path === target;
    return (
      e.k === 'transition' && e.device === target.device && (target.to === undefined || e.to === target.to)
    );
  };
  for (let at = Math.min(seq, trace.length - 1); at >= 0; at--) {
    const entry = trace[at] as TraceEntry;
    if (target !== undefined && !entry.effects.some(matches)) continue;
    return { seq: at, links: index.chain(at, maxDepth) };
  }
  return null;
}

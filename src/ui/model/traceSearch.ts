/**
 * Search and filter the trace: by path (a glob over the nodes a step touched), device, actor, step
 * kind and text, and "every step that touched this path". Pure; one pass per query.
 *
 * A step touches a path when it writes or removes it, fires a watch event for it, reads or writes
 * it inside a transaction that ends there, or names it in its summary (a request for it, a callback
 * for an event on it); relative paths in summaries are taken under the actor's home.
 */
import type { StepKind, TraceEntry } from '../../sim/world/trace';
import { driverOf } from './breakpoints';
import { globToRegExp } from './pathGlob';
import { absoluteWatchPath } from './watchPulses';

export interface TraceQuery {
  /** glob over the paths a step touched */
  path?: string;
  device?: string;
  actor?: string;
  kind?: StepKind;
  /** words the summary contains (case-insensitive) */
  text?: string;
}

const KINDS: readonly StepKind[] = ['xenstored', 'reply', 'watch-event', 'xenwatch', 'wakeup', 'user'];

/**
 * `path:/local/domain/1/** actor:dom1.K1 kind:xenstored device:blkback` and free words for the
 * text; an unknown field or kind is an error naming it.
 */
export function parseQuery(text: string): { ok: true; query: TraceQuery } | { ok: false; error: string } {
  const query: TraceQuery = {};
  const words: string[] = [];
  for (const token of text.trim().split(/\s+/)) {
    if (token === '') continue;
    const m = /^(path|device|actor|kind):(.+)$/.exec(token);
    if (m === null) {
      words.push(token);
      continue;
    }
    const [, field, value = ''] = m;
    if (field === 'kind') {
      if (!(KINDS as readonly string[]).includes(value))
        return { ok: false, error: `kind: one of ${KINDS.join(', ')}, not "${value}"` };
      query.kind = value as StepKind;
    } else query[field as 'path' | 'device' | 'actor'] = value;
  }
  if (words.length > 0) query.text = words.join(' ');
  return { ok: true, query };
}

/** The paths a step touched, absolute. */
export function pathsOf(entry: TraceEntry): string[] {
  const paths = new Set<string>();
  for (const e of entry.effects) {
    if (e.k === 'node-write' || e.k === 'node-remove') paths.add(e.path);
    else if (e.k === 'watch-fire') paths.add(absoluteWatchPath(e.path, e.to));
    else if (e.k === 'tx') for (const p of [...(e.reads ?? []), ...(e.writes ?? [])]) paths.add(p);
  }
  // the path a request or an event names: the first path-like word of the summary
  const named = /\s((?:\/|[a-z][\w-]*\/)[\w/.:-]+)/.exec(entry.summary.slice(entry.summary.indexOf(':') + 1));
  if (named !== null) {
    const client = entry.summary.slice(0, entry.summary.indexOf(':')).split(' ')[0] ?? '';
    paths.add(absoluteWatchPath(named[1] as string, client));
  }
  return [...paths];
}

export function matchesQuery(entry: TraceEntry, q: TraceQuery): boolean {
  if (q.kind !== undefined && entry.kind !== q.kind) return false;
  if (
    q.actor !== undefined &&
    entry.actor !== q.actor &&
    !entry.summary.startsWith(`${q.actor}:`) &&
    !entry.summary.startsWith(`${q.actor} `)
  )
    return false;
  if (q.text !== undefined && !entry.summary.toLowerCase().includes(q.text.toLowerCase())) return false;
  if (q.device !== undefined) {
    const d = q.device;
    const hit = entry.effects.some(
      (e) =>
        (e.k === 'transition' || e.k === 'device') &&
        (e.device === d || driverOf(e.device) === d || e.device.endsWith(`|${d}`)),
    );
    if (!hit && !entry.summary.includes(d)) return false;
  }
  if (q.path !== undefined) {
    const re = globToRegExp(q.path);
    if (!pathsOf(entry).some((p) => re.test(p))) return false;
  }
  return true;
}

/** The steps matching `q`, in order. */
export function searchTrace(trace: readonly TraceEntry[], q: TraceQuery): number[] {
  const out: number[] = [];
  for (const entry of trace) if (matchesQuery(entry, q)) out.push(entry.seq);
  return out;
}

/** Every step that touched exactly this path. */
export function stepsTouching(trace: readonly TraceEntry[], path: string): number[] {
  return searchTrace(trace, { path: path.replace(/[*]/g, '\\*') });
}

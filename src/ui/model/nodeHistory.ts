/**
 * The store's history, node by node, read from the trace: every `node-write` and `node-remove`
 * with the step that made it. Answers "what did this node hold at cursor" by binary search, so a
 * scrubber can ask at every frame. Pure: it reads trace entries and never changes them. A cursor
 * is a number of steps run (0…trace.length); the picture at cursor is after trace[0..cursor-1].
 *
 * Also home to two helpers the other trace indexes share: `countBefore` (binary search) and
 * `TraceMark` (has the trace been truncated and re-grown since an index read it?).
 */
import type { TraceEntry } from '../../sim/world/trace';

/** How far an index read a trace: its length then and its last entry (compared by identity). */
export interface TraceMark {
  length: number;
  last: TraceEntry | undefined;
}

/**
 * Whether `trace` still starts with the entries an index read. The World truncates its trace in
 * place after a seek back and a new action, then grows it with new entry objects, so a length
 * check alone is not enough: the last entry read must still be the same object.
 */
export function isSamePrefix(trace: readonly TraceEntry[], mark: TraceMark): boolean {
  return trace.length >= mark.length && (mark.length === 0 || trace[mark.length - 1] === mark.last);
}

/** The mark of a trace read to its end. */
export function markOf(trace: readonly TraceEntry[]): TraceMark {
  return { length: trace.length, last: trace[trace.length - 1] };
}

/** How many of the ascending numbers `sorted` are below `cursor` (binary search, O(log n)). */
export function countBefore(sorted: readonly number[], cursor: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One change of a node: written (`value` the new text) or removed (`value` null); `old` null = created. */
export interface NodeChange {
  seq: number;
  old: string | null;
  value: string | null;
}

interface PathLog {
  seqs: number[];
  changes: NodeChange[];
}

/**
 * The index. Built in one pass over the trace (O(total effects)); `extend` reads only the entries
 * added since, and rebuilds from scratch when the trace was truncated and re-grown in between.
 */
export interface NodeHistory {
  /** entries read so far */
  readonly indexedLength: number;
  /** reads the entries past those already seen (or rebuilds if the trace was rewritten) */
  extend(trace: readonly TraceEntry[]): void;
  /** the node's value after the steps before `cursor`; null = absent */
  valueAt(path: string, cursor: number): string | null;
  /** every change of the node, oldest first (empty if never written) */
  changesOf(path: string): readonly NodeChange[];
  /** the last change made by a step before `cursor`, or null */
  lastChangeBefore(path: string, cursor: number): NodeChange | null;
  /** every path ever written, in first-write order */
  paths(): string[];
}

const NO_CHANGES: readonly NodeChange[] = [];

class NodeHistoryIndex implements NodeHistory {
  private logs = new Map<string, PathLog>();
  private mark: TraceMark = { length: 0, last: undefined };

  get indexedLength(): number {
    return this.mark.length;
  }

  extend(trace: readonly TraceEntry[]): void {
    if (!isSamePrefix(trace, this.mark)) {
      this.logs = new Map();
      this.mark = { length: 0, last: undefined };
    }
    for (let i = this.mark.length; i < trace.length; i++) {
      const entry = trace[i] as TraceEntry;
      for (const e of entry.effects) {
        if (e.k === 'node-write') this.add(e.path, { seq: entry.seq, old: e.old, value: e.value });
        else if (e.k === 'node-remove') this.add(e.path, { seq: entry.seq, old: e.old, value: null });
      }
    }
    this.mark = markOf(trace);
  }

  private add(path: string, change: NodeChange): void {
    let log = this.logs.get(path);
    if (log === undefined) {
      log = { seqs: [], changes: [] };
      this.logs.set(path, log);
    }
    log.seqs.push(change.seq);
    log.changes.push(change);
  }

  lastChangeBefore(path: string, cursor: number): NodeChange | null {
    const log = this.logs.get(path);
    if (log === undefined) return null;
    return log.changes[countBefore(log.seqs, cursor) - 1] ?? null;
  }

  valueAt(path: string, cursor: number): string | null {
    return this.lastChangeBefore(path, cursor)?.value ?? null;
  }

  changesOf(path: string): readonly NodeChange[] {
    return this.logs.get(path)?.changes ?? NO_CHANGES;
  }

  paths(): string[] {
    return [...this.logs.keys()];
  }
}

/** Indexes the store changes of `trace` (one pass); keep it and call `extend` as the trace grows. */
export function createNodeHistory(trace: readonly TraceEntry[]): NodeHistory {
  const index = new NodeHistoryIndex();
  index.extend(trace);
  return index;
}

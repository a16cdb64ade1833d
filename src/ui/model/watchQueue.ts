/**
 * The watch-queue lens: for one kernel, the events waiting on its xenwatch FIFO, the callback
 * running, and the recent events dropped, at a cursor. Each event is matched to the xenstored step
 * that fired it: first-in first-out per (actor, path, token), dropped events included, fires that
 * xenstored's fault injection lost ("fault: watch event … lost") skipped. A running callback shows
 * the watched node's value when the event fired and now; they differ when the callback will read a
 * newer state than the one that woke it (S11, the missed intermediate state). Pure; seqs are trace
 * positions, `eventSeq` the client's own event number; a cursor is a number of steps run.
 */
import type { GuestEffect } from '../../guest/xenbus';
import type { TraceEntry } from '../../sim/world/trace';
import { classifyActor } from '../layout/lanes';
import { countBefore, createNodeHistory, isSamePrefix, markOf, type NodeHistory } from './nodeHistory';

/** An event on the xenwatch queue, waiting for its callback. */
export interface PendingWatchEvent {
  eventSeq: number;
  path: string;
  token: string;
  queuedAt: number;
  /** the xenstored step that fired it; null if none matched (e.g. a run with no queueing seen) */
  firedAt: number | null;
}

/** The event whose callback xenwatch is running, with the watched node then and now. */
export interface RunningWatchEvent extends Omit<PendingWatchEvent, 'queuedAt'> {
  startedAt: number;
  /** the node's value right after the fire step (null: absent, or no fire matched) */
  valueAtFire: string | null;
  valueNow: string | null;
  /** it fired, and the node changed since: the callback reads a newer state than the one that woke it */
  stale: boolean;
}

/** An event the client dropped on arrival (unknown token, one already pending, malformed). */
export interface DroppedWatchEvent {
  path: string;
  token: string;
  reason: 'unknown-token' | 'pending' | 'malformed';
  at: number;
}

/** One kernel's xenwatch queue at a cursor. */
export interface WatchQueueView {
  pending: PendingWatchEvent[];
  running: RunningWatchEvent | null;
  dropped: DroppedWatchEvent[];
}

interface EventRecord extends PendingWatchEvent {
  /** position in its actor's `events` */
  index: number;
  /** the step it left the queue (ran, purged by unregister, or its kernel stopped); Infinity = not yet */
  leftAt: number;
}

type RunRecord = Omit<RunningWatchEvent, 'valueAtFire' | 'valueNow' | 'stale'> & { doneAt: number | null };

/** One actor's events (by queue step), runs, drops and fires not yet matched (per `path\ntoken`). */
class ActorQueue {
  readonly events: EventRecord[] = [];
  readonly queuedSeqs: number[] = [];
  readonly byEventSeq = new Map<number, EventRecord>();
  /** maxLeft[i] = the latest leftAt of events[0..i]; valid below `validUpTo`, brought up on query */
  readonly maxLeft: number[] = [];
  validUpTo = 0;
  readonly waiting = new Set<EventRecord>();
  readonly runs: RunRecord[] = [];
  readonly runSeqs: number[] = [];
  readonly dropped: DroppedWatchEvent[] = [];
  readonly dropSeqs: number[] = [];
  readonly fires = new Map<string, number[]>();
  constructor(readonly domid: number | null) {}

  leave(ev: EventRecord, seq: number): void {
    if (ev.leftAt !== Infinity) return;
    ev.leftAt = seq;
    this.waiting.delete(ev);
    this.validUpTo = Math.min(this.validUpTo, ev.index);
  }

  /** The kernel stopped: its queue and running callback are gone with it. */
  stop(seq: number): void {
    for (const ev of [...this.waiting]) this.leave(ev, seq);
    const run = this.runs[this.runs.length - 1];
    if (run !== undefined && run.doneAt === null) run.doneAt = seq;
    this.fires.clear();
  }

  read(g: GuestEffect, seq: number): void {
    if (g.kind === 'watch-event-queued' || g.kind === 'watch-event-dropped') {
      const firedAt = this.fires.get(`${g.path}\n${g.token}`)?.shift() ?? null;
      if (g.kind === 'watch-event-dropped') {
        this.dropped.push({ path: g.path, token: g.token, reason: g.reason, at: seq });
        this.dropSeqs.push(seq);
        return;
      }
      const { path, token } = g;
      const ev = {
        eventSeq: g.seq,
        path,
        token,
        queuedAt: seq,
        firedAt,
        index: this.events.length,
        leftAt: Infinity,
      };
      this.events.push(ev);
      this.queuedSeqs.push(seq);
      this.byEventSeq.set(g.seq, ev);
      this.waiting.add(ev);
    } else if (g.kind === 'watch-removed') {
      for (const ev of g.purged.map((n) => this.byEventSeq.get(n))) if (ev !== undefined) this.leave(ev, seq);
    } else if (g.kind === 'xenwatch-run') {
      const ev = this.byEventSeq.get(g.seq);
      if (ev !== undefined) this.leave(ev, seq);
      const { path, token } = g;
      this.runs.push({
        eventSeq: g.seq,
        path,
        token,
        firedAt: ev?.firedAt ?? null,
        startedAt: seq,
        doneAt: null,
      });
      this.runSeqs.push(seq);
    } else if (g.kind === 'xenwatch-done') {
      const run = this.runs[this.runs.length - 1];
      if (run !== undefined && run.eventSeq === g.seq && run.doneAt === null) run.doneAt = seq;
    }
  }

  /** Events queued before `cursor` and not yet gone: scanning back, stop where all earlier ones had left. */
  pendingAt(cursor: number): PendingWatchEvent[] {
    for (let i = this.validUpTo; i < this.events.length; i++)
      this.maxLeft[i] = Math.max(this.maxLeft[i - 1] ?? -Infinity, (this.events[i] as EventRecord).leftAt);
    this.validUpTo = this.events.length;
    const pending: PendingWatchEvent[] = [];
    for (
      let i = countBefore(this.queuedSeqs, cursor) - 1;
      i >= 0 && (this.maxLeft[i] as number) >= cursor;
      i--
    ) {
      const { eventSeq, path, token, queuedAt, firedAt, leftAt } = this.events[i] as EventRecord;
      if (leftAt >= cursor) pending.unshift({ eventSeq, path, token, queuedAt, firedAt });
    }
    return pending;
  }
}

/**
 * The index: one pass, O(total effects), with a node history of its own for the values. `extend`
 * reads only new entries, or rebuilds when the trace was rewritten.
 */
export interface WatchIndex {
  readonly indexedLength: number;
  readonly history: NodeHistory;
  extend(trace: readonly TraceEntry[]): void;
  /** the actor's queue, if it had any client or watch traffic */
  queueOf(actor: string): ActorQueue | undefined;
  /** every actor seen */
  actors(): string[];
}

const LOST = /^fault: watch event (.*) \((.*)\) for (\S+) lost$/;

class WatchQueueIndex implements WatchIndex {
  private queues = new Map<string, ActorQueue>();
  readonly history: NodeHistory = createNodeHistory([]);
  indexedLength = 0;
  private last: TraceEntry | undefined;

  queueOf(actor: string): ActorQueue | undefined {
    return this.queues.get(actor);
  }

  actors(): string[] {
    return [...this.queues.keys()];
  }

  extend(trace: readonly TraceEntry[]): void {
    if (!isSamePrefix(trace, { length: this.indexedLength, last: this.last })) {
      this.queues = new Map();
      this.indexedLength = 0;
    }
    this.history.extend(trace);
    for (let i = this.indexedLength; i < trace.length; i++) this.read(trace[i] as TraceEntry);
    ({ length: this.indexedLength, last: this.last } = markOf(trace));
  }

  private queue(actor: string): ActorQueue {
    const q = this.queues.get(actor) ?? new ActorQueue(classifyActor(actor).domid);
    this.queues.set(actor, q);
    return q;
  }

  private read({ seq, effects }: TraceEntry): void {
    for (const e of effects) {
      if (e.k === 'guest') this.queue(e.actor).read(e.e, seq);
      else if (e.k === 'actor' && e.change === 'stopped') this.queues.get(e.actor)?.stop(seq);
      else if (e.k === 'watch-fire') {
        const fires = this.queue(e.to).fires;
        fires.set(`${e.path}\n${e.token}`, [...(fires.get(`${e.path}\n${e.token}`) ?? []), seq]);
      } else if (e.k === 'log' && e.actor === 'xenstored') {
        // the fire of this same step never reaches the client
        const m = LOST.exec(e.text);
        const fires = m === null ? undefined : this.queues.get(m[3] as string)?.fires.get(`${m[1]}\n${m[2]}`);
        fires?.pop();
      }
    }
  }
}

/** Indexes the watch traffic of `trace` (one pass); keep it and call `extend` as the trace grows. */
export function createWatchIndex(trace: readonly TraceEntry[]): WatchIndex {
  const index = new WatchQueueIndex();
  index.extend(trace);
  return index;
}

/** The kernel actors with any watch traffic (queued, dropped or run), by domain then kernel. */
export function watchActors(index: WatchIndex): string[] {
  const busy = (q: ActorQueue | undefined) =>
    q !== undefined && q.events.length + q.dropped.length + q.runs.length > 0;
  const order = (a: string) => [classifyActor(a).domid ?? -1, classifyActor(a).epoch ?? 0] as const;
  return index
    .actors()
    .filter((actor) => classifyActor(actor).group === 'kernel' && busy(index.queueOf(actor)))
    .sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1] || a.localeCompare(b));
}

/** A watch event's path as a store path: relative paths are under the client's /local/domain/<domid>. */
function storePath(path: string, domid: number | null): string | null {
  if (path.startsWith('/')) return path;
  return path.startsWith('@') || domid === null ? null : `/local/domain/${domid}/${path}`;
}

/** The actor's xenwatch queue at `cursor`: pending events (FIFO), the running callback, the last `recent` drops. */
export function watchQueueAt(index: WatchIndex, actor: string, cursor: number, recent = 8): WatchQueueView {
  const q = index.queueOf(actor);
  if (q === undefined) return { pending: [], running: null, dropped: [] };
  let running: RunningWatchEvent | null = null;
  const run = q.runs[countBefore(q.runSeqs, cursor) - 1];
  if (run !== undefined && (run.doneAt === null || run.doneAt >= cursor)) {
    const { eventSeq, path, token, firedAt, startedAt } = run;
    const node = storePath(path, q.domid);
    const valueAtFire = node === null || firedAt === null ? null : index.history.valueAt(node, firedAt + 1);
    const valueNow = node === null ? null : index.history.valueAt(node, cursor);
    const stale = firedAt !== null && valueAtFire !== valueNow;
    running = { eventSeq, path, token, startedAt, firedAt, valueAtFire, valueNow, stale };
  }
  const n = countBefore(q.dropSeqs, cursor);
  return { pending: q.pendingAt(cursor), running, dropped: q.dropped.slice(Math.max(0, n - recent), n) };
}

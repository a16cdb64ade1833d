/**
 * Transactions as spans on the timeline: TRANSACTION_START to the next end of the same
 * (actor, txId) (xenstored reuses ids over time), with the nodes read and written in between and,
 * for an EAGAIN, the step whose store change made the commit fail. Pure: reads trace entries only.
 * Seqs are trace positions; a cursor is a number of steps run (0…trace.length).
 */
import type { TraceEntry } from '../../sim/world/trace';
import { getParent } from '../../xenstore';
import { countBefore, isSamePrefix, markOf, type TraceMark } from './nodeHistory';

/** How a span ended; 'open' = not (yet) ended. */
export type TxOutcome = 'open' | 'commit' | 'abort' | 'eagain' | 'reset';

/** One transaction from its start step to its end step. */
export interface TxSpan {
  actor: string;
  txId: number;
  startSeq: number;
  /** the step that ended it; null = still open (at the cursor, or at the end of the trace) */
  endSeq: number | null;
  /** 'reset' also when the same (actor, txId) started again while open (endSeq = that start) */
  outcome: TxOutcome;
  /** its read set (nodes first accessed by a read), in access order, as xenstored gave it at the end */
  reads: string[];
  /** its write set (nodes written or removed), in access order, as xenstored gave it at the end */
  writes: string[];
  /** eagain: the node whose change failed the commit (given by xenstored, or the first change seen) */
  conflictPath?: string;
  /** eagain: the step in (startSeq, endSeq) that made the conflicting change */
  conflictSeq?: number;
  /** eagain forced by a fault: nothing conflicted */
  forced?: boolean;
}

/** xenstored's commit check: modern read-set generations, or the 2006 global rule. */
export type ConflictRule = 'read-set' | 'global';

/** The commit rule in plain words, for a legend or a tooltip. */
export function conflictRuleText(rule: ConflictRule): string {
  return rule === 'read-set'
    ? 'the commit fails if a node the transaction read has changed since it read it (modern xenstored)'
    : 'the commit fails if anything in the store changed since the transaction started (2006 xenstored, xenstore.txt)';
}

/**
 * The index: one pass over the trace, O(total effects). `extend` reads only new entries (and
 * rebuilds if the trace was rewritten); spans still open are updated in place as it reads on.
 */
export interface TxIndex {
  readonly indexedLength: number;
  extend(trace: readonly TraceEntry[]): void;
  /** every span, by start step, as known at the end of the indexed trace */
  readonly spans: readonly TxSpan[];
  /** spans open at `cursor` (started before it, not ended before it); their sets come at the end */
  spansAt(cursor: number): TxSpan[];
  /** spans with a step in [from, to] (seqs, inclusive), by start step */
  overlapping(from: number, to: number): TxSpan[];
}

interface SpanRecord {
  span: TxSpan;
}

class TxSpanIndex implements TxIndex {
  private records: SpanRecord[] = [];
  private spanList: TxSpan[] = [];
  private starts: number[] = [];
  private open = new Map<string, SpanRecord>();
  private maxClosedLength = 0;
  /** per path: steps that wrote or removed it or created or removed a child (its generation moved) */
  private changeSeqs = new Map<string, number[]>();
  /** every step that changed the store, with the first path it changed */
  private storeSeqs: number[] = [];
  private storePaths: string[] = [];
  private mark: TraceMark = { length: 0, last: undefined };

  get indexedLength(): number {
    return this.mark.length;
  }

  get spans(): readonly TxSpan[] {
    return this.spanList;
  }

  extend(trace: readonly TraceEntry[]): void {
    if (!isSamePrefix(trace, this.mark)) this.reset();
    for (let i = this.mark.length; i < trace.length; i++) this.read(trace[i] as TraceEntry);
    this.mark = markOf(trace);
  }

  private reset(): void {
    this.records = [];
    this.spanList = [];
    this.starts = [];
    this.open = new Map();
    this.maxClosedLength = 0;
    this.changeSeqs = new Map();
    this.storeSeqs = [];
    this.storePaths = [];
    this.mark = { length: 0, last: undefined };
  }

  private read(entry: TraceEntry): void {
    const seq = entry.seq;
    for (const e of entry.effects) {
      if (e.k === 'node-write' || e.k === 'node-remove') {
        this.changed(e.path, seq);
        if (e.k === 'node-remove' || e.old === null) this.changed(getParent(e.path), seq);
        if (this.storeSeqs[this.storeSeqs.length - 1] !== seq) {
          this.storeSeqs.push(seq);
          this.storePaths.push(e.path);
        }
      } else if (e.k === 'tx') {
        const key = `${e.actor}#${e.txId}`;
        const prev = this.open.get(key);
        if (e.outcome === 'start') {
          if (prev !== undefined) this.close(key, prev, seq, 'reset');
          const span: TxSpan = {
            actor: e.actor,
            txId: e.txId,
            startSeq: seq,
            endSeq: null,
            outcome: 'open',
            reads: [],
            writes: [],
          };
          const r: SpanRecord = { span };
          this.records.push(r);
          this.spanList.push(span);
          this.starts.push(seq);
          this.open.set(key, r);
        } else if (prev !== undefined) {
          this.close(key, prev, seq, e.outcome);
          // xenstored names the read and write sets when the transaction ends
          prev.span.reads = e.reads ?? [];
          prev.span.writes = e.writes ?? [];
          if (e.forced === true) prev.span.forced = true;
          else if (e.outcome === 'eagain') this.findConflict(prev.span, e.conflictPath);
        }
      }
    }
  }

  private changed(path: string, seq: number): void {
    const seqs = this.changeSeqs.get(path);
    if (seqs === undefined) this.changeSeqs.set(path, [seq]);
    else if (seqs[seqs.length - 1] !== seq) seqs.push(seq);
  }

  private close(key: string, r: SpanRecord, seq: number, outcome: TxOutcome): void {
    r.span.endSeq = seq;
    r.span.outcome = outcome;
    this.open.delete(key);
    this.maxClosedLength = Math.max(this.maxClosedLength, seq - r.span.startSeq);
  }

  /** read-set: the last change of the path before the end; global: the first store change after the start. */
  private findConflict(span: TxSpan, conflictPath: string | undefined): void {
    const end = span.endSeq ?? Infinity;
    if (conflictPath !== undefined) {
      span.conflictPath = conflictPath;
      const seqs = this.changeSeqs.get(conflictPath) ?? [];
      const last = seqs[countBefore(seqs, end) - 1];
      if (last !== undefined && last > span.startSeq) span.conflictSeq = last;
      return;
    }
    const i = countBefore(this.storeSeqs, span.startSeq + 1);
    const seq = this.storeSeqs[i];
    if (seq !== undefined && seq < end) {
      span.conflictSeq = seq;
      span.conflictPath = this.storePaths[i] as string;
    }
  }

  /** Closed spans are at most `maxClosedLength` long, so only starts from `from` minus that can reach it. */
  private overlappingRecords(from: number, to: number): SpanRecord[] {
    const out: SpanRecord[] = [];
    const oldest = from - this.maxClosedLength;
    for (const r of this.open.values()) if (r.span.startSeq < oldest) out.push(r);
    const hi = countBefore(this.starts, to + 1);
    for (let i = countBefore(this.starts, oldest); i < hi; i++) {
      const r = this.records[i] as SpanRecord;
      if ((r.span.endSeq ?? Infinity) >= from) out.push(r);
    }
    return out.sort((a, b) => a.span.startSeq - b.span.startSeq);
  }

  overlapping(from: number, to: number): TxSpan[] {
    return this.overlappingRecords(from, to).map((r) => r.span);
  }

  spansAt(cursor: number): TxSpan[] {
    return this.overlappingRecords(cursor - 1, cursor - 1)
      .filter((r) => r.span.endSeq === null || r.span.endSeq >= cursor)
      .map(({ span }) => ({
        actor: span.actor,
        txId: span.txId,
        startSeq: span.startSeq,
        endSeq: null,
        outcome: 'open',
        // the sets are known from the end step on
        reads: [],
        writes: [],
      }));
  }
}

/** Indexes the transactions of `trace` (one pass); keep it and call `extend` as the trace grows. */
export function createTxIndex(trace: readonly TraceEntry[]): TxIndex {
  const index = new TxSpanIndex();
  index.extend(trace);
  return index;
}

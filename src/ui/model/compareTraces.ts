/**
 * Compare mode: two traces of one script under two profiles, aligned step by step. Steps are
 * matched by what they say (the summary, with transaction numbers left out, since those drift
 * apart once the runs differ), using Myers' O((N+M)·D) shortest edit script; matched steps whose
 * store writes or transitions differ are marked as changed. Pure.
 */
import type { TraceEntry } from '../../sim/world/trace';

export type RowKind = 'same' | 'changed' | 'only-a' | 'only-b';

export interface CompareRow {
  kind: RowKind;
  /** step in trace A / B, null where that side has none */
  a: number | null;
  b: number | null;
}

export interface Comparison {
  rows: CompareRow[];
  /** index into `rows` of the first row that is not `same`; null if the traces agree */
  firstDivergence: number | null;
  /** the edit distance (steps only in A plus steps only in B) */
  distance: number;
}

/** What a step says, for matching: its summary without transaction numbers. */
export function stepKey(e: TraceEntry): string {
  return e.summary
    .replace(/\[tx \d+\]/g, '[tx]')
    .replace(/TRANSACTION_START {2}→ "\d+"/, 'TRANSACTION_START → "#"');
}

/** The store writes and transitions of a step, as text, to tell matched steps apart. */
function outcomeOf(e: TraceEntry): string {
  let s = '';
  for (const f of e.effects) {
    if (f.k === 'node-write') s += `w ${f.path}=${f.value}\n`;
    else if (f.k === 'node-remove') s += `r ${f.path}\n`;
    else if (f.k === 'transition') s += `t ${f.device} ${f.from}>${f.to}\n`;
  }
  return s;
}

/** Above this edit distance the traces are reported as one block of differences after the common prefix. */
const MAX_D = 4000;

export function compareTraces(a: readonly TraceEntry[], b: readonly TraceEntry[]): Comparison {
  const ka = a.map(stepKey);
  const kb = b.map(stepKey);
  // common prefix and suffix first: most of two related runs
  let pre = 0;
  while (pre < ka.length && pre < kb.length && ka[pre] === kb[pre]) pre++;
  let suf = 0;
  while (
    suf < ka.length - pre &&
    suf < kb.length - pre &&
    ka[ka.length - 1 - suf] === kb[kb.length - 1 - suf]
  )
    suf++;
  const midA = ka.slice(pre, ka.length - suf);
  const midB = kb.slice(pre, kb.length - suf);
  const script = myers(midA, midB);
  const rows: CompareRow[] = [];
  const push = (i: number | null, j: number | null) => {
    let kind: RowKind;
    if (i === null) kind = 'only-b';
    else if (j === null) kind = 'only-a';
    else kind = outcomeOf(a[i] as TraceEntry) === outcomeOf(b[j] as TraceEntry) ? 'same' : 'changed';
    rows.push({ kind, a: i, b: j });
  };
  for (let i = 0; i < pre; i++) push(i, i);
  for (const op of script) push(op.a === null ? null : op.a + pre, op.b === null ? null : op.b + pre);
  for (let s = suf; s > 0; s--) push(a.length - s, b.length - s);
  const first = rows.findIndex((r) => r.kind !== 'same');
  return {
    rows,
    firstDivergence: first < 0 ? null : first,
    distance: rows.filter((r) => r.kind === 'only-a' || r.kind === 'only-b').length,
  };
}

/** Myers' greedy shortest edit script; past MAX_D, everything is a deletion then an insertion. */
function myers(a: readonly string[], b: readonly string[]): Array<{ a: number | null; b: number | null }> {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_D);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    const ops: Array<{ a: number | null; b: number | null }> = [];
    for (let i = 0; i < n; i++) ops.push({ a: i, b: null });
    for (let j = 0; j < m; j++) ops.push({ a: null, b: j });
    return ops;
  }
  // walk back through the saved frontiers
  const ops: Array<{ a: number | null; b: number | null }> = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const vd = trace[d] as Int32Array;
    const k = x - y;
    const prevK =
      k === -d || (k !== d && (vd[offset + k - 1] as number) < (vd[offset + k + 1] as number))
        ? k + 1
        : k - 1;
    const prevX = d === 0 ? 0 : (vd[offset + prevK] as number);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ a: --x, b: --y });
    if (d > 0) {
      if (x === prevX) ops.push({ a: null, b: --y });
      else ops.push({ a: --x, b: null });
    }
  }
  while (x > 0 && y > 0) ops.push({ a: --x, b: --y });
  return ops.reverse();
}

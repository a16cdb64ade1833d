/** The trace as an aligned text table (one row per step). */
import type { TraceEntry } from '../../src/sim/world/trace';

export function formatTraceTable(trace: readonly TraceEntry[]): string {
  const rows = trace.map((e) => [
    String(e.seq),
    `${e.time}ms`,
    e.actor,
    e.kind,
    e.summary,
    e.code ? `${e.code.fn} (${e.code.file})` : '',
  ]);
  const head = ['seq', 'time', 'actor', 'kind', 'summary', 'code'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i]!.length, 100))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

import { useMemo, useState } from 'react';
import { findPlayable } from '../../../sim/scenarios/demos';
import { runScenario } from '../../../sim/scenarios/run';
import type { TraceEntry } from '../../../sim/world/trace';
import { useFollowScroll } from '../../app/useFollowScroll';
import { useTimeline } from '../../app/useTimeline';
import { useView } from '../../app/useView';
import { useXenScope } from '../../app/useXenScope';
import { visibleRows } from '../../layout/virtualRows';
import { compareTraces, type CompareRow } from '../../model/compareTraces';

const ROW_H = 22;

const KIND_TEXT: Record<CompareRow['kind'], string> = {
  same: 'same',
  changed: 'same step, different writes or transitions',
  'only-a': 'only in A',
  'only-b': 'only in B',
};

/**
 * Compare mode, in place of the sequence chart: the open run (A) and a second one (B) aligned step
 * by step; steps only one side has, and matched steps whose store writes or transitions differ, are
 * marked. A row shows A at that step; "first divergence" jumps there.
 */
export function CompareView() {
  const app = useXenScope();
  const target = useView((s) => s.compareWith);
  const cursor = useTimeline((s) => s.cursor);
  const version = useTimeline((s) => s.traceVersion);
  const world = useTimeline((s) => s.world);
  const request = useTimeline((s) => s.request);
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const other = useMemo(() => {
    if (target === null) return null;
    const s = findPlayable(target.scenario);
    if (s === undefined) return { error: `no scenario ${target.scenario}` } as const;
    try {
      return { trace: runScenario(s, { profile: target.profile, seed: target.seed }).trace } as const;
    } catch (e) {
      return { error: (e as Error).message } as const;
    }
  }, [target]);
  const comparison = useMemo(() => {
    const a = world()?.trace;
    if (a === undefined || other === null || 'error' in other) return null;
    return compareTraces(a, other.trace);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for trace A
  }, [world, version, other]);
  const rows = useMemo(
    () =>
      comparison === null
        ? []
        : onlyDifferences
          ? comparison.rows.filter((r) => r.kind !== 'same')
          : comparison.rows,
    [comparison, onlyDifferences],
  );
  // the row of the last step run in A sits in the middle
  const current = useMemo(() => rows.findIndex((r) => r.a === cursor - 1), [rows, cursor]);
  const { ref: scrollRef, ...scroll } = useFollowScroll(
    (height) =>
      current < 0 ? 0 : Math.min(current * ROW_H - (height - ROW_H) / 2, rows.length * ROW_H - height),
    cursor,
  );
  if (target === null) return null;
  const a = world()?.trace ?? [];
  const b: readonly TraceEntry[] =
    other !== null && 'trace' in other && other.trace !== undefined ? other.trace : [];
  const { first, end } = visibleRows(rows.length, ROW_H, scroll.top, scroll.height);
  const divergence = comparison?.firstDivergence ?? null;
  const jumpTo = (r: CompareRow | undefined) => {
    if (r === undefined) return;
    // a step only B has: show A where it stood just before
    const index = comparison?.rows.indexOf(r) ?? -1;
    let seq = r.a;
    for (let i = index; seq === null && i >= 0; i--) seq = comparison?.rows[i]?.a ?? null;
    app.seek((seq ?? -1) + 1);
  };
  return (
    <div className="compare" data-testid="compare">
      <div className="compare__head">
        <span>
          A: {request?.scenario} {request?.profile} · B: {target.scenario} {target.profile} (seed{' '}
          {target.seed})
        </span>
        {other !== null && 'error' in other && <span role="alert">B cannot run: {other.error}</span>}
        {comparison !== null && (
          <span data-testid="compare.summary">
            {comparison.distance} step{comparison.distance === 1 ? '' : 's'} differ
            {divergence === null ? ' · the runs agree' : ''}
          </span>
        )}
        {divergence !== null && (
          <button
            type="button"
            data-testid="compare.first-divergence"
            onClick={() => jumpTo(comparison?.rows[divergence])}
          >
            First divergence
          </button>
        )}
        <label>
          <input
            type="checkbox"
            checked={onlyDifferences}
            onChange={(e) => setOnlyDifferences(e.target.checked)}
          />{' '}
          differences only
        </label>
        <button
          type="button"
          data-testid="compare.close"
          onClick={() => app.view.getState().setCompareWith(null)}
        >
          Close
        </button>
      </div>
      <div className="compare__scroll" ref={scrollRef} onScroll={scroll.onScroll}>
        <div className="compare__canvas" style={{ height: rows.length * ROW_H }}>
          {rows.slice(first, end).map((r, i) => {
            const index = first + i;
            return (
              <button
                type="button"
                key={`${r.a}-${r.b}`}
                className={`compare__row compare__row--${r.kind}${index === current ? ' compare__row--current' : ''}`}
                style={{ top: index * ROW_H, height: ROW_H }}
                title={KIND_TEXT[r.kind]}
                data-testid={`compare.row.${index}`}
                data-kind={r.kind}
                onClick={() => jumpTo(r)}
              >
                <span className="compare__seq">{r.a ?? ''}</span>
                <span className="compare__side">{r.a === null ? '' : a[r.a]?.summary}</span>
                <span className="compare__seq">{r.b ?? ''}</span>
                <span className="compare__side">{r.b === null ? '' : b[r.b]?.summary}</span>
              </button>
            );
          })}
        </div>
      </div>
    </div>
  );
}

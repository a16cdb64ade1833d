import { useMemo, useState } from 'react';
import { useFollowScroll } from '../../app/useFollowScroll';
import type { TraceEntry } from '../../../sim/world/trace';
import { useTimeline } from '../../app/useTimeline';
import { useTraceDerived } from '../../app/useTraceDerived';
import { useTraceIndexes } from '../../app/useTraceIndexes';
import { useWhyChain } from '../../app/useWhyChain';
import { kernelEpochs } from '../../model/epochs';
import { lintTrace, type LintFinding } from '../../../sim/lint/lint';
import type { ConflictRule, TxSpan } from '../../model/txSpans';
import { EpochLifelines } from './EpochMarks';
import { ConflictArrows, TxDetail, TxSpans } from './TxSpans';
import { useXenScope } from '../../app/useXenScope';
import { sequenceLanes, type Lane } from '../../layout/lanes';
import { stepMarks, traceActors, type ArrowKind } from '../../layout/stepArrows';
import { visibleRows } from '../../layout/virtualRows';

/** Lint findings by step: one line of text each (a step may break several rules). */
function lintBySeq(findings: readonly LintFinding[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const f of findings) {
    const line = `${f.message} (${f.spec})`;
    out.set(f.seq, out.has(f.seq) ? `${out.get(f.seq)}\n${line}` : line);
  }
  return out;
}

/** The chart's lanes for a trace (module-level: shared through the trace's indexes). */
const traceLanes = (trace: readonly TraceEntry[]) => sequenceLanes(traceActors(trace), LANE_W);

/** Row height, px: one step per row. */
export const ROW_H = 22;
const LANE_W = 70;
const GUTTER = 52;

/** The short name shown in a lane's header. */
function laneTitle(lane: Lane): string {
  if (lane.group === 'kernel') return lane.actor.replace(/^dom(\d+)\./, 'd$1 ');
  if (lane.group === 'toolstack') return 'xl';
  if (lane.group === 'hypervisor') return 'Xen';
  return lane.actor.replace(/^dom0\./, '');
}

const ARROW_CLASS: Record<ArrowKind, string> = {
  request: 'arrow arrow--request',
  reply: 'arrow arrow--reply',
  watch: 'arrow arrow--watch',
  hypercall: 'arrow arrow--hypercall',
  action: 'arrow arrow--action',
};

interface RowProps {
  entry: TraceEntry;
  laneX: ReadonlyMap<string, number>;
}

/** One step's marks: a dot on its lane and its arrows, drawn in the row's own coordinates. */
function RowMarks({ entry, laneX }: RowProps) {
  const marks = stepMarks(entry);
  const y = entry.seq * ROW_H + ROW_H / 2;
  const x = laneX.get(marks.lane);
  return (
    <g>
      {marks.arrows.map((a, i) => {
        const x1 = laneX.get(a.from);
        const x2 = laneX.get(a.to);
        if (x1 === undefined || x2 === undefined || x1 === x2) return null;
        const dir = x2 > x1 ? 1 : -1;
        return (
          <line
            key={i}
            className={ARROW_CLASS[a.kind]}
            x1={x1}
            x2={x2 - dir * 4}
            y1={y}
            y2={y}
            markerEnd={`url(#arrowhead-${a.kind})`}
          />
        );
      })}
      {x !== undefined && <circle className={`dot dot--${entry.kind}`} cx={x} cy={y} r={3.5} />}
    </g>
  );
}

/**
 * The timeline: one lane per actor, one row per step, arrows for requests, replies and watch events.
 * Only the rows in view are drawn (100,000 steps scroll like 100); clicking a row shows the world
 * after that step; the cursor's row stays in view while playing.
 */
export function SequenceChart() {
  const app = useXenScope();
  const length = useTimeline((s) => s.length);
  const cursor = useTimeline((s) => s.cursor);
  const world = useTimeline((s) => s.world);
  const lanes = useTraceDerived(traceLanes);
  const epochs = useTraceDerived(kernelEpochs);
  const findings = useTraceDerived(lintTrace);
  const lint = useMemo(() => lintBySeq(findings), [findings]);
  const why = useWhyChain();
  const txIndex = useTraceIndexes().transactions;
  const withEpochs = useMemo(() => new Set(epochs.flatMap((d) => d.epochs.map((k) => k.actor))), [epochs]);
  const laneX = useMemo(() => new Map(lanes.map((l) => [l.actor, l.x])), [lanes]);
  const lanesWidth = lanes.length * LANE_W;
  const [shownSpan, setShownSpan] = useState<TxSpan | null>(null);
  // the row of the last step run sits in the middle of the view: where the chart scrolls is a
  // function of the cursor alone, so stepping back shows exactly the picture from before
  const { ref: scrollRef, ...scroll } = useFollowScroll(
    (height) => Math.min((cursor - 1) * ROW_H - (height - ROW_H) / 2, length * ROW_H - height),
    cursor,
  );
  const view = { top: scroll.top, height: scroll.height };

  const trace = world()?.trace ?? [];
  const { first, end } = visibleRows(length, ROW_H, view.top, view.height);
  const rows = trace.slice(first, end);
  const spans = txIndex.overlapping(first, end);
  const w = world();
  const rule: ConflictRule =
    w === null
      ? 'read-set'
      : ((w.options['conflictPolicy'] as ConflictRule | undefined) ?? w.profile.store.conflictPolicy);

  return (
    <div className="chart" data-testid="chart">
      <div className="chart__header" style={{ paddingLeft: GUTTER }} aria-hidden="true">
        {lanes.map((l) => (
          <span
            key={l.actor}
            className={`chart__lane chart__lane--${l.group}`}
            style={{ width: LANE_W }}
            title={l.actor}
          >
            {laneTitle(l)}
          </span>
        ))}
        <span className="chart__lane chart__lane--summary">step</span>
      </div>
      <div className="chart__scroll" ref={scrollRef} data-testid="chart.scroll" onScroll={scroll.onScroll}>
        <div className="chart__canvas" style={{ height: length * ROW_H }}>
          <svg
            className="chart__marks"
            width={lanesWidth}
            height={(end - first) * ROW_H}
            viewBox={`0 ${first * ROW_H} ${lanesWidth} ${(end - first) * ROW_H}`}
            style={{ top: first * ROW_H, left: GUTTER }}
            aria-hidden="true"
          >
            <defs>
              {[...(Object.keys(ARROW_CLASS) as ArrowKind[]), 'conflict'].map((k) => (
                <marker
                  key={k}
                  id={`arrowhead-${k}`}
                  className={`head head--${k}`}
                  viewBox="0 0 8 8"
                  refX="7"
                  refY="4"
                  markerWidth="7"
                  markerHeight="7"
                  orient="auto"
                >
                  <path d="M0,0 L8,4 L0,8 z" />
                </marker>
              ))}
            </defs>
            {lanes
              .filter((l) => !withEpochs.has(l.actor))
              .map((l) => (
                <line
                  key={l.actor}
                  className="lifeline"
                  x1={l.x}
                  x2={l.x}
                  y1={first * ROW_H}
                  y2={end * ROW_H}
                />
              ))}
            <EpochLifelines domains={epochs} laneX={laneX} rowHeight={ROW_H} first={first} end={end} />
            <ConflictArrows spans={spans} laneX={laneX} rowHeight={ROW_H} />
            {rows.map((e) => (
              <RowMarks key={e.seq} entry={e} laneX={laneX} />
            ))}
          </svg>
          {rows.map((e) => (
            <button
              type="button"
              key={e.seq}
              className={`chart__row${e.seq === cursor - 1 ? ' chart__row--current' : ''}${e.seq >= cursor ? ' chart__row--future' : ''}${why?.steps.has(e.seq) === true ? ' chart__row--why' : ''}`}
              style={{ top: e.seq * ROW_H, height: ROW_H, paddingLeft: GUTTER + lanesWidth + 8 }}
              data-testid={`chart.row.${e.seq}`}
              aria-current={e.seq === cursor - 1 ? 'step' : undefined}
              onClick={() => app.seek(e.seq + 1)}
            >
              <span className="chart__seq">{e.seq}</span>
              {lint.has(e.seq) && (
                <span className="chart__lint" role="img" aria-label={lint.get(e.seq)} title={lint.get(e.seq)}>
                  !
                </span>
              )}
              <span className="chart__summary">{e.summary}</span>
            </button>
          ))}
          <TxSpans
            spans={spans}
            laneX={laneX}
            rowHeight={ROW_H}
            left={GUTTER}
            length={length}
            onShow={setShownSpan}
          />
          {epochs.flatMap((d) =>
            d.boundaries
              .filter((b) => b.seq >= first && b.seq < end)
              .map((b) => (
                <button
                  type="button"
                  key={`${b.domid}-${b.seq}`}
                  className="chart__boundary"
                  style={{ top: b.seq * ROW_H + 2, height: ROW_H - 4 }}
                  data-testid={`chart.boundary.${b.domid}.${b.seq}`}
                  onClick={() => {
                    app.seek(b.seq + 1);
                    app.view.getState().setInspectorTab('kernels');
                  }}
                >
                  {b.kind === 'jump-back' ? 'jump back' : b.kind === 'jump' ? 'kexec jump' : 'kexec'}: what
                  survived?
                </button>
              )),
          )}
        </div>
      </div>
      {shownSpan !== null && <TxDetail span={shownSpan} rule={rule} />}
    </div>
  );
}

import { useTimeline } from '../../app/useTimeline';
import type { DeviceHistory } from '../../model/deviceHistory';
import type { WorldView } from '../../model/worldView';

interface StateMatrixProps {
  view: WorldView;
  history: DeviceHistory;
  onZoom: (pairId: string) => void;
}

const CELL_W = 96;
const CELL_H = 22;
const HEAD_W = 64;

type Segments = Array<{ seq: number; state: string }>;

/** Segments already worked out, per trace's device history (a cell is drawn every frame while playing). */
const SEGMENTS = new WeakMap<DeviceHistory, Map<string, Segments>>();

/** The states a device went through, as (from step, state) segments over the whole trace. */
function segments(history: DeviceHistory, key: string): Segments {
  let known = SEGMENTS.get(history);
  if (known === undefined) SEGMENTS.set(history, (known = new Map()));
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const out: Segments = [];
  for (const life of history.get(key) ?? []) {
    out.push({ seq: life.createdAt, state: 'Initialising' });
    for (const s of life.states) out.push({ seq: s.seq, state: s.to });
    if (life.freedAt !== null) out.push({ seq: life.freedAt, state: 'none' });
  }
  known.set(key, out);
  return out;
}

/**
 * Many devices: domains × devices, each cell the frontend's XenbusState over the whole trace (a
 * strip of coloured segments, the cursor as a line) and its current state as the cell's edge.
 * Clicking a cell zooms the map to that pair. Plain SVG rects: a few per cell, far under the budget
 * of animated elements.
 */
export function StateMatrix({ view, history, onZoom }: StateMatrixProps) {
  const length = useTimeline((s) => s.length);
  const cursor = useTimeline((s) => s.cursor);
  const columns = [...new Set(view.pairs.map((p) => `${p.type} ${p.devid}`))].sort();
  const domids = [...new Set(view.pairs.map((p) => p.frontendDomid))].sort((a, b) => a - b);
  const scale = (seq: number) => (length === 0 ? 0 : (seq / length) * (CELL_W - 6));
  return (
    <div className="matrix" data-testid="world.matrix-view">
      <p className="matrix__caption">
        {view.pairs.length} device pairs: each cell is a frontend’s xenbus state over the whole run; the line
        is the current step. Choose a cell to see the pair.
      </p>
      <svg
        width={HEAD_W + columns.length * CELL_W}
        height={24 + domids.length * CELL_H}
        role="grid"
        aria-label="Device states"
      >
        {columns.map((c, i) => (
          <text key={c} x={HEAD_W + i * CELL_W + 3} y={16} className="matrix__head">
            {c}
          </text>
        ))}
        {domids.map((domid, r) => (
          <g key={domid} transform={`translate(0,${24 + r * CELL_H})`} role="row">
            <text x={4} y={15} className="matrix__head">
              dom{domid}
            </text>
            {columns.map((c, i) => {
              const pair = view.pairs.find((p) => p.frontendDomid === domid && `${p.type} ${p.devid}` === c);
              if (pair === undefined) return null;
              const end = pair.frontends.at(-1);
              const segs = end === undefined ? [] : segments(history, end.key);
              return (
                <g
                  key={c}
                  transform={`translate(${HEAD_W + i * CELL_W},0)`}
                  className={`cell state--${end?.state ?? 'none'}`}
                  role="gridcell"
                  tabIndex={0}
                  aria-label={`dom${domid} ${c}: ${end?.state ?? 'no frontend'}`}
                  data-testid={`matrix.${pair.id}`}
                  onClick={() => onZoom(pair.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') onZoom(pair.id);
                  }}
                >
                  <rect className="cell__frame" width={CELL_W - 4} height={CELL_H - 4} rx={3} />
                  {segs.map((s, k) => {
                    const next = segs[k + 1]?.seq ?? length;
                    return (
                      <rect
                        key={k}
                        className={`seg state--${s.state}`}
                        x={2 + scale(s.seq)}
                        y={3}
                        width={Math.max(0.5, scale(next) - scale(s.seq))}
                        height={CELL_H - 10}
                      />
                    );
                  })}
                  <line
                    className="cell__cursor"
                    x1={2 + scale(cursor)}
                    x2={2 + scale(cursor)}
                    y1={1}
                    y2={CELL_H - 5}
                  />
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </div>
  );
}

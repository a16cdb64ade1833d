import { useTraceIndexes } from '../../app/useTraceIndexes';
import { useView } from '../../app/useView';
import { watchPulsesAt } from '../../model/watchPulses';

interface WatchPulsesProps {
  /** row index of each path shown */
  rowOf: ReadonlyMap<string, number>;
  rowHeight: number;
  /** width of the panel, px */
  width: number;
}

/**
 * The animated layer of the store view: each watch event in flight is a dot travelling from its
 * node's row to the watcher's badge at the right, placed from the clock's position between the
 * step that fired it and the one that delivered it (CONVENTIONS.md 7). Re-renders every frame;
 * the tree under it does not.
 */
export function WatchPulses({ rowOf, rowHeight, width }: WatchPulsesProps) {
  const position = useView((s) => s.clock.position);
  const indexes = useTraceIndexes();
  const pulses = watchPulsesAt(indexes.watches, position);
  if (pulses.length === 0) return null;
  return (
    <svg className="store__pulses" aria-hidden="true" width={width} height="100%">
      {pulses.map((p, i) => {
        const row = rowOf.get(p.path) ?? rowOf.get(p.path.slice(0, p.path.lastIndexOf('/')));
        if (row === undefined) return null;
        const y0 = row * rowHeight + rowHeight / 2;
        const x0 = 40;
        const x1 = Math.max(x0 + 40, width - 90);
        const x = x0 + (x1 - x0) * p.fraction;
        return (
          <g key={`${p.actor}-${p.path}-${p.token}-${i}`} className="pulse">
            <line className="pulse__trail" x1={x0} x2={x} y1={y0} y2={y0} />
            <circle className="pulse__dot" cx={x} cy={y0} r={5} />
            <text className="pulse__label" x={x + 8} y={y0 + 4}>
              {p.actor}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

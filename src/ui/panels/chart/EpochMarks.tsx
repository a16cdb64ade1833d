import type { DomainEpochs } from '../../model/epochs';

interface EpochProps {
  domains: readonly DomainEpochs[];
  laneX: ReadonlyMap<string, number>;
  rowHeight: number;
  first: number;
  end: number;
}

/**
 * Kernel lifelines drawn only while each kernel lives (dashed while frozen by a kexec jump), so a
 * domain's lane visibly splits into old and new kernel at each boundary, which is marked across
 * the domain's kernel lanes.
 */
export function EpochLifelines({ domains, laneX, rowHeight, first, end }: EpochProps) {
  const y = (seq: number) => seq * rowHeight + rowHeight / 2;
  const clip = (seq: number) => Math.min(Math.max(seq, first), end);
  return (
    <g className="epochs">
      {domains.flatMap((d) =>
        d.epochs.map((k) => {
          const x = laneX.get(k.actor);
          if (x === undefined) return null;
          const from = clip(k.startSeq);
          const to = clip(k.endSeq ?? end);
          return (
            <g key={k.actor}>
              {to > from && (
                <line className="lifeline lifeline--kernel" x1={x} x2={x} y1={y(from)} y2={y(to)} />
              )}
              {k.frozenRanges.map(([a, b], i) => {
                const fa = clip(a);
                const fb = clip(b ?? end);
                return fb > fa ? (
                  <line key={i} className="lifeline lifeline--frozen" x1={x} x2={x} y1={y(fa)} y2={y(fb)} />
                ) : null;
              })}
            </g>
          );
        }),
      )}
      {domains.flatMap((d) =>
        d.boundaries.map((b) => {
          const xs = d.epochs.map((k) => laneX.get(k.actor)).filter((x): x is number => x !== undefined);
          if (xs.length === 0 || b.seq < first || b.seq > end) return null;
          return (
            <line
              key={`${b.domid}-${b.seq}`}
              className={`boundary boundary--${b.kind}`}
              x1={Math.min(...xs) - 20}
              x2={Math.max(...xs) + 20}
              y1={y(b.seq)}
              y2={y(b.seq)}
            />
          );
        }),
      )}
    </g>
  );
}

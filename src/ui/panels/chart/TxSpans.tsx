import type { TxSpan } from '../../model/txSpans';
import { conflictRuleText, type ConflictRule } from '../../model/txSpans';

interface TxSpansProps {
  spans: readonly TxSpan[];
  laneX: ReadonlyMap<string, number>;
  rowHeight: number;
  /** where the lanes start, px from the canvas's left */
  left: number;
  /** the trace's length: an open span runs to its end */
  length: number;
  /** the span pointed at or focused (null when none), for the chart's detail bar */
  onShow: (span: TxSpan | null) => void;
}

const OUTCOME_TEXT: Record<TxSpan['outcome'], string> = {
  open: 'still open',
  commit: 'committed',
  abort: 'aborted',
  eagain: 'EAGAIN: the commit failed and must be redone',
  reset: 'reset (the connection was reset)',
};

/**
 * Transactions as spans beside their client's lifeline, start to end, coloured by how they ended;
 * hovering or focusing one shows its read set and write set, and for an EAGAIN the node that
 * conflicted, the step that changed it, and the conflict rule in words.
 */
export function TxSpans({ spans, laneX, rowHeight, left, length, onShow }: TxSpansProps) {
  return (
    <>
      {spans.map((s) => {
        const x = laneX.get(s.actor);
        if (x === undefined) return null;
        const top = s.startSeq * rowHeight + rowHeight / 2;
        const bottom = (s.endSeq ?? length) * rowHeight + rowHeight / 2;
        return (
          <div
            key={`${s.actor}-${s.txId}-${s.startSeq}`}
            className={`txspan txspan--${s.outcome}`}
            style={{ left: left + x - 9, top, height: Math.max(4, bottom - top) }}
            tabIndex={0}
            role="note"
            aria-label={`${s.actor} transaction ${s.txId}, steps ${s.startSeq}–${s.endSeq ?? 'end'}: ${OUTCOME_TEXT[s.outcome]}`}
            data-testid={`tx.${s.actor}.${s.startSeq}`}
            onMouseEnter={() => onShow(s)}
            onMouseLeave={() => onShow(null)}
            onFocus={() => onShow(s)}
            onBlur={() => onShow(null)}
          />
        );
      })}
    </>
  );
}

/** EAGAIN arrows, in the chart's SVG: from the conflicting change (xenstored) to the failed commit. */
export function ConflictArrows({
  spans,
  laneX,
  rowHeight,
}: Pick<TxSpansProps, 'spans' | 'laneX' | 'rowHeight'>) {
  const xs = laneX.get('xenstored');
  return (
    <g className="conflicts">
      {spans.map((s) => {
        const x = laneX.get(s.actor);
        if (
          s.outcome !== 'eagain' ||
          s.conflictSeq === undefined ||
          s.endSeq === null ||
          x === undefined ||
          xs === undefined
        )
          return null;
        const y1 = s.conflictSeq * rowHeight + rowHeight / 2;
        const y2 = s.endSeq * rowHeight + rowHeight / 2;
        const bend = x > xs ? 24 : -24;
        return (
          <path
            key={`${s.actor}-${s.startSeq}`}
            className="conflict"
            d={`M${xs},${y1} C${xs + bend},${y1} ${x - 9 - bend},${y2} ${x - 9},${y2}`}
            markerEnd="url(#arrowhead-conflict)"
          />
        );
      })}
    </g>
  );
}

/** The span's read set, write set and, for an EAGAIN, the conflict and the rule, in words. */
export function TxDetail({ span, rule }: { span: TxSpan; rule: ConflictRule }) {
  return (
    <div className="chart__detail" role="status" data-testid="tx.detail">
      <strong>
        {span.actor} transaction {span.txId}
      </strong>{' '}
      steps {span.startSeq}–{span.endSeq ?? '…'}: {OUTCOME_TEXT[span.outcome]}
      {span.outcome === 'open' ? (
        <div>read and write sets: known when the transaction ends</div>
      ) : (
        <>
          <div>
            <em>read set</em> ({span.reads.length}): {span.reads.join(', ') || '—'}
          </div>
          <div>
            <em>write set</em> ({span.writes.length}): {span.writes.join(', ') || '—'}
          </div>
        </>
      )}
      {span.forced === true && (
        <div className="txspan__conflict">forced to EAGAIN by a fault: nothing conflicted</div>
      )}
      {span.outcome === 'eagain' && span.forced !== true && (
        <div className="txspan__conflict">
          conflict: {span.conflictPath ?? 'unknown node'}
          {span.conflictSeq !== undefined && ` changed at step ${span.conflictSeq}`}. Rule:{' '}
          {conflictRuleText(rule)}.
        </div>
      )}
    </div>
  );
}

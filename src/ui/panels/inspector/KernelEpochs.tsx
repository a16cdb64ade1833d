import { useTimeline } from '../../app/useTimeline';
import { useTraceDerived } from '../../app/useTraceDerived';
import { useTraceIndexes } from '../../app/useTraceIndexes';
import { useXenScope } from '../../app/useXenScope';
import { kernelEpochs, survivedAt } from '../../model/epochs';

const KIND_TEXT = { kexec: 'kexec', jump: 'kexec jump', 'jump-back': 'jump back' } as const;

/**
 * Across kexec a domain's kernels follow each other: each boundary gets a "what survived" card
 * (store nodes kept, backends left connected, grants still mapped, the old kernel's watches and what
 * became of them); a kexec jump has its return boundary too.
 */
export function KernelEpochs() {
  const app = useXenScope();
  const cursor = useTimeline((s) => s.cursor);
  const trace = useTimeline((s) => s.world)()?.trace ?? [];
  const domains = useTraceDerived(kernelEpochs);
  const history = useTraceIndexes().history;
  const boundaries = domains.flatMap((d) => d.boundaries).filter((b) => b.seq < cursor);
  if (domains.every((d) => d.boundaries.length === 0))
    return <p className="inspector__hint">No kexec in this run: every domain keeps its first kernel.</p>;
  if (boundaries.length === 0)
    return (
      <p className="inspector__hint">
        The first kernel boundary is ahead of the cursor; step on to reach it.
      </p>
    );
  return (
    <div className="epochs" data-testid="inspector.epochs">
      {boundaries.map((b) => {
        const card = survivedAt(trace, b, history);
        return (
          <section
            key={`${b.domid}-${b.seq}`}
            className="survived"
            data-testid={`survived.${b.domid}.${b.seq}`}
          >
            <h3>
              dom{b.domid}: {b.from} → {b.to} ({KIND_TEXT[b.kind]}) at{' '}
              <button type="button" className="linklike" onClick={() => app.seek(b.seq + 1)}>
                step {b.seq}
              </button>
            </h3>
            <dl>
              <dt>Store nodes kept</dt>
              <dd>
                {card.nodes.count} under /local/domain/{b.domid}
                {card.nodes.sample.length > 0 && (
                  <small> (e.g. {card.nodes.sample.slice(0, 3).join(', ')})</small>
                )}
              </dd>
              <dt>Left connected</dt>
              <dd>
                {card.connected.length === 0
                  ? 'nothing'
                  : card.connected.map((c) => `${c.side} ${c.device}`).join('; ')}
              </dd>
              <dt>Grants still mapped</dt>
              <dd>
                {card.mappedGrants.length === 0
                  ? 'none'
                  : card.mappedGrants
                      .map(
                        (g) =>
                          `ref ${g.ref} by dom${g.mapper}${g.unmappedAt === null ? ' (never unmapped)' : ` until step ${g.unmappedAt}`}`,
                      )
                      .join('; ')}
              </dd>
              <dt>Old kernel’s watches</dt>
              <dd>
                {card.watches.length === 0
                  ? 'none'
                  : card.watches
                      .map(
                        (w) =>
                          `${w.path}: ${w.removedAt === null ? 'still registered' : `removed at step ${w.removedAt}${w.removedBy === null ? '' : ` by ${w.removedBy}`}`}`,
                      )
                      .join('; ')}
              </dd>
            </dl>
          </section>
        );
      })}
    </div>
  );
}

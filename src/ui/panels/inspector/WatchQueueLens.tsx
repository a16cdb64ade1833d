import { useTimeline } from '../../app/useTimeline';
import { useTraceIndexes } from '../../app/useTraceIndexes';
import { watchActors, watchQueueAt } from '../../model/watchQueue';

const show = (v: string | null) => (v === null ? '(absent)' : `“${v}”`);

/**
 * Per guest kernel, its xenwatch queue as a FIFO at the cursor: the callback running (with the
 * value the watched node had when the event fired next to the value it reads now, so a stale read
 * stands out), the events waiting, and the events dropped or merged lately.
 */
export function WatchQueueLens() {
  const cursor = useTimeline((s) => s.cursor);
  const index = useTraceIndexes().watches;
  const actors = watchActors(index);
  if (actors.length === 0) return <p className="inspector__hint">No kernel has watches yet.</p>;
  return (
    <div className="lens" data-testid="inspector.watch-queues">
      {actors.map((actor) => {
        const q = watchQueueAt(index, actor, cursor);
        return (
          <section key={actor} className="lens__actor" data-testid={`watchq.${actor}`}>
            <h3>
              {actor} xenwatch{' '}
              <span className="lens__count">
                {q.running === null ? 'idle' : 'running'} · {q.pending.length} waiting
              </span>
            </h3>
            {q.running !== null && (
              <div
                className={`lens__running${q.running.stale ? ' lens__running--stale' : ''}`}
                data-testid="watchq.running"
              >
                <span className="lens__label">running</span> {q.running.path}{' '}
                <small>({q.running.token})</small>
                <div className="lens__values">
                  when fired (step {q.running.firedAt ?? '?'}): {show(q.running.valueAtFire)} · now:{' '}
                  {show(q.running.valueNow)}
                  {q.running.stale && (
                    <strong className="lens__stale">
                      {' '}
                      stale: the callback reads a newer state than the one that woke it
                    </strong>
                  )}
                </div>
              </div>
            )}
            {q.pending.length > 0 && (
              <ol className="lens__fifo" aria-label={`${actor} pending watch events, oldest first`}>
                {q.pending.map((p) => (
                  <li key={p.eventSeq}>
                    {p.path}{' '}
                    <small>
                      ({p.token}) queued at step {p.queuedAt}
                    </small>
                  </li>
                ))}
              </ol>
            )}
            {q.dropped.length > 0 && (
              <ul className="lens__dropped" aria-label={`${actor} events dropped`}>
                {q.dropped.map((d, i) => (
                  <li key={i}>
                    dropped at step {d.at}: {d.path} <small>({d.token})</small> —{' '}
                    {d.reason === 'pending'
                      ? 'one for this watch was already queued (merged)'
                      : d.reason === 'unknown-token'
                        ? 'no such watch any more'
                        : 'malformed'}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

import { useState } from 'react';
import { describePending, previewChoice, type Outcome } from '../../../sim/world/preview';
import { useTimeline } from '../../app/useTimeline';
import { useXenScope } from '../../app/useXenScope';

const NO_PREVIEWS: ReadonlyMap<number, Outcome> = new Map();

/** Steps a preview may run ahead before it gives up on quiescence. */
const PREVIEW_STEPS = 5000;

interface Pinned {
  id: number;
  what: string;
  outcome: Outcome;
}

/**
 * Manual interleaving: under the manual policy, the deliveries that could run next at the cursor;
 * each can be previewed (a copy of the world runs ahead to quiescence and says how the handshake
 * ends) and run. Two previews can be pinned side by side to compare the branches.
 */
export function InterleavingPanel() {
  const app = useXenScope();
  const request = useTimeline((s) => s.request);
  const revision = useTimeline((s) => s.revision);
  const world = useTimeline((s) => s.world);
  // previews belong to the position they were made at: the world moving makes them void
  const [made, setMade] = useState<{ revision: number; outcomes: ReadonlyMap<number, Outcome> }>({
    revision,
    outcomes: new Map(),
  });
  const previews = made.revision === revision ? made.outcomes : NO_PREVIEWS;
  const [pinned, setPinned] = useState<Pinned[]>([]);
  const w = world();
  const manual = w?.config.policy === 'manual';
  // read again on every render: the world's pending deliveries move with its position
  const choices =
    w === null || !manual ? [] : w.enabled().map((p) => ({ id: p.id, what: describePending(w, p) }));
  if (request === null || w === null) return null;
  if (!manual)
    return (
      <section className="debug__section" aria-labelledby="manual-heading" data-testid="interleaving">
        <h3 id="manual-heading">Interleaving</h3>
        <p className="inspector__hint">
          The scheduler picks each next delivery ({w.config.policy}). Pick them yourself to try other orders.
        </p>
        <button
          type="button"
          data-testid="interleaving.manual"
          onClick={() => {
            const at = app.timeline.getState().cursor;
            app.open({ ...request, policy: 'manual' });
            app.seek(at);
          }}
        >
          Choose deliveries by hand
        </button>
      </section>
    );
  return (
    <section className="debug__section" aria-labelledby="manual-heading" data-testid="interleaving">
      <h3 id="manual-heading">Interleaving: what runs next?</h3>
      {choices.length === 0 ? (
        <p className="inspector__hint">Nothing is pending here: the world has settled.</p>
      ) : (
        <ol className="interleave__choices">
          {choices.map((c, i) => {
            const outcome = previews.get(c.id);
            return (
              <li key={c.id} data-testid={`interleaving.choice.${i}`}>
                <span className="interleave__what">{c.what}</span>
                <span className="interleave__buttons">
                  <button
                    type="button"
                    className="linklike"
                    data-testid={`interleaving.preview.${i}`}
                    onClick={() =>
                      setMade({
                        revision,
                        outcomes: new Map(previews).set(c.id, previewChoice(w, c.id, PREVIEW_STEPS)),
                      })
                    }
                  >
                    preview
                  </button>{' '}
                  <button
                    type="button"
                    className="linklike"
                    data-testid={`interleaving.run.${i}`}
                    onClick={() => app.pick(c.id)}
                  >
                    run next
                  </button>
                  {outcome !== undefined && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="linklike"
                        onClick={() => setPinned([...pinned.slice(-1), { id: c.id, what: c.what, outcome }])}
                      >
                        pin
                      </button>
                    </>
                  )}
                </span>
                {outcome !== undefined && (
                  <span className="interleave__outcome" data-testid={`interleaving.outcome.${i}`}>
                    → {outcome.label}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {pinned.length > 0 && <PinnedBranches pinned={pinned} onClear={() => setPinned([])} />}
    </section>
  );
}

/** Two pinned branches side by side: each pair's end states, differences marked. */
function PinnedBranches({ pinned, onClear }: { pinned: readonly Pinned[]; onClear: () => void }) {
  const devices = [...new Set(pinned.flatMap((p) => p.outcome.pairs.map((x) => x.device)))].sort();
  const cell = (p: Pinned, device: string) => {
    const x = p.outcome.pairs.find((y) => y.device === device);
    return x === undefined ? '—' : `${x.frontend ?? 'gone'} / ${x.backend ?? 'gone'}`;
  };
  return (
    <div className="interleave__pinned" data-testid="interleaving.pinned">
      <table>
        <thead>
          <tr>
            <th scope="col">device (frontend / backend)</th>
            {pinned.map((p, i) => (
              <th key={i} scope="col" title={p.what}>
                branch {i + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => {
            const cells = pinned.map((p) => cell(p, d));
            const differs = new Set(cells).size > 1;
            return (
              <tr key={d} className={differs ? 'interleave__differs' : ''}>
                <td>{d}</td>
                {cells.map((c, i) => (
                  <td key={i}>{c}</td>
                ))}
              </tr>
            );
          })}
          <tr>
            <td>in words</td>
            {pinned.map((p, i) => (
              <td key={i}>{p.outcome.label}</td>
            ))}
          </tr>
        </tbody>
      </table>
      <button type="button" className="linklike" onClick={onClear}>
        unpin
      </button>
    </div>
  );
}

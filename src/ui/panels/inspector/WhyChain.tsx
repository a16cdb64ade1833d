import { useState } from 'react';
import { useTimeline } from '../../app/useTimeline';
import { useView } from '../../app/useView';
import { useWhyChain } from '../../app/useWhyChain';
import { useTraceIndexes } from '../../app/useTraceIndexes';
import { useXenScope } from '../../app/useXenScope';
import { describeLink } from '../../model/whyChain';

/** Links listed before "show all". */
const SHOWN = 12;

/**
 * Why did this happen: the chain of causes behind a step, across layers (a transition ← the
 * callback on a xenwatch queue ← the watch event ← the write that fired it ← the request ← …),
 * newest first, each with a jump link. The steps on it are highlighted in the other panels.
 */
export function WhyChain() {
  const app = useXenScope();
  const cursor = useTimeline((s) => s.cursor);
  const trace = useTimeline((s) => s.world)()?.trace ?? [];
  const why = useView((s) => s.why);
  const chain = useWhyChain();
  const [all, setAll] = useState(false);
  if (why === null || chain === null)
    return cursor === 0 ? null : (
      <button
        type="button"
        className="why__ask"
        data-testid="why.ask"
        onClick={() => app.view.getState().setWhy({ seq: cursor - 1, about: `step ${cursor - 1}` })}
      >
        Why did step {cursor - 1} happen?
      </button>
    );
  const links = all ? chain.links : chain.links.slice(0, SHOWN);
  const root = chain.links.at(-1);
  return (
    <section className="why" aria-labelledby="why-heading" data-testid="why">
      <h3 id="why-heading">
        Why: {why.about} (step {why.seq})
      </h3>
      <ol className="why__links">
        {links.map((l) => (
          <li key={`${l.to}-${l.from}`} data-testid={`why.link.${l.from}`}>
            <span className={`why__kind why__kind--${l.kind}`}>{l.kind}</span> {describeLink(l, trace)}{' '}
            <button type="button" className="linklike" onClick={() => app.seek(l.from + 1)}>
              go
            </button>
          </li>
        ))}
      </ol>
      {!all && chain.links.length > SHOWN && (
        <button type="button" className="linklike" onClick={() => setAll(true)}>
          show all {chain.links.length} links
        </button>
      )}
      {root !== undefined && (
        <p className="inspector__hint" data-testid="why.root">
          It starts at step {root.from}: {trace[root.from]?.summary}
        </p>
      )}
      {chain.links.length === 0 && (
        <p className="inspector__hint">No earlier cause is recorded for this step.</p>
      )}
      <Consequences seq={why.seq} />
      <button
        type="button"
        className="linklike"
        data-testid="why.clear"
        onClick={() => app.view.getState().setWhy(null)}
      >
        clear
      </button>
    </section>
  );
}

/** The reverse: what the explained step went on to cause, nearest first (each step once). */
function Consequences({ seq }: { seq: number }) {
  const app = useXenScope();
  const indexes = useTraceIndexes();
  const trace = indexes.trace;
  const [all, setAll] = useState(false);
  const links = indexes.why.consequences(seq, 8);
  if (links.length === 0) return <p className="inspector__hint">It caused no later step.</p>;
  const shown = all ? links : links.slice(0, SHOWN);
  return (
    <>
      <h3 className="why__then">What it caused</h3>
      <ol className="why__links" data-testid="why.consequences">
        {shown.map((l) => (
          <li key={`${l.from}-${l.to}`}>
            <span className={`why__kind why__kind--${l.kind}`}>{l.kind}</span> step {l.to}:{' '}
            {trace[l.to]?.summary}{' '}
            <button type="button" className="linklike" onClick={() => app.seek(l.to + 1)}>
              go
            </button>
          </li>
        ))}
      </ol>
      {!all && links.length > SHOWN && (
        <button type="button" className="linklike" onClick={() => setAll(true)}>
          show all {links.length}
        </button>
      )}
    </>
  );
}

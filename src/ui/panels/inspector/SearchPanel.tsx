import { useMemo, useState } from 'react';
import { useTimeline } from '../../app/useTimeline';
import { useXenScope } from '../../app/useXenScope';
import { parseQuery, searchTrace } from '../../model/traceSearch';

/** Results shown at most (the count says how many matched). */
const MAX_SHOWN = 300;

/**
 * Search and filter the trace: free words match summaries; `path:` (a glob over the nodes a step
 * touched), `device:`, `actor:` and `kind:` narrow it. A result jumps there.
 */
export function SearchPanel() {
  const app = useXenScope();
  const version = useTimeline((s) => s.traceVersion);
  const world = useTimeline((s) => s.world);
  const [text, setText] = useState('');
  const parsed = useMemo(() => (text.trim() === '' ? null : parseQuery(text)), [text]);
  const results = useMemo(() => {
    const w = world();
    if (w === null || parsed === null || !parsed.ok) return [];
    return searchTrace(w.trace, parsed.query);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for the trace
  }, [parsed, world, version]);
  const trace = world()?.trace ?? [];
  return (
    <section className="debug__section" aria-labelledby="search-heading" data-testid="search">
      <h3 id="search-heading">Search the trace</h3>
      <input
        type="search"
        aria-label="Search the trace"
        placeholder="path:/local/domain/1/device/vbd/51712/state"
        value={text}
        data-testid="search.input"
        onChange={(e) => setText(e.target.value)}
      />
      {parsed !== null && !parsed.ok && (
        <p role="alert" className="debug__error">
          {parsed.error}
        </p>
      )}
      {parsed !== null && parsed.ok && (
        <>
          <p className="inspector__hint" data-testid="search.count">
            {results.length} step{results.length === 1 ? '' : 's'}
            {results.length > MAX_SHOWN ? ` (the first ${MAX_SHOWN} shown)` : ''}
          </p>
          <ol className="debug__results">
            {results.slice(0, MAX_SHOWN).map((seq) => (
              <li key={seq}>
                <button
                  type="button"
                  className="linklike"
                  data-testid={`search.result.${seq}`}
                  onClick={() => app.seek(seq + 1)}
                >
                  {seq}
                </button>{' '}
                {trace[seq]?.summary}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

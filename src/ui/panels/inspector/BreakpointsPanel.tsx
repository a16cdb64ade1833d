import { useState } from 'react';
import { useView } from '../../app/useView';
import { useXenScope } from '../../app/useXenScope';
import { parseBreakpoint } from '../../model/breakpoints';

const EXAMPLES = [
  'blkback: Connected→Closing',
  'blkfront: Closed',
  'write /local/domain/*/device/vbd/*/state',
  'watch merged',
  'eagain',
  'timeout',
  'driver_pages > 200',
];

/** Breakpoints: typed as short text, listed, toggled and removed; playback stops on a hit. */
export function BreakpointsPanel() {
  const app = useXenScope();
  const breakpoints = useView((s) => s.breakpoints);
  const hit = useView((s) => s.breakHit);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = (t: string) => {
    const parsed = parseBreakpoint(t);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setText('');
    app.view.getState().addBreakpoint(t.trim(), parsed.condition);
  };
  return (
    <section className="debug__section" aria-labelledby="bp-heading" data-testid="breakpoints">
      <h3 id="bp-heading">Breakpoints</h3>
      <form
        className="debug__form"
        onSubmit={(e) => {
          e.preventDefault();
          add(text);
        }}
      >
        <input
          aria-label="New breakpoint"
          list="bp-examples"
          placeholder="blkback: Connected→Closing"
          value={text}
          data-testid="breakpoints.input"
          aria-invalid={error !== null}
          aria-describedby={error === null ? undefined : 'bp-error'}
          onChange={(e) => setText(e.target.value)}
        />
        <datalist id="bp-examples">
          {EXAMPLES.map((x) => (
            <option key={x} value={x} />
          ))}
        </datalist>
        <button type="submit" data-testid="breakpoints.add">
          Add
        </button>
      </form>
      {error !== null && (
        <p id="bp-error" role="alert" className="debug__error">
          {error}
        </p>
      )}
      {breakpoints.length === 0 ? (
        <p className="inspector__hint">None yet. Playback stops on the step a breakpoint hits.</p>
      ) : (
        <ul className="debug__list">
          {breakpoints.map((b) => (
            <li key={b.id} data-testid={`breakpoint.${b.id}`}>
              <label>
                <input
                  type="checkbox"
                  checked={b.enabled}
                  onChange={() => app.view.getState().toggleBreakpoint(b.id)}
                />{' '}
                <code>{b.text}</code>
              </label>
              <button
                type="button"
                className="linklike"
                aria-label={`Remove breakpoint ${b.text}`}
                onClick={() => app.view.getState().removeBreakpoint(b.id)}
              >
                remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {hit !== null && (
        <p className="debug__hit" role="status" data-testid="breakpoints.hit">
          Stopped at{' '}
          <button type="button" className="linklike" onClick={() => app.seek(hit.seq + 1)}>
            step {hit.seq}
          </button>{' '}
          on <code>{hit.text}</code>: {hit.reason}
        </p>
      )}
    </section>
  );
}

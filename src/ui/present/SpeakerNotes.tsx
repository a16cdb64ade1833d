import { useEffect, useState } from 'react';
import { isNotesMessage, type NotesMessage, type NotesState } from './notesChannel';

const send = (message: NotesMessage) => window.opener?.postMessage(message, '*');

/**
 * The speaker-notes window of presenter mode (`?notes=1`, opened by the presenter): what the
 * audience sees now, the tour's caption and where it comes from, the next stop, and the clicker's
 * buttons. It holds no session of its own; the presenting window sends it every change.
 */
export function SpeakerNotes() {
  const [state, setState] = useState<NotesState | null>(null);
  useEffect(() => {
    const onMessage = (e: MessageEvent) => {
      if (e.source !== window.opener || !isNotesMessage(e.data)) return;
      if (e.data.type === 'xenscope-notes') setState(e.data.state);
    };
    window.addEventListener('message', onMessage);
    send({ type: 'xenscope-notes-ready' });
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'PageDown' || e.key === 'ArrowRight')
        send({ type: 'xenscope-notes-command', command: 'next' });
      else if (e.key === 'PageUp' || e.key === 'ArrowLeft')
        send({ type: 'xenscope-notes-command', command: 'back' });
      else if (e.key === '.' || e.key === 'b') send({ type: 'xenscope-notes-command', command: 'blackout' });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    document.title = 'XenScope speaker notes';
    return () => {
      window.removeEventListener('message', onMessage);
      window.removeEventListener('keydown', onKey);
    };
  }, []);
  if (window.opener === null)
    return (
      <main className="notes" data-testid="notes">
        <p>These are speaker notes: open them from presenter mode (Present ▸ Speaker notes).</p>
      </main>
    );
  if (state === null)
    return (
      <main className="notes" data-testid="notes">
        <p>Waiting for the presenting window…</p>
      </main>
    );
  const t = state.tour;
  return (
    <main className="notes" data-testid="notes">
      <header className="notes__head">
        <strong>
          {state.scenario}: {state.title}
        </strong>{' '}
        · {state.profile} ·{' '}
        <span data-testid="notes.step">
          step {state.step} / {state.length}
        </span>
      </header>
      {t === null ? (
        <p className="notes__caption">
          No tour is playing. The audience sees: {state.summary || 'the start'}.
        </p>
      ) : (
        <>
          <p className="notes__where" data-testid="notes.stop">
            {t.title}: {t.stop < 0 ? 'introduction' : `stop ${t.stop + 1} of ${t.count}`}
          </p>
          <p className="notes__caption" data-testid="notes.caption">
            {t.stop < 0 ? t.intro : t.caption}
          </p>
          {t.source !== '' && <p className="notes__source">From the spec: {t.source}</p>}
          <p className="notes__next" data-testid="notes.next">
            Next: {t.next ?? 'the end of the tour'}
          </p>
        </>
      )}
      <p className="notes__summary">Last step: {state.summary || '—'}</p>
      <div className="notes__buttons">
        <button type="button" onClick={() => send({ type: 'xenscope-notes-command', command: 'back' })}>
          ◀ Back
        </button>
        <button type="button" onClick={() => send({ type: 'xenscope-notes-command', command: 'next' })}>
          Continue ▶
        </button>
        <button type="button" onClick={() => send({ type: 'xenscope-notes-command', command: 'blackout' })}>
          Blank screen (.)
        </button>
      </div>
    </main>
  );
}

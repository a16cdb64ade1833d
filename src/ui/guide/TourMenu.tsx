import { useRef } from 'react';
import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import { openNotes } from '../present/notesWindow';
import { builtinTourOf, seekInteresting, startTour } from './tourControl';

/**
 * Tour ▸ the open scenario's guided tour, the session's own tour (played or authored), the next
 * and previous interesting steps, and presenter mode with its speaker notes.
 */
export function TourMenu() {
  const app = useXenScope();
  const details = useRef<HTMLDetailsElement>(null);
  const scenario = useTimeline((s) => s.request?.scenario ?? null);
  const authored = useView((s) => s.authored);
  const present = useView((s) => s.present);
  const close = () => details.current?.removeAttribute('open');
  const run = (f: () => void) => {
    f();
    close();
  };
  return (
    <details className="menu tour-menu" data-testid="tour.menu" ref={details}>
      <summary>Tour</summary>
      <div className="menu__items">
        <button
          type="button"
          data-testid="tour.builtin"
          disabled={scenario === null}
          onClick={() =>
            run(() => {
              const tour = builtinTourOf(app);
              if (tour !== null) startTour(app, tour, 'builtin');
            })
          }
        >
          Guided tour of {scenario ?? 'the scenario'}
        </button>
        <button
          type="button"
          data-testid="tour.authored"
          disabled={authored === null || authored.stops.length === 0}
          onClick={() => run(() => authored !== null && startTour(app, authored, 'authored'))}
        >
          Play this session’s tour{authored === null ? '' : `: ${authored.title}`}
        </button>
        {!present && (
          <button
            type="button"
            data-testid="tour.author"
            disabled={scenario === null}
            onClick={() =>
              run(() => {
                app.view.getState().setPlaying(null);
                app.view.getState().setAuthoring(true);
              })
            }
          >
            Author a tour…
          </button>
        )}
        <button type="button" data-testid="tour.next-interesting" onClick={() => seekInteresting(app, 1)}>
          Next interesting step (n)
        </button>
        <button type="button" data-testid="tour.prev-interesting" onClick={() => seekInteresting(app, -1)}>
          Previous interesting step (p)
        </button>
        <button
          type="button"
          data-testid="present.toggle"
          onClick={() => run(() => app.view.getState().setModes({ present: !present, blackout: false }))}
        >
          {present ? 'Leave presenter mode' : 'Presenter mode'}
        </button>
        {present && (
          <button type="button" data-testid="present.notes" onClick={() => run(() => openNotes(app))}>
            Speaker notes window
          </button>
        )}
      </div>
    </details>
  );
}

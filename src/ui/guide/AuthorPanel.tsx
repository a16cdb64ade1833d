import { useMemo, useState } from 'react';
import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import type { XenScope } from '../app/xenscope';
import { deviceLabel } from '../tour/devices';
import { predictQuestion, TOUR_MACHINES } from '../tour/predict';
import type { Tour, TourHighlight, TourStop } from '../tour/types';
import { startTour } from './tourControl';
import type { ProfileId } from '../../sim/profiles';

/** The session's authored tour, or a new empty one for the open scenario. */
function authoredOrNew(app: XenScope): Tour {
  const a = app.view.getState().authored;
  if (a !== null) return a;
  const r = app.timeline.getState().request;
  return {
    scenario: r?.scenario ?? '',
    ...(r === null ? {} : { profile: r.profile }),
    title: `${r?.scenario ?? 'A'} tour`,
    intro: '',
    stops: [],
  };
}

function update(app: XenScope, change: (t: Tour) => Tour): void {
  app.view.getState().setAuthored(change(authoredOrNew(app)));
}

/**
 * Authoring a tour for this session: stop the timeline where something is worth saying, write the
 * caption, highlight what is selected, optionally ask what a driver does next, and continue. The
 * tour is part of the session: it is autosaved and travels in its link and its file.
 */
export function AuthorPanel() {
  const app = useXenScope();
  const authored = useView((s) => s.authored);
  const cursor = useTimeline((s) => s.cursor);
  const traceVersion = useTimeline((s) => s.traceVersion);
  const playing = useView((s) => s.clock.playing);
  const node = useView((s) => s.node);
  const device = useView((s) => s.device);
  const slot = useView((s) => s.slot);
  const [caption, setCaption] = useState('');
  const [withHighlight, setWithHighlight] = useState(true);
  const [ask, setAsk] = useState('');
  const tour = authored ?? authoredOrNew(app);

  // the drivers that can be asked about here: those with a next transition among their choices
  const askable = useMemo(() => {
    void traceVersion;
    const t = app.timeline.getState();
    const world = t.world();
    if (playing || world === null || t.request === null) return [];
    const profile = t.request.profile as ProfileId;
    return [...world.devices.keys()].filter(
      (key) => predictQuestion(world.trace, cursor, key, TOUR_MACHINES, { profile }) !== null,
    );
  }, [app, cursor, playing, traceVersion]);

  const highlight: TourHighlight = {
    ...(node === null ? {} : { node }),
    ...(device === null ? {} : { device }),
    ...(slot === null ? {} : { slot }),
  };
  const hasHighlight = Object.keys(highlight).length > 0;

  const addStop = () => {
    const stop: TourStop = {
      step: cursor,
      caption: caption.trim(),
      ...(withHighlight && hasHighlight ? { highlight } : {}),
      ...(ask !== '' && askable.includes(ask) ? { predict: { device: ask } } : {}),
    };
    update(app, (t) => ({ ...t, stops: [...t.stops, stop].sort((a, b) => a.step - b.step) }));
    setCaption('');
    setAsk('');
  };

  return (
    <section className="tour-bar tour-author" aria-label="Author a tour" data-testid="author.panel">
      <div className="tour-bar__head">
        <strong className="tour-bar__title">Authoring a tour of this session</strong>
        <button
          type="button"
          className="banner-dismiss"
          aria-label="Close the tour editor"
          onClick={() => app.view.getState().setAuthoring(false)}
        >
          ×
        </button>
      </div>
      <div className="tour-author__grid">
        <label className="tour-author__field">
          <span>Title</span>
          <input
            data-testid="author.title"
            value={tour.title}
            maxLength={200}
            onChange={(e) => update(app, (t) => ({ ...t, title: e.target.value }))}
          />
        </label>
        <label className="tour-author__field">
          <span>Introduction</span>
          <textarea
            data-testid="author.intro"
            rows={2}
            maxLength={4000}
            value={tour.intro}
            onChange={(e) => update(app, (t) => ({ ...t, intro: e.target.value }))}
          />
        </label>
        <label className="tour-author__field">
          <span>Caption for a stop at step {cursor}</span>
          <textarea
            data-testid="author.caption"
            rows={2}
            maxLength={2000}
            value={caption}
            placeholder="What to watch here, and why it matters"
            onChange={(e) => setCaption(e.target.value)}
          />
        </label>
        <div className="tour-author__options">
          <label>
            <input
              type="checkbox"
              data-testid="author.highlight"
              checked={withHighlight && hasHighlight}
              disabled={!hasHighlight}
              onChange={(e) => setWithHighlight(e.target.checked)}
            />{' '}
            highlight the selection
            {hasHighlight
              ? ` (${Object.values(highlight)
                  .map((h) => (typeof h === 'string' ? h : `${h.ring} slot ${h.index}`))
                  .join(', ')})`
              : ': nothing selected'}
          </label>
          <label>
            Ask what{' '}
            <select data-testid="author.ask" value={ask} onChange={(e) => setAsk(e.target.value)}>
              <option value="">(no question)</option>
              {askable.map((k) => (
                <option key={k} value={k}>
                  {deviceLabel(k)}
                </option>
              ))}
            </select>{' '}
            does next
          </label>
          <button
            type="button"
            data-testid="author.add"
            disabled={caption.trim() === '' || playing}
            onClick={addStop}
          >
            Add stop at step {cursor}
          </button>
        </div>
      </div>
      <ol className="tour-author__stops" data-testid="author.stops">
        {tour.stops.map((s, i) => (
          <li key={`${s.step}-${i}`}>
            <button type="button" onClick={() => app.seek(s.step)}>
              step {s.step}
            </button>{' '}
            <span className="tour-author__caption">{s.caption}</span>
            {s.predict !== undefined && <em> · asks about {deviceLabel(s.predict.device)}</em>}{' '}
            <button
              type="button"
              aria-label={`Remove the stop at step ${s.step}`}
              onClick={() => update(app, (t) => ({ ...t, stops: t.stops.filter((_, j) => j !== i) }))}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div className="tour-bar__nav">
        <button
          type="button"
          data-testid="author.play"
          disabled={tour.stops.length === 0}
          onClick={() => startTour(app, tour, 'authored')}
        >
          Play this tour
        </button>
        <button
          type="button"
          data-testid="author.discard"
          disabled={authored === null}
          onClick={() => app.view.getState().setAuthored(null)}
        >
          Discard the tour
        </button>
      </div>
    </section>
  );
}

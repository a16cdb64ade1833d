import { useMemo } from 'react';
import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import { readScores, scoreKey, totalScore } from './scores';
import { answer, continueHeld, exitTour, questionAt, tourBack, tourNext } from './tourControl';

/**
 * The tour being played: its introduction, then each stop's caption (and where in the spec it
 * comes from) with Back and Continue. At a predict stop the learner picks what the driver does
 * next among the transitions its machine allows; the answer is revealed and explained, and scored.
 */
export function TourBar() {
  // the card follows the cursor; without a tour nothing here re-renders as the timeline plays
  const touring = useView((s) => s.playing !== null);
  return touring ? <TourCard /> : null;
}

function TourCard() {
  const app = useXenScope();
  const playing = useView((s) => s.playing);
  const clockPlaying = useView((s) => s.clock.playing);
  const cursor = useTimeline((s) => s.cursor);
  const request = useTimeline((s) => s.request);
  // the scores change only with an answer: read again then, not on every step played
  const answers = playing?.answers;
  const scores = useMemo(() => (answers === undefined ? {} : readScores(window.localStorage)), [answers]);
  if (playing === null) return null;
  const { tour, stop: index } = playing;
  const stop = tour.stops[index];
  const count = tour.stops.length;
  const atEnd = index >= count;
  const arrived = stop !== undefined && cursor === stop.step && !clockPlaying;
  const question = stop === undefined ? null : questionAt(app, stop);
  const given = playing.answers[index];
  const held = continueHeld(app);
  const here = request === null ? undefined : scores[scoreKey(request.scenario, request.profile)];
  const all = totalScore(scores);

  return (
    <section className="tour-bar" aria-label="Tour" data-testid="tour.bar" data-stop={index}>
      <div className="tour-bar__head">
        <strong className="tour-bar__title">{tour.title}</strong>
        <span className="tour-bar__where" data-testid="tour.where">
          {index < 0
            ? 'Introduction'
            : atEnd
              ? 'End of the tour'
              : `Stop ${index + 1} of ${count} · step ${stop!.step}`}
        </span>
        {(here !== undefined || all.asked > 0) && (
          <span className="tour-bar__score" data-testid="tour.score">
            Score {here === undefined ? '0/0' : `${here.correct}/${here.asked}`} here · {all.correct}/
            {all.asked} in all
          </span>
        )}
        <div className="tour-bar__nav">
          <button type="button" data-testid="tour.back" disabled={index < 0} onClick={() => tourBack(app)}>
            ◀ Back
          </button>
          <button
            type="button"
            data-testid="tour.continue"
            className="tour-bar__continue"
            disabled={atEnd || held}
            title={held ? 'Answer the question first' : undefined}
            onClick={() => tourNext(app)}
          >
            {index < 0 ? 'Start ▶' : 'Continue ▶'}
          </button>
        </div>
        <button
          type="button"
          className="banner-dismiss"
          aria-label="Leave the tour"
          onClick={() => exitTour(app)}
        >
          ×
        </button>
      </div>
      <div className="tour-bar__body" aria-live="polite">
        {index < 0 && (
          <p className="tour-bar__caption" data-testid="tour.caption">
            {tour.intro}
            {tour.introSource !== undefined && (
              <cite className="tour-bar__source"> ({tour.introSource})</cite>
            )}
          </p>
        )}
        {atEnd && (
          <p className="tour-bar__caption" data-testid="tour.caption">
            That is the whole tour. Step through the trace yourself, or leave the tour.
          </p>
        )}
        {stop !== undefined && !arrived && given === undefined && (
          <p className="tour-bar__caption tour-bar__caption--pending" data-testid="tour.caption">
            {cursor < stop.step && clockPlaying
              ? `Playing on to step ${stop.step}…`
              : `This stop is at step ${stop.step}.`}
          </p>
        )}
        {stop !== undefined && (arrived || given !== undefined) && question === null && (
          <p className="tour-bar__caption" data-testid="tour.caption">
            {stop.caption}
            {stop.source !== undefined && <cite className="tour-bar__source"> ({stop.source})</cite>}
          </p>
        )}
        {stop !== undefined && question !== null && (arrived || given !== undefined) && (
          <div className="predict" data-testid="tour.predict">
            <p className="tour-bar__caption">{stop.caption}</p>
            <p className="predict__prompt" data-testid="tour.prompt">
              {question.prompt}
            </p>
            <div className="predict__choices" role="group" aria-label="What happens next">
              {question.choices.map((c) => (
                <button
                  key={c}
                  type="button"
                  data-testid={`tour.choice.${c}`}
                  disabled={given !== undefined}
                  className={
                    given === undefined
                      ? ''
                      : c === question.answer
                        ? 'predict__choice--answer'
                        : c === given.choice
                          ? 'predict__choice--wrong'
                          : ''
                  }
                  onClick={() => answer(app, c)}
                >
                  {c}
                </button>
              ))}
            </div>
            {given !== undefined && (
              <p className="predict__reveal" data-testid="tour.reveal">
                <strong>
                  {given.choice === null
                    ? 'Skipped.'
                    : given.correct
                      ? 'Right!'
                      : `Not quite: it goes ${question.answer}.`}
                </strong>{' '}
                {question.explanation.text}{' '}
                <cite className="tour-bar__source">({question.explanation.source})</cite>
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

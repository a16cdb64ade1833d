/**
 * The presenting window's side of the speaker notes: opens the notes window and sends it what is
 * shown after every change; runs the commands it sends back (the clicker pressed in that window).
 */
import { findPlayable } from '../../sim/scenarios/demos';
import type { XenScope } from '../app/xenscope';
import { presenterBack, presenterNext } from '../guide/tourControl';
import { isNotesMessage, type NotesMessage, type NotesState } from './notesChannel';

let notes: Window | null = null;

export function notesState(app: XenScope): NotesState | null {
  const t = app.timeline.getState();
  const world = t.world();
  if (t.request === null || world === null) return null;
  const p = app.view.getState().playing;
  const stop = p?.tour.stops[p.stop];
  const next = p?.tour.stops[p.stop + 1];
  return {
    scenario: t.request.scenario,
    title: findPlayable(t.request.scenario)?.title ?? '',
    profile: t.request.profile,
    step: t.cursor,
    length: t.length,
    summary: t.cursor > 0 ? (world.trace[t.cursor - 1]?.summary ?? '') : '',
    tour:
      p === null
        ? null
        : {
            title: p.tour.title,
            intro: p.tour.intro,
            stop: p.stop,
            count: p.tour.stops.length,
            caption: stop?.caption ?? (p.stop < 0 ? p.tour.intro : 'End of the tour.'),
            source: (p.stop < 0 ? p.tour.introSource : stop?.source) ?? '',
            next: next === undefined ? null : `step ${next.step}: ${next.caption}`,
          },
  };
}

function post(app: XenScope): void {
  if (notes === null || notes.closed) return;
  const state = notesState(app);
  if (state !== null) notes.postMessage({ type: 'xenscope-notes', state } satisfies NotesMessage, '*');
}

/** Opens (or brings forward) the speaker-notes window. */
export function openNotes(app: XenScope): void {
  const url = new URL(window.location.href);
  url.search = '?notes=1';
  notes = window.open(url.toString(), 'xenscope-notes', 'width=720,height=640');
  post(app);
}

/** Keeps the notes window following the page, and runs the commands it sends; returns the cleanup. */
export function followNotes(app: XenScope): () => void {
  const onMessage = (e: MessageEvent) => {
    if (notes === null || e.source !== notes || !isNotesMessage(e.data)) return;
    if (e.data.type === 'xenscope-notes-ready') post(app);
    else if (e.data.type === 'xenscope-notes-command') {
      if (e.data.command === 'next') presenterNext(app);
      else if (e.data.command === 'back') presenterBack(app);
      else app.view.getState().setModes({ blackout: !app.view.getState().blackout });
    }
  };
  window.addEventListener('message', onMessage);
  const offTimeline = app.timeline.subscribe((s, prev) => {
    if (s.cursor !== prev.cursor || s.request !== prev.request) post(app);
  });
  const offView = app.view.subscribe((s, prev) => {
    if (s.playing !== prev.playing) post(app);
  });
  return () => {
    window.removeEventListener('message', onMessage);
    offTimeline();
    offView();
  };
}

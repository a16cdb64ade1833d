import { useEffect } from 'react';
import type { XenScope } from '../app/xenscope';
import { hasUserContent, keepDamaged, pushRecent, readSaved, writeAutosave } from './autosave';
import { NO_MODES, packedAddress, parseAddress, readableAddress, readableFits, type Modes } from './link';
import { currentShareState, isCatalogueRun, openFixture, openShareState } from './sessionOps';
import type { ShareState } from './shareState';

/** What opens when neither the address nor a save names anything. */
export const DEFAULT_REQUEST = { scenario: 'S1', profile: 'linux-modern', seed: 1 } as const;

/** Quiet time after the last change before the address and the save are written. */
const SAVE_DELAY_MS = 250;

/** The address of what is shown: readable while it is the catalogue's run, packed otherwise. */
export function addressOf(app: XenScope, state: ShareState, modes: Modes): string {
  const t = app.timeline.getState();
  return !t.edited && t.request !== null && readableFits(state.view)
    ? readableAddress(t.request, state.view, modes)
    : packedAddress(state, modes);
}

/**
 * Opens what the page was asked for and keeps the address and the autosave following it.
 *
 * On load: the address's session (a readable or packed link); else the autosaved one; else S1. A
 * link that cannot be opened is reported, naming the problem, and the saved session opens instead
 * (embedded, nothing opens in its place);
 * a damaged save is reported and set aside (never overwritten). Then every change (an action, a
 * pick, a seek, a selection, the layout, breakpoints, a tour) rewrites the address and the save
 * once the page has been quiet for a moment (not while playing). A session replaced by another
 * one after the user changed it goes to the recent list, so it is never lost.
 */
export function useSessionSync(app: XenScope): void {
  useEffect(() => {
    const parsed = parseAddress(window.location.search);
    const modes = parsed.modes;
    // an embedded view is someone else's page: it neither restores nor overwrites the user's save
    const persist = !modes.embed && !modes.notes;
    // the page opens once (an effect run again, as React's strict mode does, only subscribes again)
    if (!booted.has(app)) {
      booted.add(app);
      boot(app, parsed, persist);
    }
    return follow(app, persist);
  }, [app]);
}

const booted = new WeakSet<XenScope>();

/** Opens what the address, else the save, else the default names; reports what could not be opened. */
function boot(app: XenScope, parsed: ReturnType<typeof parseAddress>, persist: boolean): void {
  const storage = window.localStorage;
  const modes = parsed.modes;
  app.view.getState().setModes({ embed: modes.embed, present: modes.present });
  const errors: string[] = [];
  if (parsed.error !== null) errors.push(`This link cannot be opened: ${parsed.error}`);
  let opened = false;
  const req = parsed.request;
  if (req.kind === 'fixture') {
    const e = openFixture(app, req.request, req.view);
    if (e === null) opened = true;
    else errors.push(`This link cannot be opened: ${e}`);
  } else if (req.kind === 'packed') {
    const e = openShareState(app, req.state);
    if (e === null) opened = true;
    else errors.push(`This link cannot be opened: ${e}`);
  }
  const saved = persist ? readSaved(storage) : ({ kind: 'none' } as const);
  if (opened && saved.kind !== 'none') {
    // a link replaces what was saved: the saved session goes to the recent ones (a damaged save is
    // set aside), so the next autosave loses nothing the user made
    if (saved.kind === 'damaged') keepDamaged(storage, saved.raw);
    else {
      const now = currentShareState(app);
      // the cheap comparison first: telling a catalogue run means running the scenario again
      if (
        JSON.stringify(now) !== JSON.stringify(saved.state) &&
        (hasUserContent(saved.state) || !isCatalogueRun(saved.state.session))
      )
        pushRecent(storage, saved.state);
    }
  }
  if (!opened && persist) {
    if (saved.kind === 'ok') {
      const e = openShareState(app, saved.state);
      if (e === null) opened = true;
      else {
        keepDamaged(storage, JSON.stringify(saved.state));
        errors.push(
          `The saved session could not be restored (${e}); it was set aside, see Session ▸ Download damaged save.`,
        );
      }
    } else if (saved.kind === 'damaged') {
      keepDamaged(storage, saved.raw);
      errors.push(
        `The saved session could not be restored (${saved.error}); it was set aside, see Session ▸ Download damaged save.`,
      );
    }
  }
  // an embedded view of a broken link says so over empty panels: another scenario in its place
  // would mislead the slide or document it sits in
  if (!opened && !(modes.embed && errors.length > 0)) openFixture(app, { ...DEFAULT_REQUEST }, {});
  if (errors.length > 0) app.timeline.getState().setError(errors.join(' '));
}

/** Keeps the address and the save following the page; returns the cleanup. */
function follow(app: XenScope, persist: boolean): () => void {
  const storage = window.localStorage;
  let latest = currentShareState(app);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (latest === null) return;
    const view = app.view.getState();
    const address = addressOf(app, latest, { ...NO_MODES, embed: view.embed, present: view.present });
    if (address !== window.location.search) window.history.replaceState(null, '', address);
    if (persist) {
      const problem = writeAutosave(storage, latest);
      if (problem !== null) app.view.getState().setNotice(`Autosave failed: ${problem}`);
    }
  };
  const changed = () => {
    if (app.view.getState().clock.playing) return;
    latest = currentShareState(app);
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, SAVE_DELAY_MS);
  };
  const offTimeline = app.timeline.subscribe((s, prev) => {
    // another session replaces one the user made something in: it goes to the recent ones
    if (s.request !== prev.request && persist && latest !== null && (prev.edited || hasUserContent(latest)))
      pushRecent(storage, latest);
    if (s.cursor !== prev.cursor || s.traceVersion !== prev.traceVersion || s.request !== prev.request)
      changed();
  });
  const offView = app.view.subscribe((s, prev) => {
    if (
      s.node !== prev.node ||
      s.device !== prev.device ||
      s.slot !== prev.slot ||
      s.targetDomid !== prev.targetDomid ||
      s.inspectorTab !== prev.inspectorTab ||
      s.maximized !== prev.maximized ||
      s.collapsed !== prev.collapsed ||
      s.mapZoom !== prev.mapZoom ||
      s.compareWith !== prev.compareWith ||
      s.breakpoints !== prev.breakpoints ||
      s.authored !== prev.authored ||
      s.present !== prev.present ||
      s.clock.playing !== prev.clock.playing
    )
      changed();
  });
  changed();
  window.addEventListener('pagehide', flush);
  return () => {
    offTimeline();
    offView();
    window.removeEventListener('pagehide', flush);
    flush();
  };
}

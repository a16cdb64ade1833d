/**
 * What the Session menu and the test API do: the link of what is shown, opening a link or a file
 * (all checked before anything changes; a failure is reported and the session stays), exporting
 * the session and the trace.
 */
import type { XenScope } from '../app/xenscope';
import { readDamaged, type RecentEntry } from './autosave';
import { download, fileName } from './download';
import { importFileText, sessionFileText, traceFileText } from './files';
import { NO_MODES, parseAddress } from './link';
import { currentShareState, openFixture, openShareState } from './sessionOps';
import { addressOf } from './useSessionSync';

/** The full link of what is shown now (with presenter/embed modes left out unless asked for). */
export function shareLink(app: XenScope, modes = NO_MODES): string | null {
  const state = currentShareState(app);
  if (state === null) return null;
  const url = new URL(window.location.href);
  url.search = addressOf(app, state, modes);
  url.hash = '';
  return url.toString();
}

const fail = (app: XenScope, what: string, error: string) => {
  app.timeline.getState().setError(`${what}: ${error}`);
  return false;
};

/** Opens a pasted link (a whole URL or just its query); false, with the error shown, if it is bad. */
export function openLink(app: XenScope, text: string): boolean {
  let search = text.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:/i.test(search)) search = new URL(search).search;
  } catch {
    return fail(app, 'This link cannot be opened', 'not a URL');
  }
  if (!search.startsWith('?')) search = `?${search}`;
  const parsed = parseAddress(search);
  if (parsed.error !== null) return fail(app, 'This link cannot be opened', parsed.error);
  const r = parsed.request;
  const error =
    r.kind === 'fixture'
      ? openFixture(app, r.request, r.view)
      : r.kind === 'packed'
        ? openShareState(app, r.state)
        : 'it names no scenario or session';
  if (error !== null) return fail(app, 'This link cannot be opened', error);
  app.view.getState().setNotice('Link opened.');
  return true;
}

/** Opens a session or trace file's text; false, with the error shown, if it is bad. */
export function openFileText(app: XenScope, name: string, text: string): boolean {
  const imported = importFileText(text);
  if (!imported.ok) return fail(app, `${name.slice(0, 80)} cannot be imported`, imported.error);
  const error = openShareState(app, imported.value.state, imported.value.world);
  if (error !== null) return fail(app, `${name.slice(0, 80)} cannot be imported`, error);
  app.view.getState().setNotice(`Imported ${imported.value.kind} file ${name.slice(0, 80)}.`);
  return true;
}

export function openRecent(app: XenScope, entry: RecentEntry): boolean {
  const error = openShareState(app, entry.state);
  if (error !== null) return fail(app, 'This recent session cannot be opened', error);
  return true;
}

function baseName(app: XenScope): Array<string | number> {
  const r = app.timeline.getState().request;
  return r === null ? ['xenscope'] : [r.scenario, r.profile, `seed${r.seed}`];
}

export function exportSessionFile(app: XenScope): void {
  const state = currentShareState(app);
  if (state !== null) download(fileName(baseName(app), 'session.json'), sessionFileText(state));
}

export function exportTraceFile(app: XenScope): void {
  const state = currentShareState(app);
  const world = app.timeline.getState().world();
  if (state !== null && world !== null)
    download(fileName(baseName(app), 'trace.json'), traceFileText(state, world.trace));
}

export function downloadDamagedSave(): void {
  const raw = readDamaged(window.localStorage);
  if (raw !== null) download('xenscope-damaged-save.json', raw);
}

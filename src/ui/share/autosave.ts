/**
 * The session kept in localStorage: the one shown (restored on reload), the recent ones it replaced
 * (so opening a link or another scenario never loses what the user made), and a damaged save set
 * aside rather than overwritten, so it can still be downloaded.
 */
import type { Imported } from '../../sim/session/session';
import { parseShareState, type ShareState } from './shareState';

export const AUTOSAVE_KEY = 'xenscope.session';
export const DAMAGED_KEY = 'xenscope.session.damaged';
export const RECENT_KEY = 'xenscope.recent';
export const MAX_RECENT = 8;

export interface RecentEntry {
  label: string;
  state: ShareState;
}

export type SavedSession =
  { kind: 'none' } | { kind: 'ok'; state: ShareState } | { kind: 'damaged'; error: string; raw: string };

/** Reads a saved share state; a save that does not parse is reported with its text. */
export function readSaved(storage: Storage, key = AUTOSAVE_KEY): SavedSession {
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return { kind: 'none' };
  }
  if (raw === null) return { kind: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: 'damaged', error: 'not JSON', raw };
  }
  const parsed: Imported<ShareState> = parseShareState(json);
  return parsed.ok ? { kind: 'ok', state: parsed.value } : { kind: 'damaged', error: parsed.error, raw };
}

/** Writes `value` under `key`; a full or refused storage gives an error, not a throw. */
function write(storage: Storage, key: string, value: string): string | null {
  try {
    storage.setItem(key, value);
    return null;
  } catch (e) {
    return `the browser refused to save (${(e as Error).message})`;
  }
}

export function writeAutosave(storage: Storage, state: ShareState): string | null {
  return write(storage, AUTOSAVE_KEY, JSON.stringify(state));
}

/** Sets a damaged save aside (it is not overwritten by the next autosave). */
export function keepDamaged(storage: Storage, raw: string): void {
  write(storage, DAMAGED_KEY, raw);
}

export function readDamaged(storage: Storage): string | null {
  try {
    return storage.getItem(DAMAGED_KEY);
  } catch {
    return null;
  }
}

/** The recent sessions, newest first; entries that no longer parse are left out. */
export function readRecent(storage: Storage): RecentEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(RECENT_KEY) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: RecentEntry[] = [];
  for (const e of raw.slice(0, MAX_RECENT)) {
    if (typeof e !== 'object' || e === null || typeof (e as RecentEntry).label !== 'string') continue;
    const parsed = parseShareState((e as RecentEntry).state);
    if (parsed.ok) out.push({ label: (e as RecentEntry).label.slice(0, 200), state: parsed.value });
  }
  return out;
}

/**
 * Whether a session's view holds something the user made: breakpoints, an authored tour or a
 * comparison. (Whether its run was changed is a question for the catalogue: isCatalogueRun.)
 */
export function hasUserContent(state: ShareState): boolean {
  const v = state.view;
  return v.breakpoints.length > 0 || v.tour !== null || v.compare !== null;
}

/** What a session is called in the recent list. */
export function recentLabel(state: ShareState): string {
  const s = state.session;
  const extra = s.actions.length;
  return `${s.scenario ?? 'session'} · ${s.profile} · seed ${s.seed} · ${extra} action${extra === 1 ? '' : 's'} · step ${state.view.step}`;
}

/** Puts a session at the head of the recent list (an equal one already there moves up). */
export function pushRecent(storage: Storage, state: ShareState): string | null {
  const json = JSON.stringify(state.session);
  const rest = readRecent(storage).filter((e) => JSON.stringify(e.state.session) !== json);
  const list = [{ label: recentLabel(state), state }, ...rest].slice(0, MAX_RECENT);
  return write(storage, RECENT_KEY, JSON.stringify(list));
}

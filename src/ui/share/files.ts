/**
 * Session and trace files. A session file is the share state (`{session, view}`); a trace file adds
 * the full trace, for tools outside XenScope. Either imports back: the session is replayed, and for
 * a trace file the replay must give the file's trace step for step (an edited trace is refused,
 * naming the first step that differs). A bare core session (`{format: "xenscope-session", …}`)
 * imports too, with the default view.
 */
import { SESSION_FORMAT, loadSession, type Imported } from '../../sim/session/session';
import type { TraceEntry } from '../../sim/world/trace';
import type { World } from '../../sim/world/world';
import { parseShareState, type ShareState } from './shareState';

export const TRACE_FORMAT = 'xenscope-trace';
export const TRACE_VERSION = 1;
/** Files larger than this are refused before they are read as JSON. */
export const MAX_IMPORT_BYTES = 64 << 20;

export interface TraceFile {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  session: ShareState['session'];
  view: ShareState['view'];
  trace: TraceEntry[];
}

export function sessionFileText(state: ShareState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}

export function traceFileText(state: ShareState, trace: readonly TraceEntry[]): string {
  const file: TraceFile = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    session: state.session,
    view: state.view,
    trace: [...trace],
  };
  return `${JSON.stringify(file)}\n`;
}

export interface ImportedFile {
  state: ShareState;
  /** the world the session replays to (already built, so opening it cannot fail) */
  world: World;
  kind: 'session' | 'trace';
}

/** The first step at which two traces differ, or -1. */
function firstDifference(a: readonly unknown[], b: readonly unknown[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i;
  return -1;
}

/** A file's text → the checked state and its replayed world, or an error naming the problem. */
export function importFileText(text: string): Imported<ImportedFile> {
  if (text.length > MAX_IMPORT_BYTES)
    return { ok: false, error: `file: larger than ${MAX_IMPORT_BYTES >> 20} MB` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `file: not JSON (${(e as Error).message})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: 'file: not a XenScope session or trace (a JSON object is expected)' };
  const o = raw as Record<string, unknown>;
  let kind: ImportedFile['kind'] = 'session';
  let shareRaw: unknown = raw;
  let trace: unknown[] | null = null;
  if (o['format'] === TRACE_FORMAT) {
    if (o['version'] !== TRACE_VERSION) return { ok: false, error: `version: must be ${TRACE_VERSION}` };
    for (const k of Object.keys(o))
      if (!['format', 'version', 'session', 'view', 'trace'].includes(k))
        return { ok: false, error: `${k.slice(0, 40)}: not a trace file field` };
    if (!Array.isArray(o['trace'])) return { ok: false, error: 'trace: must be a list of steps' };
    kind = 'trace';
    trace = o['trace'];
    shareRaw = { session: o['session'], view: o['view'] };
  } else if (o['format'] === SESSION_FORMAT) shareRaw = { session: raw };
  else if (typeof o['format'] === 'string')
    return { ok: false, error: `format: "${o['format'].slice(0, 40)}" is not a XenScope file` };
  const state = parseShareState(shareRaw);
  if (!state.ok) return state;
  const world = loadSession(state.value.session);
  if (!world.ok) return { ok: false, error: `session.${world.error}` };
  if (trace !== null) {
    const at = firstDifference(trace, world.value.trace);
    if (at >= 0)
      return {
        ok: false,
        error:
          at >= trace.length || at >= world.value.trace.length
            ? `trace: has ${trace.length} steps, its session replays to ${world.value.trace.length}`
            : `trace: step ${at} differs from what its session replays (was the file edited?)`,
      };
  }
  return { ok: true, value: { state: state.value, world: world.value, kind } };
}

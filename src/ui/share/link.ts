/**
 * Links: the address of a page that shows exactly what its sender saw. Two forms:
 *
 * - readable, for a scenario as the catalogue plays it: `?scenario=S7&profile=kexec-patch-2006&seed=4
 *   &step=42&node=/local/domain/1/device/vbd/51712/state&tab=debug` (every view field optional);
 * - packed, once the user changed the run (actions, faults, picks) or added breakpoints, a tour or a
 *   comparison: `?s=` and the share state as JSON, deflated and in base64url.
 *
 * Mode flags ride along in both: `embed=1` (chrome-less, for an iframe), `present=1` (presenter
 * mode), `notes=1` (the speaker-notes window). Parsing never throws: a bad address gives an error
 * naming the parameter at fault.
 */
import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
import type { Imported } from '../../sim/session/session';
import { parseFixtureUrl, type FixtureRequest } from '../session/fixtureUrl';
import { DEFAULT_VIEW, parseShareState, parseShareView, type ShareState, type ShareView } from './shareState';

export const PACKED_PARAM = 's';
/** Longer than any link a browser or chat program keeps whole; refused before decoding. */
export const MAX_PACKED_CHARS = 65_536;
/** What a packed link may inflate to (a deflate bomb stops here). */
export const MAX_INFLATED_BYTES = 4 << 20;

export interface Modes {
  embed: boolean;
  present: boolean;
  notes: boolean;
}

export type AddressRequest =
  | { kind: 'none' }
  | { kind: 'fixture'; request: FixtureRequest; view: Partial<ShareView> }
  | { kind: 'packed'; state: ShareState };

export interface AddressParse {
  modes: Modes;
  request: AddressRequest;
  /** why the request part could not be read (the modes still apply) */
  error: string | null;
}

// ------------------------------------------------------------------ base64url

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    if (i + 1 < bytes.length) out += B64[(n >> 6) & 63]!;
    if (i + 2 < bytes.length) out += B64[n & 63]!;
  }
  return out;
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const c = [0, 1, 2, 3].map((k) => (i + k < text.length ? B64.indexOf(text[i + k]!) : 0));
    const n = (c[0]! << 18) | (c[1]! << 12) | (c[2]! << 6) | c[3]!;
    out[o++] = (n >> 16) & 255;
    if (i + 2 < text.length) out[o++] = (n >> 8) & 255;
    if (i + 3 < text.length) out[o++] = n & 255;
  }
  return out.subarray(0, o);
}

// ------------------------------------------------------------------ packed form

/** The view fields that differ from the defaults (a link carries only those). */
function changedView(view: ShareView): Partial<ShareView> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(view))
    if (JSON.stringify(v) !== JSON.stringify(DEFAULT_VIEW[k as keyof ShareView])) out[k] = v;
  return out as Partial<ShareView>;
}

export function packShareState(state: ShareState): string {
  const json = JSON.stringify({ session: state.session, view: changedView(state.view) });
  return toBase64Url(deflateSync(strToU8(json), { level: 9 }));
}

/** Inflates at most MAX_INFLATED_BYTES, or null for data that is not deflate or too big. */
function inflateBounded(data: Uint8Array): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  try {
    const inflater = new Inflate((chunk, final) => {
      size += chunk.length;
      if (size > MAX_INFLATED_BYTES) throw new RangeError('too big');
      chunks.push(chunk);
      if (final) done = true;
    });
    inflater.push(data, true);
  } catch {
    return null;
  }
  if (!done) return null;
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export function unpackShareState(text: string): Imported<ShareState> {
  const bad = (error: string): Imported<ShareState> => ({ ok: false, error: `${PACKED_PARAM}: ${error}` });
  if (text.length > MAX_PACKED_CHARS) return bad(`longer than ${MAX_PACKED_CHARS} characters`);
  const bytes = fromBase64Url(text);
  if (bytes === null) return bad('not base64url text (was the link cut or changed?)');
  const inflated = inflateBounded(bytes);
  if (inflated === null) return bad('not a packed session (was the link cut or changed?)');
  let raw: unknown;
  try {
    raw = JSON.parse(strFromU8(inflated));
  } catch {
    return bad('the packed session is not JSON');
  }
  const parsed = parseShareState(raw);
  return parsed.ok ? parsed : bad(parsed.error);
}

// ------------------------------------------------------------------ readable form

const flag = (params: URLSearchParams, name: string) => params.get(name) === '1';

/** The view fields of a readable link; only those present are returned. */
function readableView(params: URLSearchParams): Imported<Partial<ShareView>> {
  const raw: Record<string, unknown> = {};
  const step = params.get('step');
  if (step !== null) {
    if (!/^\d{1,9}$/.test(step))
      return { ok: false, error: `step: must be a whole number, not "${step.slice(0, 40)}"` };
    raw['step'] = Number(step);
  }
  for (const k of ['node', 'device'] as const) {
    const v = params.get(k);
    if (v !== null) raw[k] = v;
  }
  const slot = params.get('slot');
  if (slot !== null) {
    const m = /^(.+):(\d{1,4})$/.exec(slot);
    if (m === null) return { ok: false, error: `slot: must be ring:index, not "${slot.slice(0, 60)}"` };
    raw['slot'] = { ring: m[1], index: Number(m[2]) };
  }
  const tab = params.get('tab');
  if (tab !== null) raw['tab'] = tab;
  const max = params.get('max');
  if (max !== null) raw['maximized'] = max;
  const zoom = params.get('zoom');
  if (zoom !== null) raw['zoom'] = zoom;
  const target = params.get('target');
  if (target !== null) {
    if (!/^\d{1,5}$/.test(target)) return { ok: false, error: `target: must be a domain id` };
    raw['target'] = Number(target);
  }
  // checked with the full rules; the step's upper bound is checked once the trace is known
  const checked = parseShareView(raw, Number.MAX_SAFE_INTEGER);
  if (!checked.ok) return { ok: false, error: checked.error.replace(/^view\./, '') };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) out[k] = checked.value[k as keyof ShareView];
  return { ok: true, value: out as Partial<ShareView> };
}

/** Reads an address's query string (with or without its `?`). */
export function parseAddress(search: string): AddressParse {
  const params = new URLSearchParams(search);
  const modes: Modes = {
    embed: flag(params, 'embed'),
    present: flag(params, 'present'),
    notes: flag(params, 'notes'),
  };
  const packed = params.get(PACKED_PARAM);
  if (packed !== null) {
    const state = unpackShareState(packed);
    return state.ok
      ? { modes, request: { kind: 'packed', state: state.value }, error: null }
      : { modes, request: { kind: 'none' }, error: state.error };
  }
  const fixture = parseFixtureUrl(search);
  if (fixture.kind === 'none') return { modes, request: { kind: 'none' }, error: null };
  if (fixture.kind === 'error') return { modes, request: { kind: 'none' }, error: fixture.error };
  const view = readableView(params);
  if (!view.ok) return { modes, request: { kind: 'none' }, error: view.error };
  return { modes, request: { kind: 'fixture', request: fixture.value, view: view.value }, error: null };
}

function withModes(params: URLSearchParams, modes: Modes): string {
  if (modes.embed) params.set('embed', '1');
  if (modes.present) params.set('present', '1');
  if (modes.notes) params.set('notes', '1');
  return `?${params.toString()}`;
}

/** The readable address of a scenario as the catalogue plays it, with the view's changed fields. */
export function readableAddress(request: FixtureRequest, view: ShareView, modes: Modes): string {
  const p = new URLSearchParams();
  p.set('scenario', request.scenario);
  p.set('profile', request.profile);
  p.set('seed', String(request.seed));
  if (request.policy === 'manual') p.set('policy', 'manual');
  if (view.step !== 0) p.set('step', String(view.step));
  if (view.node !== null) p.set('node', view.node);
  if (view.device !== null) p.set('device', view.device);
  if (view.slot !== null) p.set('slot', `${view.slot.ring}:${view.slot.index}`);
  if (view.tab !== DEFAULT_VIEW.tab) p.set('tab', view.tab);
  if (view.maximized !== null) p.set('max', view.maximized);
  if (view.target !== DEFAULT_VIEW.target) p.set('target', String(view.target));
  if (view.zoom !== null) p.set('zoom', view.zoom);
  return withModes(p, modes);
}

/**
 * Whether a view can be said in the readable form (breakpoints, tours, comparisons and collapsed
 * store nodes cannot).
 */
export function readableFits(view: ShareView): boolean {
  return (
    view.breakpoints.length === 0 &&
    view.tour === null &&
    view.compare === null &&
    view.collapsed.length === 0
  );
}

export function packedAddress(state: ShareState, modes: Modes): string {
  const p = new URLSearchParams();
  p.set(PACKED_PARAM, packShareState(state));
  return withModes(p, modes);
}

export const NO_MODES: Modes = { embed: false, present: false, notes: false };

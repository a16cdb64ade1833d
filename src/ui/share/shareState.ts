/**
 * Everything a shared link, an autosave or an exported session carries: the session (what was run:
 * scenario, profile, seed, user actions, faults, manual picks) and the view of it (the step shown,
 * what is selected, the panel layout, the breakpoints, an authored tour). Parsing checks every field
 * and names the first bad one; nothing is built from a value that did not pass.
 */
import { isProfileId } from '../../sim/profiles';
import { findPlayable } from '../../sim/scenarios/demos';
import { parseSession, type Imported, type SessionFile } from '../../sim/session/session';
import { INSPECTOR_TABS, type CompareTarget, type InspectorTab } from '../app/viewStore';
import { parseBreakpoint } from '../model/breakpoints';
import { REGIONS, type RegionSpec } from '../shell/regions';
import type { Tour } from '../tour/types';
import { MAX_SLOT, isIndex, isObject, isText } from './guards';
import { parseTour } from './tourFile';

/** A slot of a shared ring: the ring's id on the hypervisor and the slot index. */
export interface SlotRef {
  ring: string;
  index: number;
}

export interface ShareView {
  /** the cursor: steps run so far */
  step: number;
  node: string | null;
  device: string | null;
  slot: SlotRef | null;
  /** the domain the action buttons act on */
  target: number;
  tab: InspectorTab;
  /** the panel shown alone, or null for all four */
  maximized: RegionSpec['id'] | null;
  /** the store view's collapsed nodes, sorted */
  collapsed: string[];
  /** the device pair the world map's state matrix is zoomed into */
  zoom: string | null;
  compare: CompareTarget | null;
  breakpoints: Array<{ text: string; enabled: boolean }>;
  tour: Tour | null;
}

export interface ShareState {
  session: SessionFile;
  view: ShareView;
}

export const DEFAULT_VIEW: ShareView = {
  step: 0,
  node: null,
  device: null,
  slot: null,
  target: 1,
  tab: 'step',
  maximized: null,
  collapsed: [],
  zoom: null,
  compare: null,
  breakpoints: [],
  tour: null,
};

/** Bounds on a view's text: a xenstore path is at most 3072 bytes; the rest are names. */
const MAX_PATH = 3072;
const MAX_NAME = 200;
const MAX_BREAKPOINTS = 100;
const MAX_COLLAPSED = 2000;
const VIEW_KEYS = Object.keys(DEFAULT_VIEW);

/**
 * Checks a view against the session it belongs to (`steps`: the session's trace length). Fields
 * left out take their defaults, so a hand-written link may name only what it cares about.
 */
export function parseShareView(raw: unknown, steps: number): Imported<ShareView> {
  const bad = (error: string): Imported<ShareView> => ({ ok: false, error: `view.${error}` });
  if (!isObject(raw)) return { ok: false, error: 'view: must be an object' };
  for (const k of Object.keys(raw))
    if (!VIEW_KEYS.includes(k)) return bad(`${k.slice(0, 40)}: not a view field`);
  const o = { ...DEFAULT_VIEW, ...raw } as Record<string, unknown>;
  if (!isIndex(o['step'], steps)) return bad(`step: must be an integer 0…${steps}`);
  for (const k of ['node', 'device'] as const) {
    const v = o[k];
    if (v !== null && !isText(v, MAX_PATH))
      return bad(`${k}: must be a name (at most ${MAX_PATH} characters) or null`);
  }
  if (o['node'] !== null && !(o['node'] as string).startsWith('/'))
    return bad('node: must be an absolute store path');
  const slot = o['slot'];
  if (slot !== null) {
    if (!isObject(slot) || !isText(slot['ring'], MAX_NAME) || !isIndex(slot['index'], MAX_SLOT))
      return bad('slot: must be {ring, index} or null');
    if (Object.keys(slot).length !== 2) return bad('slot: only ring and index');
  }
  if (!isIndex(o['target'], 0x7fef)) return bad('target: must be a domain id');
  if (!(INSPECTOR_TABS as readonly unknown[]).includes(o['tab']))
    return bad(`tab: must be one of ${INSPECTOR_TABS.join(', ')}`);
  const maximized = o['maximized'];
  if (maximized !== null && !REGIONS.some((r) => r.id === maximized))
    return bad(`maximized: must be one of ${REGIONS.map((r) => r.id).join(', ')} or null`);
  const collapsed = o['collapsed'];
  if (!Array.isArray(collapsed) || collapsed.length > MAX_COLLAPSED)
    return bad(`collapsed: must be a list of at most ${MAX_COLLAPSED} store paths`);
  for (const [i, p] of collapsed.entries())
    if (!isText(p, MAX_PATH) || !p.startsWith('/'))
      return bad(`collapsed[${i}]: must be an absolute store path`);
  if (o['zoom'] !== null && !isText(o['zoom'], MAX_PATH)) return bad('zoom: must be a device or null');
  const compare = o['compare'];
  if (compare !== null) {
    if (
      !isObject(compare) ||
      !isText(compare['scenario'], MAX_NAME) ||
      !isText(compare['profile'], MAX_NAME) ||
      !isIndex(compare['seed'], 0xffff_ffff) ||
      Object.keys(compare).length !== 3
    )
      return bad('compare: must be {scenario, profile, seed} or null');
    const other = findPlayable(compare['scenario']);
    if (other === undefined) return bad(`compare.scenario: no scenario "${compare['scenario']}"`);
    if (!isProfileId(compare['profile']) || !other.profiles.includes(compare['profile']))
      return bad(`compare.profile: ${other.id} is written for ${other.profiles.join(', ')}`);
  }
  const bps = o['breakpoints'];
  if (!Array.isArray(bps) || bps.length > MAX_BREAKPOINTS)
    return bad(`breakpoints: must be a list of at most ${MAX_BREAKPOINTS}`);
  const breakpoints: ShareView['breakpoints'] = [];
  for (const [i, b] of bps.entries()) {
    if (!isObject(b) || !isText(b['text'], MAX_PATH) || typeof b['enabled'] !== 'boolean')
      return bad(`breakpoints[${i}]: must be {text, enabled}`);
    const parsed = parseBreakpoint(b['text']);
    if (!parsed.ok) return bad(`breakpoints[${i}]: ${parsed.error}`);
    breakpoints.push({ text: b['text'], enabled: b['enabled'] });
  }
  let tour: Tour | null = null;
  if (o['tour'] !== null) {
    const parsed = parseTour(o['tour'], steps);
    if (!parsed.ok) return bad(`tour.${parsed.error}`);
    tour = parsed.value;
  }
  return {
    ok: true,
    value: {
      step: o['step'] as number,
      node: o['node'] as string | null,
      device: o['device'] as string | null,
      slot: slot === null ? null : { ring: slot['ring'] as string, index: slot['index'] as number },
      target: o['target'] as number,
      tab: o['tab'] as InspectorTab,
      maximized: maximized as ShareView['maximized'],
      collapsed: [...new Set(collapsed as string[])].sort(),
      zoom: o['zoom'] as string | null,
      compare: compare as ShareView['compare'],
      breakpoints,
      tour,
    },
  };
}

/** Checks a whole share state (from a link, a save or a file); the error names the first bad field. */
export function parseShareState(raw: unknown): Imported<ShareState> {
  if (!isObject(raw)) return { ok: false, error: 'must be a JSON object' };
  for (const k of Object.keys(raw))
    if (k !== 'session' && k !== 'view') return { ok: false, error: `${k.slice(0, 40)}: not a field` };
  const session = parseSession(raw['session']);
  if (!session.ok) return { ok: false, error: `session.${session.error}` };
  if (session.value.scenario === null) return { ok: false, error: 'session.scenario: must name a scenario' };
  const view = parseShareView(raw['view'] ?? {}, session.value.steps);
  if (!view.ok) return view;
  return { ok: true, value: { session: session.value, view: view.value } };
}

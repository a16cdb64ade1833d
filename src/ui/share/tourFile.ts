/**
 * Checking an authored tour read from a link, a save or a file: captions are plain text (shown as
 * text, never markup), stops in step order inside the session's trace.
 */
import type { Imported } from '../../sim/session/session';
import type { Tour, TourHighlight, TourStop } from '../tour/types';
import { MAX_SLOT, isIndex, isObject, isString } from './guards';

export const MAX_TOUR_STOPS = 200;
const MAX_CAPTION = 2000;
const MAX_INTRO = 4000;
const MAX_NAME = 3072;

function parseHighlight(raw: unknown, at: string): Imported<TourHighlight> {
  if (!isObject(raw)) return { ok: false, error: `${at}: must be an object` };
  const out: TourHighlight = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'node' || k === 'device') {
      if (!isString(v, MAX_NAME) || v.length === 0) return { ok: false, error: `${at}.${k}: must be a name` };
      out[k] = v;
    } else if (k === 'slot') {
      if (!isObject(v) || !isString(v['ring'], 200) || !isIndex(v['index'], MAX_SLOT))
        return { ok: false, error: `${at}.slot: must be {ring, index}` };
      out.slot = { ring: v['ring'], index: v['index'] };
    } else return { ok: false, error: `${at}.${k.slice(0, 40)}: not a highlight field` };
  }
  return { ok: true, value: out };
}

/** A tour's JSON → the tour, checked against a trace of `steps` steps. */
export function parseTour(raw: unknown, steps: number): Imported<Tour> {
  if (!isObject(raw)) return { ok: false, error: 'tour: must be an object' };
  for (const k of Object.keys(raw))
    if (!['scenario', 'profile', 'title', 'intro', 'introSource', 'stops'].includes(k))
      return { ok: false, error: `${k.slice(0, 40)}: not a tour field` };
  if (!isString(raw['scenario'], 200)) return { ok: false, error: 'scenario: must be text' };
  if (!isString(raw['title'], 200))
    return { ok: false, error: 'title: must be text of at most 200 characters' };
  if (!isString(raw['intro'], MAX_INTRO))
    return { ok: false, error: `intro: must be text of at most ${MAX_INTRO} characters` };
  for (const k of ['profile', 'introSource'] as const)
    if (raw[k] !== undefined && !isString(raw[k], 200)) return { ok: false, error: `${k}: must be text` };
  const rawStops = raw['stops'];
  if (!Array.isArray(rawStops) || rawStops.length > MAX_TOUR_STOPS)
    return { ok: false, error: `stops: must be a list of at most ${MAX_TOUR_STOPS}` };
  const stops: TourStop[] = [];
  for (const [i, s] of rawStops.entries()) {
    const at = `stops[${i}]`;
    if (!isObject(s)) return { ok: false, error: `${at}: must be an object` };
    for (const k of Object.keys(s))
      if (!['step', 'caption', 'highlight', 'predict', 'source'].includes(k))
        return { ok: false, error: `${at}.${k.slice(0, 40)}: not a stop field` };
    const step = s['step'];
    if (!isIndex(step, steps)) return { ok: false, error: `${at}.step: must be an integer 0…${steps}` };
    if (i > 0 && step < stops[i - 1]!.step)
      return { ok: false, error: `${at}.step: stops must be in step order` };
    if (!isString(s['caption'], MAX_CAPTION))
      return { ok: false, error: `${at}.caption: must be text of at most ${MAX_CAPTION} characters` };
    const stop: TourStop = { step, caption: s['caption'] };
    if (s['highlight'] !== undefined) {
      const h = parseHighlight(s['highlight'], `${at}.highlight`);
      if (!h.ok) return h;
      stop.highlight = h.value;
    }
    if (s['predict'] !== undefined) {
      const p = s['predict'];
      if (!isObject(p) || !isString(p['device'], MAX_NAME) || Object.keys(p).length !== 1)
        return { ok: false, error: `${at}.predict: must be {device}` };
      stop.predict = { device: p['device'] };
    }
    if (s['source'] !== undefined) {
      if (!isString(s['source'], 200)) return { ok: false, error: `${at}.source: must be text` };
      stop.source = s['source'];
    }
    stops.push(stop);
  }
  return {
    ok: true,
    value: {
      scenario: raw['scenario'],
      ...(raw['profile'] === undefined ? {} : { profile: raw['profile'] as string }),
      title: raw['title'],
      intro: raw['intro'],
      ...(raw['introSource'] === undefined ? {} : { introSource: raw['introSource'] as string }),
      stops,
    },
  };
}

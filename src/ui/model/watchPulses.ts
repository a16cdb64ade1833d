/**
 * Watch events in flight, for the store view's pulses: each event xenstored fired travels from its
 * node to the watching kernel between the step that fired it and the step that delivered it.
 * Pure; `position` is the playback clock's fractional position (steps run, plus how far the next
 * step's animation has gone).
 */
import { classifyActor } from '../layout/lanes';
import type { WatchIndex } from './watchQueue';

export interface WatchPulse {
  actor: string;
  /** absolute path of the node that fired */
  path: string;
  token: string;
  /** 0 at the fire, 1 at the delivery */
  fraction: number;
}

/** A path as reported to a watcher, made absolute: relative ones are under its domain's home. */
export function absoluteWatchPath(path: string, actor: string): string {
  if (path.startsWith('/')) return path;
  const domid = classifyActor(actor).domid ?? 0;
  return `/local/domain/${domid}/${path}`;
}

/**
 * The events in flight at `position`: fired at step s (shown from position s + 1) and delivered at
 * step d (arrived at d + 1), at fraction (position − s − 1) / (d − s).
 */
export function watchPulsesAt(index: WatchIndex, position: number): WatchPulse[] {
  const pulses: WatchPulse[] = [];
  for (const actor of index.actors()) {
    const q = index.queueOf(actor);
    if (q === undefined) continue;
    for (const ev of q.events) {
      if (ev.firedAt === null || ev.firedAt + 1 > position) continue;
      if (ev.queuedAt + 1 <= position) continue;
      const span = ev.queuedAt - ev.firedAt;
      pulses.push({
        actor,
        path: absoluteWatchPath(ev.path, actor),
        token: ev.token,
        fraction: span <= 0 ? 1 : Math.min(1, Math.max(0, (position - ev.firedAt - 1) / span)),
      });
    }
  }
  return pulses;
}

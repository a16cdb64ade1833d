/**
 * Watch-event faults: what happens to one WATCH_EVENT xenstored queues for a client, given the
 * world's options. The fault fires once (on the first matching event) and then clears itself, so a
 * scenario can lose exactly the event it is about.
 */
import type { OptionValue } from './options';

export type WatchFaultOutcome = { kind: 'deliver' } | { kind: 'drop' } | { kind: 'delay'; ms: number };

const DELIVER: WatchFaultOutcome = { kind: 'deliver' };

/** Decides the event's fate and clears a fault that fired (the options record is the world's own). */
export function applyWatchFault(options: Record<string, OptionValue>, path: string): WatchFaultOutcome {
  const fault = options['watchFault'];
  if (fault !== 'drop' && fault !== 'delay') return DELIVER;
  const fragment = options['watchFaultPath'];
  if (typeof fragment !== 'string' || !path.includes(fragment)) return DELIVER;
  options['watchFault'] = 'none';
  if (fault === 'drop') return { kind: 'drop' };
  const ms = options['watchFaultDelayMs'];
  return { kind: 'delay', ms: typeof ms === 'number' ? ms : 1000 };
}

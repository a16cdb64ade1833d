/**
 * Breakpoints: conditions on a step that stop playback there. Pure: each is checked against one
 * trace entry (and, for a counter, the change that entry made). Written as short text in the
 * panel, parsed by `parseBreakpoint`:
 *
 *   blkback: Connected→Closing      a device taking a transition (driver or device key; either state may be *)
 *   blkfront: Closed                a device entering a state
 *   write /local/domain/*\/device/vbd/*\/state    a write (or `remove`, or `change`) under a path glob
 *   watch fired|merged|dropped [glob]             a watch event fired by xenstored, merged or dropped in a guest
 *   eagain                          a transaction ending in EAGAIN
 *   timeout                         a timed wait expiring (the 5 s shutdown wait …)
 *   driver_pages > 200              a balloon counter crossing a threshold (or `<`), any domain
 */
import type { TraceEntry } from '../../sim/world/trace';
import { matchesGlob } from './pathGlob';

export type BreakCondition =
  | { kind: 'transition'; device: string; from: string; to: string }
  | { kind: 'node'; op: 'write' | 'remove' | 'change'; path: string }
  | { kind: 'watch'; event: 'fired' | 'merged' | 'dropped'; path: string }
  | { kind: 'eagain' }
  | { kind: 'timeout' }
  | { kind: 'counter'; counter: 'driverPages'; above: boolean; threshold: number };

export interface Breakpoint {
  id: number;
  /** as the user typed it */
  text: string;
  condition: BreakCondition;
  enabled: boolean;
}

/** The Linux driver running a device, from its key: `dom0.kernel|backend/vbd/1/51712` → blkback. */
export function driverOf(deviceKey: string): string {
  const node = deviceKey.slice(deviceKey.indexOf('|') + 1);
  const backend = node.startsWith('backend/');
  if (node.includes('vbd/')) return backend ? 'blkback' : 'blkfront';
  if (node.includes('vif/')) return backend ? 'netback' : 'netfront';
  return node;
}

const STATE =
  /^(?:\*|Unknown|Initialising|InitWait|Initialised|Connected|Closing|Closed|Reconfiguring|Reconfigured|Removed)$/;

/** The condition a breakpoint's text names, or an error saying what is accepted. */
export function parseBreakpoint(
  text: string,
): { ok: true; condition: BreakCondition } | { ok: false; error: string } {
  const t = text.trim();
  let m: RegExpExecArray | null;
  if ((m = /^([\w.|/*-]+):\s*(\w+|\*)\s*(?:(?:→|->)\s*(\w+|\*))?$/.exec(t)) !== null) {
    const [, device = '', a = '', b] = m;
    const from = b === undefined ? '*' : a;
    const to = b ?? a;
    if (!STATE.test(from) || !STATE.test(to))
      return { ok: false, error: `"${b === undefined ? a : `${a}→${b}`}": not a xenbus state` };
    return { ok: true, condition: { kind: 'transition', device, from, to } };
  }
  if ((m = /^(write|remove|change)\s+(\/\S*)$/.exec(t)) !== null)
    return {
      ok: true,
      condition: { kind: 'node', op: m[1] as 'write' | 'remove' | 'change', path: m[2] as string },
    };
  if ((m = /^watch\s+(fired|merged|dropped)(?:\s+(\S+))?$/.exec(t)) !== null)
    return {
      ok: true,
      condition: { kind: 'watch', event: m[1] as 'fired' | 'merged' | 'dropped', path: m[2] ?? '**' },
    };
  if (/^eagain$/i.test(t)) return { ok: true, condition: { kind: 'eagain' } };
  if (/^time(?:out|r)$/i.test(t)) return { ok: true, condition: { kind: 'timeout' } };
  if ((m = /^driver_pages\s*([<>])\s*(\d+)$/.exec(t)) !== null)
    return {
      ok: true,
      condition: { kind: 'counter', counter: 'driverPages', above: m[1] === '>', threshold: Number(m[2]) },
    };
  return {
    ok: false,
    error:
      'write one of: "blkback: Connected→Closing", "blkfront: Closed", "write /local/domain/*/device/vbd/*/state", ' +
      '"watch dropped", "eagain", "timeout", "driver_pages > 200"',
  };
}

const deviceMatches = (pattern: string, key: string) =>
  pattern === '*' ||
  driverOf(key) === pattern ||
  key === pattern ||
  matchesGlob(pattern, key.slice(key.indexOf('|') + 1));

/** Why `entry` hits `c`, in words, or null. */
export function hitReason(c: BreakCondition, entry: TraceEntry): string | null {
  for (const e of entry.effects) {
    switch (c.kind) {
      case 'transition':
        if (
          e.k === 'transition' &&
          deviceMatches(c.device, e.device) &&
          (c.from === '*' || e.from === c.from) &&
          (c.to === '*' || e.to === c.to)
        )
          return `${driverOf(e.device)} ${e.device}: ${e.from} → ${e.to}`;
        break;
      case 'node':
        if (e.k === 'node-write' && c.op !== 'remove' && matchesGlob(c.path, e.path))
          return `write ${e.path} = "${e.value}"`;
        if (e.k === 'node-remove' && c.op !== 'write' && matchesGlob(c.path, e.path))
          return `remove ${e.path}`;
        break;
      case 'watch':
        if (c.event === 'fired' && e.k === 'watch-fire' && matchesGlob(c.path, e.path))
          return `watch event ${e.path} fired for ${e.to}`;
        if (e.k === 'guest' && e.e.kind === 'watch-event-dropped' && matchesGlob(c.path, e.e.path)) {
          const merged = e.e.reason === 'pending';
          if (merged === (c.event === 'merged'))
            return `watch event ${e.e.path} ${merged ? 'merged' : 'dropped'} by ${e.actor}`;
        }
        if (
          c.event === 'dropped' &&
          e.k === 'log' &&
          e.text.startsWith('fault: watch event') &&
          e.text.endsWith('lost')
        )
          return e.text;
        break;
      case 'eagain':
        if (e.k === 'tx' && e.outcome === 'eagain') return `${e.actor} transaction ${e.txId} ended in EAGAIN`;
        break;
      case 'timeout':
        if (e.k === 'timeout')
          return `${e.actor}: the wait ${e.wait === '' ? '' : `for ${e.wait} `}timed out`;
        break;
      case 'counter':
        if (e.k === 'hv' && e.e.kind === 'balloon-counter' && e.e.counter === c.counter) {
          const crossed = c.above
            ? e.e.old <= c.threshold && e.e.new > c.threshold
            : e.e.old >= c.threshold && e.e.new < c.threshold;
          if (crossed) return `dom${e.e.domid} driver_pages ${e.e.old} → ${e.e.new}`;
        }
        break;
    }
  }
  return null;
}

/** The first step in [from, to) that an enabled breakpoint hits, with which one and why. */
export function firstHit(
  breakpoints: readonly Breakpoint[],
  trace: readonly TraceEntry[],
  from: number,
  to: number,
): { seq: number; breakpoint: Breakpoint; reason: string } | null {
  const active = breakpoints.filter((b) => b.enabled);
  if (active.length === 0) return null;
  for (let seq = Math.max(0, from); seq < Math.min(to, trace.length); seq++) {
    const entry = trace[seq] as TraceEntry;
    if (entry.effects.length === 0) continue;
    for (const b of active) {
      const reason = hitReason(b.condition, entry);
      if (reason !== null) return { seq, breakpoint: b, reason };
    }
  }
  return null;
}

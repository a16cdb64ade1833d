/**
 * One line of text per trace effect, for the inspector and tooltips. Pure; the text is plain (React
 * renders it as text, so a store value containing markup shows as written).
 */
import type { TraceEffect } from '../../sim/world/trace';

export type EffectCategory =
  'store' | 'watch' | 'transaction' | 'state' | 'device' | 'hypervisor' | 'client' | 'log' | 'actor';

export interface EffectLine {
  category: EffectCategory;
  text: string;
}

/** `"value"`, or `(none)` for a node that did not exist. */
function quoted(value: string | null): string {
  return value === null ? '(none)' : `"${value}"`;
}

/** The flat fields of a record as `name=value`, nested records left out (a grant entry, a payload). */
function fields(record: object, skip: readonly string[]): string {
  return Object.entries(record)
    .filter(([k, v]) => !skip.includes(k) && (v === null || typeof v !== 'object' || Array.isArray(v)))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}

export function describeEffect(e: TraceEffect): EffectLine {
  switch (e.k) {
    case 'node-write':
      return {
        category: 'store',
        text:
          e.old === null
            ? `${e.path} created = ${quoted(e.value)} (${e.perms})`
            : `${e.path}: ${quoted(e.old)} → ${quoted(e.value)}`,
      };
    case 'node-remove':
      return { category: 'store', text: `${e.path} removed (was ${quoted(e.old)})` };
    case 'watch-fire':
      return { category: 'watch', text: `watch event ${e.path} (${e.token}) queued for ${e.to}` };
    case 'watch-add':
      return { category: 'watch', text: `${e.actor} watches ${e.path} (${e.token})` };
    case 'watch-remove':
      return { category: 'watch', text: `${e.actor} stops watching ${e.path} (${e.token})` };
    case 'tx':
      return {
        category: 'transaction',
        text:
          `${e.actor} transaction ${e.txId}: ${e.outcome}` +
          (e.conflictPath === undefined ? '' : ` (${e.conflictPath} changed since it was read)`) +
          (e.reads === undefined ? '' : `; read ${e.reads.length} nodes, wrote ${e.writes?.length ?? 0}`),
      };
    case 'transition':
      return { category: 'state', text: `${e.device}: ${e.from} → ${e.to}` };
    case 'device':
      return { category: 'device', text: `${e.device} ${e.change}` };
    case 'hv': {
      const rest = fields(e.e, ['kind']);
      return { category: 'hypervisor', text: rest === '' ? e.e.kind : `${e.e.kind} ${rest}` };
    }
    case 'guest': {
      const rest = fields(e.e, ['kind']);
      return { category: 'client', text: `${e.actor} ${e.e.kind}${rest === '' ? '' : ` ${rest}`}` };
    }
    case 'timeout':
      return {
        category: 'actor',
        text: `${e.actor}: the wait ${e.wait === '' ? '' : `for ${e.wait} `}timed out`,
      };
    case 'woken-by':
      return {
        category: 'actor',
        text: e.how === 'start' ? `started by step ${e.by}` : `woken by step ${e.by} (complete / wake_up)`,
      };
    case 'log':
      return { category: 'log', text: `${e.actor}: ${e.text}` };
    case 'actor':
      return { category: 'actor', text: `${e.actor} ${e.change}` };
  }
}

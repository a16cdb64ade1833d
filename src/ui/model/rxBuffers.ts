/**
 * Netfront receive buffers by ring, from the trace's `rx-buffer` effects: a buffer's id is the rx
 * ring slot its request went into, so each slot can be coloured by what became of its buffer
 * (posted, transferred back, leaked …), also after the frontend left the ring. Pure.
 */
import type { RxBufferState } from '../../hypervisor/effects';
import type { TraceEntry } from '../../sim/world/trace';
import { countBefore } from './nodeHistory';

export interface RxEvent {
  seq: number;
  /** the domain whose buffer it is (netfront's) */
  domid: number;
  id: number;
  state: RxBufferState;
}

/** Per ring, its buffer events; and for rings where buffers leaked, the leaked count after each change. */
export interface RxIndex {
  events: ReadonlyMap<string, RxEvent[]>;
  leaks: ReadonlyMap<string, { domid: number; seqs: number[]; counts: number[] }>;
}

export function createRxIndex(trace: readonly TraceEntry[]): RxIndex {
  const events = new Map<string, RxEvent[]>();
  const leaks = new Map<string, { domid: number; seqs: number[]; counts: number[] }>();
  const leakedNow = new Map<string, Set<number>>();
  for (const entry of trace)
    for (const e of entry.effects) {
      if (e.k !== 'hv' || e.e.kind !== 'rx-buffer') continue;
      const { ringId, id, state, domid } = e.e;
      const list = events.get(ringId) ?? [];
      list.push({ seq: entry.seq, domid, id, state });
      events.set(ringId, list);
      const leaked = leakedNow.get(ringId) ?? new Set<number>();
      leakedNow.set(ringId, leaked);
      const before = leaked.size;
      if (state === 'leaked') leaked.add(id);
      else leaked.delete(id);
      if (leaked.size === before) continue;
      const l = leaks.get(ringId) ?? { domid, seqs: [], counts: [] };
      leaks.set(ringId, l);
      if (l.seqs.at(-1) === entry.seq) l.counts[l.counts.length - 1] = leaked.size;
      else {
        l.seqs.push(entry.seq);
        l.counts.push(leaked.size);
      }
    }
  return { events, leaks };
}

/** Each buffer id's latest state before `cursor` (steps run). */
export function rxStatesAt(index: RxIndex, ringId: string, cursor: number): Map<number, RxBufferState> {
  const states = new Map<number, RxBufferState>();
  for (const ev of index.events.get(ringId) ?? []) {
    if (ev.seq >= cursor) break;
    states.set(ev.id, ev.state);
  }
  return states;
}

/** Rings whose buffers leaked by `cursor`, with the domain they belong to and how many leaked. */
export function leakedRings(
  index: RxIndex,
  cursor: number,
): Array<{ ringId: string; domid: number; leaked: number }> {
  const out: Array<{ ringId: string; domid: number; leaked: number }> = [];
  for (const [ringId, l] of index.leaks) {
    const i = countBefore(l.seqs, cursor) - 1;
    const leaked = i < 0 ? 0 : (l.counts[i] as number);
    if (leaked > 0) out.push({ ringId, domid: l.domid, leaked });
  }
  return out;
}

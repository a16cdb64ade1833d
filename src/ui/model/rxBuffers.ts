/**
 * Netfront receive buffers by ring, from the trace's `rx-buffer` effects: a buffer's id is the rx
 * ring slot its request went into, so each slot can be coloured by what became of its buffer
 * (posted, transferred back, leaked …), also after the frontend left the ring. Pure.
 */
import type { RxBufferState } from '../../hypervisor/effects';
import type { TraceEntry } from '../../sim/world/trace';

export interface RxEvent {
  seq: number;
  /** the domain whose buffer it is (netfront's) */
  domid: number;
  id: number;
  state: RxBufferState;
}

export type RxIndex = ReadonlyMap<string, RxEvent[]>;

export function createRxIndex(trace: readonly TraceEntry[]): RxIndex {
  const index = new Map<string, RxEvent[]>();
  for (const entry of trace)
    for (const e of entry.effects) {
      if (e.k !== 'hv' || e.e.kind !== 'rx-buffer') continue;
      const list = index.get(e.e.ringId) ?? [];
      list.push({ seq: entry.seq, domid: e.e.domid, id: e.e.id, state: e.e.state });
      index.set(e.e.ringId, list);
    }
  return index;
}

/** Each buffer id's latest state before `cursor` (steps run). */
export function rxStatesAt(index: RxIndex, ringId: string, cursor: number): Map<number, RxBufferState> {
  const states = new Map<number, RxBufferState>();
  for (const ev of index.get(ringId) ?? []) {
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
  for (const [ringId, events] of index) {
    let leaked = 0;
    for (const s of rxStatesAt(index, ringId, cursor).values()) if (s === 'leaked') leaked++;
    if (leaked > 0) out.push({ ringId, domid: events[0]!.domid, leaked });
  }
  return out;
}

/**
 * The steps that changed the store (a node written or removed), in order, with the first path each
 * touched. The store view reads the tree again only when the latest such step before the cursor
 * moves, and centres that path. Pure; built in one pass over the trace.
 */
import type { TraceEntry } from '../../sim/world/trace';
import { countBefore } from './nodeHistory';

export interface StoreChanges {
  seqs: number[];
  paths: string[];
}

export function createStoreChanges(trace: readonly TraceEntry[]): StoreChanges {
  const seqs: number[] = [];
  const paths: string[] = [];
  for (const entry of trace)
    for (const e of entry.effects)
      if (e.k === 'node-write' || e.k === 'node-remove') {
        seqs.push(entry.seq);
        paths.push(e.path);
        break;
      }
  return { seqs, paths };
}

/** The latest step before `cursor` that changed the store, and the first path it touched. */
export function lastStoreChange(changes: StoreChanges, cursor: number): { seq: number; path: string } | null {
  const i = countBefore(changes.seqs, cursor) - 1;
  return i < 0 ? null : { seq: changes.seqs[i] as number, path: changes.paths[i] as string };
}

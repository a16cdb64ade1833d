import { useMemo } from 'react';
import type { CauseLink } from '../model/whyChain';
import { useTraceIndexes } from './useTraceIndexes';
import { useView } from './useView';

/** Links followed back from the asked step: enough for any handshake of the catalogue. */
export const WHY_DEPTH = 400;

/**
 * The why-chain being shown (null when none is asked for): its links, newest first, and the set of
 * steps on it, for highlighting in the chart, store view and world map.
 */
export interface ShownChain {
  links: CauseLink[];
  steps: ReadonlySet<number>;
  /** store nodes the chain's steps wrote or removed */
  paths: ReadonlySet<string>;
  /** devices (keys) the chain's steps moved to another state */
  devices: ReadonlySet<string>;
}

export function useWhyChain(): ShownChain | null {
  const why = useView((s) => s.why);
  const indexes = useTraceIndexes();
  return useMemo(() => {
    if (why === null) return null;
    const links = indexes.why.chain(why.seq, WHY_DEPTH);
    const steps = new Set<number>([why.seq]);
    for (const l of links) steps.add(l.from);
    const paths = new Set<string>();
    const devices = new Set<string>();
    for (const seq of steps)
      for (const e of indexes.trace[seq]?.effects ?? []) {
        if (e.k === 'node-write' || e.k === 'node-remove') paths.add(e.path);
        else if (e.k === 'transition') devices.add(e.device);
      }
    return { links, steps, paths, devices };
  }, [why, indexes]);
}

/**
 * Snapshots for checkpoints and time travel, copy-on-write: the clone shares every domain and ring
 * with the source, and whichever state first changes one copies it (state.ts own / ownRing). Cost:
 * two Map copies, then one domain or ring copy per object actually changed.
 */
import type { HypervisorState } from './types';

/** An independent copy: operations on either never affect the other. */
export function cloneHypervisor(hv: HypervisorState): HypervisorState {
  // domains are copied on first use by whichever side changes them (state.ts own())
  const domains = new Map(hv.domains);
  for (const id of hv.domains.keys()) hv.shared.add(id);
  const rings = new Map(hv.rings);
  for (const id of hv.rings.keys()) hv.sharedRings.add(id);
  return {
    domains,
    rings,
    domidRover: hv.domidRover,
    ringSerial: hv.ringSerial,
    nextFrame: hv.nextFrame,
    shared: new Set(hv.domains.keys()),
    sharedRings: new Set(hv.rings.keys()),
  };
}

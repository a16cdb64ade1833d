/** Construction of an empty world and the lookups every operation starts with. */
import { cloneDomain, cloneRing } from './copies';
import { HypervisorUsageError } from './errors';
import type { Domain, Domid, HypervisorState, SharedRing } from './types';

/** An empty hypervisor: no domains, no rings. dom0 is created like any other domain. */
export function createHypervisor(): HypervisorState {
  return {
    domains: new Map(),
    rings: new Map(),
    domidRover: 0,
    ringSerial: 0,
    nextFrame: 0x1000,
    shared: new Set(),
    sharedRings: new Set(),
  };
}

/**
 * The domain as this state may change it: a domain still shared with a clone (see clone.ts) is
 * copied into this state first.
 */
function own(hv: HypervisorState, domid: Domid): Domain | undefined {
  const d = hv.domains.get(domid);
  if (d === undefined || !hv.shared.has(domid)) return d;
  hv.shared.delete(domid);
  const copy = cloneDomain(d);
  hv.domains.set(domid, copy);
  return copy;
}

/** The ring as this state may change it (copied first while shared with a clone). */
export function ownRing(hv: HypervisorState, ringId: string): SharedRing | undefined {
  const r = hv.rings.get(ringId);
  if (r === undefined || !hv.sharedRings.has(ringId)) return r;
  hv.sharedRings.delete(ringId);
  const copy = cloneRing(r);
  hv.rings.set(ringId, copy);
  return copy;
}

/** The domain with this id, running or dying, if it exists. */
export function getDomain(hv: HypervisorState, domid: Domid): Domain | undefined {
  return own(hv, domid);
}

/**
 * The domain performing an operation. It must exist and be running: a destroyed or dying domain has
 * no vCPUs left to make hypercalls, so asking it to act is a mistake of the caller.
 */
export function requireDomain(hv: HypervisorState, domid: Domid): Domain {
  const d = own(hv, domid);
  if (!d) throw new HypervisorUsageError(`domain ${domid} does not exist`);
  if (d.status !== 'running') throw new HypervisorUsageError(`domain ${domid} is ${d.status} and cannot act`);
  return d;
}

/** The ring with this id; an unknown id is a caller mistake. */
export function requireRing(hv: HypervisorState, ringId: string): SharedRing {
  const r = ownRing(hv, ringId);
  if (!r) throw new HypervisorUsageError(`ring ${ringId} does not exist`);
  return r;
}

/** A fresh, never reused page frame number (synthetic; only used to label pages in the UI). */
export function allocFrame(hv: HypervisorState): number {
  return hv.nextFrame++;
}

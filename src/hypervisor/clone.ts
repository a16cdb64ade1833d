/**
 * Snapshots for checkpoints and time travel. Containers are copied; leaf records (grant entries,
 * mappings, ports, ring slots, payloads) are shared, because operations only ever replace them.
 * Cost is linear in the number of live objects, not in table sizes.
 */
import type { Domain, HypervisorState, SharedRing } from './types';

function cloneDomain(d: Domain): Domain {
  return {
    domid: d.domid,
    kind: d.kind,
    name: d.name,
    status: d.status,
    memory: { ...d.memory },
    balloon: { ...d.balloon },
    gnttab: {
      nrEntries: d.gnttab.nrEntries,
      entries: new Map(d.gnttab.entries),
      freeList: d.gnttab.freeList.slice(),
      nextUnused: d.gnttab.nextUnused,
      deferred: d.gnttab.deferred.slice(),
    },
    maptrack: {
      mappings: new Map(d.maptrack.mappings),
      freeHandles: d.maptrack.freeHandles.slice(),
      nextHandle: d.maptrack.nextHandle,
    },
    evtchn: { maxPorts: d.evtchn.maxPorts, ports: d.evtchn.ports.slice() },
  };
}

function cloneRing(r: SharedRing): SharedRing {
  return {
    ...r,
    refs: r.refs.slice(),
    sring: { ...r.sring },
    front: r.front ? { ...r.front } : null,
    back: r.back ? { ...r.back } : null,
    slots: r.slots.slice(),
  };
}

/** An independent copy: operations on either never affect the other. */
export function cloneHypervisor(hv: HypervisorState): HypervisorState {
  const domains = new Map<number, Domain>();
  for (const [id, d] of hv.domains) domains.set(id, cloneDomain(d));
  const rings = new Map<string, SharedRing>();
  for (const [id, r] of hv.rings) rings.set(id, cloneRing(r));
  return { domains, rings, domidRover: hv.domidRover, ringSerial: hv.ringSerial, nextFrame: hv.nextFrame };
}

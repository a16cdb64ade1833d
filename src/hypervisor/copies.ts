/** Own copies of a domain and a ring: containers copied, leaf records (grant entries, mappings, ports, slots) shared, because operations only ever replace them. */
import type { Domain, SharedRing } from './types';

export function cloneDomain(d: Domain): Domain {
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

export function cloneRing(r: SharedRing): SharedRing {
  return {
    ...r,
    refs: r.refs.slice(),
    sring: { ...r.sring },
    front: r.front ? { ...r.front } : null,
    back: r.back ? { ...r.back } : null,
    slots: r.slots.slice(),
  };
}

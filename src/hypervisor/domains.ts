/**
 * Domain life cycle: XEN_DOMCTL_createdomain and domain_kill (xen/common/domain.c, domctl.c) as far
 * as split drivers can observe them.
 */
import {
  DEFAULT_GRANT_ENTRIES,
  DOMID_FIRST_RESERVED,
  GNTTAB_NR_RESERVED_ENTRIES,
  NR_EVENT_CHANNELS_2L,
} from './constants';
import type { HvEffect } from './effects';
import { errno, HypervisorUsageError, ok, type HvResult } from './errors';
import { closeAllPorts } from './eventChannel';
import { countForeignMappings } from './grantEntry';
import { releaseMapping } from './grantOps';
import type { Domain, DomainKind, Domid, EvtchnPort, HypervisorState } from './types';
import { getDomain, ownRing } from './state';

export interface CreateDomainArgs {
  kind: DomainKind;
  name?: string;
  /** explicit domid (dom0 is created with 0); otherwise the next free id after the last one given */
  domid?: Domid;
  /** initial memory = max_pages, in 4 KiB pages (default 65536 = 256 MiB) */
  memoryPages?: number;
  /** d->max_pages if larger than the initial memory */
  maxPages?: number;
  /** grant references in the table (default 2048: 4 frames of 512 v1 entries) */
  grantEntries?: number;
  /** low ports already taken by bindings the model does not show (VIRQ, IPI); at least port 0 */
  reservedPorts?: number;
}

function isUsableDomid(domid: number): boolean {
  return Number.isInteger(domid) && domid >= 0 && domid < DOMID_FIRST_RESERVED;
}

function nextFreeDomid(hv: HypervisorState): Domid | null {
  let id = hv.domidRover;
  for (let n = 0; n < DOMID_FIRST_RESERVED; n++) {
    id = id + 1 >= DOMID_FIRST_RESERVED ? 1 : id + 1;
    if (!hv.domains.has(id)) return id;
  }
  return null;
}

function reservedPort(port: number): EvtchnPort {
  return { port, state: 'reserved', remoteDomid: null, remotePort: null, pending: false, masked: false };
}

/**
 * XEN_DOMCTL_createdomain: a running domain with an empty grant table (refs 0–7 reserved), no mappings,
 * port 0 (and `reservedPorts` − 1 more) reserved, and its balloon at the initial memory.
 * -EEXIST if the explicit domid is taken, -EINVAL if it is reserved, -ENOSPC if no domid is left.
 */
export function createDomain(hv: HypervisorState, args: CreateDomainArgs): HvResult<{ domid: Domid }> {
  let domid: Domid;
  if (args.domid !== undefined) {
    if (!isUsableDomid(args.domid)) return errno('EINVAL');
    if (hv.domains.has(args.domid)) return errno('EEXIST');
    domid = args.domid;
  } else {
    const free = nextFreeDomid(hv);
    if (free === null) return errno('ENOSPC');
    domid = free;
  }
  if (domid !== 0) hv.domidRover = domid;
  const pages = args.memoryPages ?? 65536;
  const reserved = Math.max(1, args.reservedPorts ?? 1);
  const grantEntries = args.grantEntries ?? DEFAULT_GRANT_ENTRIES;
  if (grantEntries <= GNTTAB_NR_RESERVED_ENTRIES) throw new HypervisorUsageError(`too few grant entries`);
  const name = args.name ?? (domid === 0 ? 'Domain-0' : `domU${domid}`);
  const domain: Domain = {
    domid,
    kind: args.kind,
    name,
    status: 'running',
    memory: { totPages: pages, maxPages: Math.max(pages, args.maxPages ?? pages) },
    balloon: { currentPages: pages, targetPages: pages, balloonedPages: 0, driverPages: 0 },
    gnttab: {
      nrEntries: grantEntries,
      entries: new Map(),
      freeList: [],
      nextUnused: GNTTAB_NR_RESERVED_ENTRIES,
      deferred: [],
    },
    maptrack: { mappings: new Map(), freeHandles: [], nextHandle: 0 },
    evtchn: {
      maxPorts: NR_EVENT_CHANNELS_2L,
      ports: Array.from({ length: reserved }, (_, i) => reservedPort(i)),
    },
  };
  hv.domains.set(domid, domain);
  return ok({ domid }, [{ kind: 'domain-create', domid, domKind: args.kind, name }]);
}

/**
 * domain_kill: closes the domain's ports (peers revert to unbound), drops every mapping it holds
 * (gnttab_release_mappings), detaches it from shared rings and discards its deferred grants. If other
 * domains still map its grants it stays as a `dying` zombie until the last of them unmaps; otherwise
 * it is gone at once. -ESRCH for an unknown domain; destroying a dying domain again does nothing.
 */
export function destroyDomain(hv: HypervisorState, domid: Domid): HvResult<{ dying: boolean }> {
  const d = getDomain(hv, domid);
  if (!d) return errno('ESRCH');
  if (d.status === 'dying') return ok({ dying: true });
  const effects: HvEffect[] = [...closeAllPorts(hv, d, 'domain-destroyed')];
  for (const handle of [...d.maptrack.mappings.keys()]) {
    effects.push(...releaseMapping(hv, d, handle, 'domain-destroyed'));
  }
  for (const shared of [...hv.rings.values()]) {
    if (shared.front?.domid !== domid && shared.back?.domid !== domid) continue;
    const ring = ownRing(hv, shared.id)!;
    if (ring.front?.domid === domid) {
      ring.front = null;
      effects.push({ kind: 'ring-detach', ringId: ring.id, domid, side: 'front', cause: 'domain-destroyed' });
    }
    if (ring.back?.domid === domid) {
      ring.back = null;
      effects.push({ kind: 'ring-detach', ringId: ring.id, domid, side: 'back', cause: 'domain-destroyed' });
    }
    if (!ring.front && !ring.back) hv.rings.delete(ring.id);
  }
  d.gnttab.deferred = [];
  const foreignMappings = countForeignMappings(d);
  if (foreignMappings > 0) {
    d.status = 'dying';
    effects.push({ kind: 'domain-dying', domid, foreignMappings });
    return ok({ dying: true }, effects);
  }
  hv.domains.delete(domid);
  effects.push({ kind: 'domain-destroy', domid });
  return ok({ dying: false }, effects);
}

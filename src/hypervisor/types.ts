/**
 * The hypervisor world as plain data: domains with their grant tables, maptrack, event-channel ports
 * and memory counters, plus the shared rings that live in granted pages.
 *
 * Snapshot discipline: containers (Maps, arrays, the small per-domain records) are mutated in place by
 * the operations; leaf records marked `Readonly` (grant entries, mappings, ports, ring slots, payloads)
 * are never mutated, only replaced. `cloneHypervisor` therefore copies containers and shares leaves.
 */

export type Domid = number;

/** Guest type; only PV guests use page flipping and the 2006 balloon `driver_pages` path. */
export type DomainKind = 'PV' | 'PVH' | 'HVM';

/**
 * `running`, or `dying`: destroyed while other domains still map its granted pages (Xen keeps such a
 * zombie until the last foreign mapping goes away).
 */
export type DomainStatus = 'running' | 'dying';

/** Type bits of a v1 grant entry (GTF_invalid, GTF_permit_access, GTF_accept_transfer). */
export type GrantType = 'invalid' | 'permit_access' | 'accept_transfer';

/**
 * One grant reference of a granting domain: the shared `grant_entry_v1` (type, domid, frame and the
 * flag bits) together with Xen's private active entry (pin counts and who holds them) and whether the
 * guest's allocator has the reference claimed. GTF_reading/GTF_writing are derived from the pins.
 */
export interface GrantEntry {
  readonly ref: number;
  /** Linux grant-table.c: taken off the free list (get_free_entries) and not yet put back */
  readonly claimed: boolean;
  readonly type: GrantType;
  /** shared entry `domid`: the grantee */
  readonly domid: Domid;
  /** permit_access: the granted gfn; accept_transfer: the empty pfn, then the transferred frame */
  readonly frame: number;
  /** GTF_readonly (permit_access only) */
  readonly readonly: boolean;
  readonly transferCommitted: boolean;
  readonly transferCompleted: boolean;
  /** active entry: read-only host mappings held by `mapper` */
  readonly pinRead: number;
  /** active entry: writable host mappings held by `mapper` */
  readonly pinWrite: number;
  /** active entry `domid` while pinned, else null */
  readonly mapper: Domid | null;
}

/** An entry waiting on Linux's deferred list (gnttab_add_deferred) until the peer unmaps it. */
export interface DeferredGrant {
  readonly ref: number;
  readonly tries: number;
}

/** The granting side: shared entries plus the guest's reference allocator. */
export interface GrantTable {
  /** number of references (v1: 512 per grant frame) */
  nrEntries: number;
  /** every reference that is claimed or whose entry differs from an unused one */
  entries: Map<number, GrantEntry>;
  /** refs put back by put_free_entry; the last element is the head (reused first) */
  freeList: number[];
  /** refs in [nextUnused, nrEntries) have never been handed out (initial ascending free list) */
  nextUnused: number;
  deferred: DeferredGrant[];
}

/** One maptrack entry of a mapping domain: what a grant handle stands for. */
export interface GrantMapping {
  readonly handle: number;
  readonly granter: Domid;
  readonly ref: number;
  readonly readonly: boolean;
}

export interface Maptrack {
  mappings: Map<number, GrantMapping>;
  freeHandles: number[];
  nextHandle: number;
}

/** Port states of xen/common/event_channel.c that split drivers use (ECS_*). */
export type EvtchnState = 'free' | 'reserved' | 'unbound' | 'interdomain';

export interface EvtchnPort {
  readonly port: number;
  readonly state: EvtchnState;
  /** unbound: the domain allowed to bind; interdomain: the peer domain */
  readonly remoteDomid: Domid | null;
  /** interdomain: the peer port */
  readonly remotePort: number | null;
  readonly pending: boolean;
  readonly masked: boolean;
}

export interface EvtchnTable {
  /** highest port number + 1 the ABI allows (2-level ABI on 64-bit: 4096) */
  maxPorts: number;
  /** dense by port number; ports past the end are free */
  ports: EvtchnPort[];
}

/** Xen's view of the domain's memory (d->tot_pages, d->max_pages), in 4 KiB pages. */
export interface DomainMemory {
  totPages: number;
  maxPages: number;
}

/** The guest balloon driver's counters (2006 drivers/xen/balloon/balloon.c), in pages. */
export interface BalloonState {
  currentPages: number;
  targetPages: number;
  /** pages in the balloon (balloon_low + balloon_high) */
  balloonedPages: number;
  /** pages handed to drivers and not given back (balloon_update_driver_allowance) */
  driverPages: number;
}

export interface Domain {
  domid: Domid;
  kind: DomainKind;
  name: string;
  status: DomainStatus;
  memory: DomainMemory;
  balloon: BalloonState;
  gnttab: GrantTable;
  maptrack: Maptrack;
  evtchn: EvtchnTable;
}

/** Ring protocols with their entry sizes (spec rings-and-evtchn.md §3); `custom` takes an explicit size. */
export type RingProtocol = 'blkif' | 'blkif-x86_32' | 'netif-tx' | 'netif-rx' | 'custom';

/** The four shared indices at the start of the ring page (`struct <name>_sring`). */
export interface SharedRingIndices {
  reqProd: number;
  reqEvent: number;
  rspProd: number;
  rspEvent: number;
}

/** Frontend private view (`struct <name>_front_ring`). */
export interface FrontRing {
  domid: Domid;
  reqProdPvt: number;
  rspCons: number;
}

/** Backend private view (`struct <name>_back_ring`). */
export interface BackRing {
  domid: Domid;
  rspProdPvt: number;
  reqCons: number;
}

/**
 * What a slot holds, for drawing: a request being filled, published, taken by the backend, its
 * response being filled, published, and consumed (free again).
 */
export type SlotState =
  'free' | 'request-written' | 'request-posted' | 'in-service' | 'response-written' | 'response-ready';

/** Request or response contents: flat and immutable (e.g. `{ id: 3, gref: 12 }`). */
export type RingPayload = Readonly<Record<string, number | string | boolean>>;

/**
 * One ring slot. The real slot is a union that a response overwrites; the model keeps the request
 * beside its response so the frontend's own per-id bookkeeping (netfront `grant_rx_ref[id]`) can be
 * read back from it.
 */
export interface RingSlot {
  readonly state: SlotState;
  /** the free-running ring index that last wrote this slot */
  readonly idx: number | null;
  readonly req: RingPayload | null;
  readonly rsp: RingPayload | null;
}

export interface SharedRing {
  id: string;
  label: string;
  /** the domain whose page holds the ring (the frontend that ran SHARED_RING_INIT) */
  owner: Domid;
  protocol: RingProtocol;
  pages: number;
  nrEnts: number;
  /** grant references of the ring pages, once granted (xenbus_grant_ring) */
  refs: number[];
  sring: SharedRingIndices;
  front: FrontRing | null;
  back: BackRing | null;
  slots: RingSlot[];
}

export interface HypervisorState {
  domains: Map<Domid, Domain>;
  rings: Map<string, SharedRing>;
  /** last domid handed out by automatic allocation (Xen's domid rover) */
  domidRover: number;
  ringSerial: number;
  /** next synthetic page frame number handed out by allocFrame */
  nextFrame: number;
  /** domains whose object may also sit in a clone: copied before this state changes them */
  shared: Set<Domid>;
  /** rings that may also sit in a clone */
  sharedRings: Set<string>;
}

/**
 * What an operation changed, as data. The simulator appends these to the trace; the UI animates them.
 * Each effect names the domain(s), the object (ref, handle, port, ring slot, counter) and the new
 * state, with the old value wherever a number moves.
 */
import type {
  DomainKind,
  Domid,
  GrantEntry,
  RingPayload,
  RingProtocol,
  SharedRingIndices,
  SlotState,
} from './types';

/** Why a domain lost an object without asking for it. */
export type TeardownCause = 'domain-destroyed' | 'evtchn-reset';

export type DomainEffect =
  | { kind: 'domain-create'; domid: Domid; domKind: DomainKind; name: string }
  /** destroyed, but other domains still map `foreignMappings` of its grants: kept as a zombie */
  | { kind: 'domain-dying'; domid: Domid; foreignMappings: number }
  | { kind: 'domain-destroy'; domid: Domid };

export type GrantEffect =
  /** references taken off the free list (get_free_entries) */
  | { kind: 'grant-ref-alloc'; domid: Domid; refs: number[] }
  /** references put back on the free list (put_free_entry) */
  | { kind: 'grant-ref-free'; domid: Domid; refs: number[] }
  /** gnttab_grant_foreign_access_ref: `entry.domid` may now map `entry.frame` */
  | { kind: 'grant-access'; domid: Domid; ref: number; entry: GrantEntry }
  /** gnttab_grant_foreign_transfer_ref: `entry.domid` may transfer one page into this slot */
  | { kind: 'grant-transfer-slot'; domid: Domid; ref: number; entry: GrantEntry }
  /** gnttab_end_foreign_access_ref: `ended` (flags cleared) or `in-use` (peer still maps it; unchanged) */
  | { kind: 'grant-end-access'; domid: Domid; ref: number; outcome: 'ended' | 'in-use'; entry: GrantEntry }
  /**
   * gnttab_end_foreign_access tail: ref and page `freed`, put on the `deferred` list ([modern]) or
   * `leaked` with "WARNING: leaking g.e. and page still in use!" ([2006])
   */
  | { kind: 'grant-release'; domid: Domid; ref: number; outcome: 'freed' | 'deferred' | 'leaked' }
  /** one retry of the deferred list: `freed` now, or `still-in-use` */
  | {
      kind: 'grant-deferred-retry';
      domid: Domid;
      ref: number;
      outcome: 'freed' | 'still-in-use';
      tries: number;
    }
  /**
   * gnttab_end_foreign_transfer_ref: `no-transfer` (entry invalidated, returns frame 0) or
   * `transferred` (returns the new frame)
   */
  | {
      kind: 'grant-end-transfer';
      domid: Domid;
      ref: number;
      outcome: 'no-transfer' | 'transferred';
      frame: number;
      entry: GrantEntry;
    }
  /** GNTTABOP_map_grant_ref succeeded: `mapper` holds `handle` on (granter, ref) */
  | {
      kind: 'grant-map';
      mapper: Domid;
      granter: Domid;
      ref: number;
      handle: number;
      readonly: boolean;
      entry: GrantEntry;
    }
  /** GNTTABOP_unmap_grant_ref, or the implicit unmap when the mapper is destroyed */
  | {
      kind: 'grant-unmap';
      mapper: Domid;
      granter: Domid;
      ref: number;
      handle: number;
      cause: 'unmap' | TeardownCause;
      entry: GrantEntry | null;
    }
  /**
   * GNTTABOP_transfer: `from` gave `frame` away; status 0 = landed in (to, ref) (entry committed and
   * completed), otherwise the page was taken from `from` and freed (lost)
   */
  | {
      kind: 'grant-transfer';
      from: Domid;
      to: Domid;
      ref: number;
      frame: number;
      status: number;
      entry: GrantEntry | null;
    }
  /** GNTTABOP_copy into or out of a granted page (no lasting mapping) */
  | { kind: 'grant-copy'; domid: Domid; granter: Domid; ref: number; toGrant: boolean; bytes: number };

export type EvtchnEffect =
  | { kind: 'evtchn-alloc-unbound'; domid: Domid; port: number; remoteDomid: Domid }
  | { kind: 'evtchn-bind-interdomain'; domid: Domid; port: number; remoteDomid: Domid; remotePort: number }
  /**
   * EVTCHNOP_send: `delivered` (peer pending bit newly set), `coalesced` (it was already pending, so
   * this event merges with the earlier one) or `dropped` (the port is unbound)
   */
  | {
      kind: 'evtchn-send';
      domid: Domid;
      port: number;
      outcome: 'delivered' | 'coalesced' | 'dropped';
      remoteDomid: Domid | null;
      remotePort: number | null;
    }
  /** pending bit set (upcall = the vCPU is interrupted now) or cleared */
  | { kind: 'evtchn-pending'; domid: Domid; port: number; pending: boolean; upcall: boolean }
  /** mask bit changed; unmasking a pending port raises the upcall it had held back */
  | { kind: 'evtchn-mask'; domid: Domid; port: number; masked: boolean; upcall: boolean }
  | { kind: 'evtchn-close'; domid: Domid; port: number; cause: 'close' | TeardownCause }
  /** the peer of a closed interdomain port falls back to unbound, expecting the closer's domain */
  | { kind: 'evtchn-peer-unbound'; domid: Domid; port: number; remoteDomid: Domid };

export type RingIndexField = keyof SharedRingIndices | 'reqProdPvt' | 'rspCons' | 'rspProdPvt' | 'reqCons';

export type RingEffect =
  | {
      kind: 'ring-init';
      ringId: string;
      label: string;
      domid: Domid;
      protocol: RingProtocol;
      nrEnts: number;
      startIndex: number;
    }
  | { kind: 'ring-granted'; ringId: string; domid: Domid; refs: number[] }
  | { kind: 'ring-attach'; ringId: string; domid: Domid; side: 'front' | 'back'; startIndex: number }
  | {
      kind: 'ring-detach';
      ringId: string;
      domid: Domid;
      side: 'front' | 'back';
      cause: 'release' | 'unmap' | 'domain-destroyed';
    }
  /** a shared or private index moved (free-running u32 values) */
  | { kind: 'ring-index'; ringId: string; field: RingIndexField; old: number; new: number }
  /** slot `slot` (= idx & (nr_ents − 1)) changed state; payload is the request or response written */
  | {
      kind: 'ring-slot';
      ringId: string;
      slot: number;
      idx: number;
      old: SlotState;
      new: SlotState;
      payload: RingPayload | null;
    }
  /** RING_PUSH_*_AND_CHECK_NOTIFY: notify = (u32)(new − event) < (u32)(new − old) */
  | {
      kind: 'ring-notify-check';
      ringId: string;
      direction: 'requests' | 'responses';
      old: number;
      new: number;
      event: number;
      notify: boolean;
    }
  /** RING_FINAL_CHECK_FOR_*: `more` work found; otherwise the event index was re-armed to `event` */
  | {
      kind: 'ring-final-check';
      ringId: string;
      direction: 'requests' | 'responses';
      more: boolean;
      event: number | null;
    };

export type BalloonCounter = 'currentPages' | 'targetPages' | 'balloonedPages' | 'driverPages';

export type MemoryEffect =
  /** Xen's d->tot_pages moved */
  | {
      kind: 'domain-pages';
      domid: Domid;
      old: number;
      new: number;
      cause: 'decrease_reservation' | 'increase_reservation' | 'transfer-in' | 'transfer-out';
    }
  /** a balloon driver counter moved */
  | { kind: 'balloon-counter'; domid: Domid; counter: BalloonCounter; old: number; new: number };

/**
 * Netfront receive buffers as the user sees them (spec kexec-handover.md §4):
 * `posted` granted and queued on the rx ring; `transferred` the backend put a packet in it (page
 * flipped in, or data copied); `consumed` netfront took it back in its poll loop; at teardown
 * `released` (page back: transfer completed but unconsumed, or modern access ended and page freed),
 * `leaked` (no transfer happened: the frame stays with Xen and driver_pages stays up), `ballooned`
 * (merged 2006: the frameless page handed to the balloon) or `deferred` (modern: still mapped by the
 * backend, freed when it unmaps).
 */
export type RxBufferState =
  'posted' | 'transferred' | 'consumed' | 'released' | 'leaked' | 'ballooned' | 'deferred';

export type RxEffect =
  | { kind: 'rx-buffer'; domid: Domid; ringId: string; id: number; ref: number; state: RxBufferState }
  /**
   * netif_release_rx_bufs printout: "N released ok, N gnttab errs, N unused slots" (RFC) or
   * "N xfer, N noxfer, N unused" (merged); modern counts buffers freed now and deferred
   */
  | {
      kind: 'rx-release';
      domid: Domid;
      ringId: string;
      variant: RxReleaseVariant;
      released: number;
      gnttabErrs: number;
      unused: number;
      deferred: number;
      /** merged 2006 code facing a copying receiver: "fix me for copying receiver", nothing done */
      skipped: boolean;
      /** RFC defect: returns with rx_lock held when nothing was released */
      lockLeftHeld: boolean;
    };

/** Which teardown code runs: the 2006 RFC, the merged 2006 code, or modern xennet_release_rx_bufs. */
export type RxReleaseVariant = 'rfc-2006' | 'merged-2006' | 'modern';

export type HvEffect = DomainEffect | GrantEffect | EvtchnEffect | RingEffect | MemoryEffect | RxEffect;

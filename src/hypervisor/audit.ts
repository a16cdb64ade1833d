/**
 * Read-only views for the UI and for tests: which grants are still outstanding (and so leaked if
 * their owner goes away), and a consistency check of the whole state.
 */
import { isPinned } from './grantEntry';
import { u32Diff } from './ringMath';
import type { Domid, GrantEntry, HypervisorState, SharedRing, SlotState } from './types';

/**
 * Why a reference is not back to unused: `mapped` (a peer holds it), `granted` (open, not mapped),
 * `transfer-slot` (waiting for a transfer), `transferred` (a page arrived, not yet taken back),
 * `claimed` (allocated but not granted, or ended but not freed).
 */
export type GrantHolding = 'mapped' | 'granted' | 'transfer-slot' | 'transferred' | 'claimed';

export interface OutstandingGrant {
  granter: Domid;
  ref: number;
  holding: GrantHolding;
  /** on the deferred list, waiting for the peer to unmap */
  deferred: boolean;
  /** the guest put the ref back on its free list while it was still in use */
  orphaned: boolean;
  entry: GrantEntry;
}

function holdingOf(e: GrantEntry): GrantHolding {
  if (isPinned(e)) return 'mapped';
  if (e.type === 'permit_access') return 'granted';
  if (e.type === 'accept_transfer') return e.transferCommitted ? 'transferred' : 'transfer-slot';
  return 'claimed';
}

/**
 * A freed ref whose shared entry nobody can use any more: Linux leaves committed/completed flags in
 * place after gnttab_end_foreign_transfer, and Xen will not transfer into such an entry again.
 */
function isInert(e: GrantEntry): boolean {
  return (
    !e.claimed &&
    !isPinned(e) &&
    (e.type === 'invalid' || (e.type === 'accept_transfer' && e.transferCommitted))
  );
}

/** Every reference of every domain that is not back to unused, in (domid, ref) order. */
export function auditGrants(hv: HypervisorState): OutstandingGrant[] {
  const out: OutstandingGrant[] = [];
  for (const d of [...hv.domains.values()].sort((a, b) => a.domid - b.domid)) {
    const deferred = new Set(d.gnttab.deferred.map((x) => x.ref));
    for (const e of [...d.gnttab.entries.values()].sort((a, b) => a.ref - b.ref)) {
      if (isInert(e)) continue;
      out.push({
        granter: d.domid,
        ref: e.ref,
        holding: holdingOf(e),
        deferred: deferred.has(e.ref),
        orphaned: !e.claimed,
        entry: e,
      });
    }
  }
  return out;
}

/** The state each slot must be in, given the six indices (only when both sides are attached). */
function expectedSlots(r: SharedRing): SlotState[] | null {
  if (!r.front || !r.back) return null;
  const base = r.front.rspCons;
  const marks: Array<[number, SlotState]> = [
    [r.sring.rspProd, 'response-ready'],
    [r.back.rspProdPvt, 'response-written'],
    [r.back.reqCons, 'in-service'],
    [r.sring.reqProd, 'request-posted'],
    [r.front.reqProdPvt, 'request-written'],
  ];
  const want: SlotState[] = Array.from({ length: r.nrEnts }, () => 'free');
  let from = 0;
  for (const [idx, state] of marks) {
    const to = u32Diff(idx, base);
    if (to < from || to > r.nrEnts) return null;
    for (let i = from; i < to; i++) want[(base + i) & (r.nrEnts - 1)] = state;
    from = to;
  }
  return want;
}

function checkRing(r: SharedRing, problems: string[]): void {
  const want = expectedSlots(r);
  if (r.front && r.back && !want) problems.push(`${r.id}: indices out of order or more than nr_ents apart`);
  if (!want) return;
  r.slots.forEach((s, i) => {
    if (s.state !== want[i]) problems.push(`${r.id}: slot ${i} is ${s.state}, indices say ${want[i]}`);
  });
}

/** Every inconsistency found (empty when the state is sound). Used by property tests. */
export function checkInvariants(hv: HypervisorState): string[] {
  const problems: string[] = [];
  const pins = new Map<string, { read: number; write: number; mapper: Domid }>();
  for (const d of hv.domains.values()) {
    for (const m of d.maptrack.mappings.values()) {
      const key = `${m.granter}:${m.ref}`;
      const p = pins.get(key) ?? { read: 0, write: 0, mapper: d.domid };
      if (p.mapper !== d.domid) problems.push(`grant ${key} mapped by two domains`);
      if (m.readonly) p.read++;
      else p.write++;
      pins.set(key, p);
    }
  }
  for (const d of hv.domains.values()) {
    const free = new Set<number>();
    for (const ref of d.gnttab.freeList) {
      if (free.has(ref)) problems.push(`dom${d.domid}: ref ${ref} twice on the free list`);
      free.add(ref);
      if (d.gnttab.entries.get(ref)?.claimed) problems.push(`dom${d.domid}: ref ${ref} free but claimed`);
    }
    for (const e of d.gnttab.entries.values()) {
      const p = pins.get(`${d.domid}:${e.ref}`) ?? { read: 0, write: 0, mapper: null };
      if (p.read !== e.pinRead || p.write !== e.pinWrite || (isPinned(e) && p.mapper !== e.mapper)) {
        problems.push(
          `dom${d.domid}: ref ${e.ref} pins ${e.pinRead}/${e.pinWrite}, maptrack ${p.read}/${p.write}`,
        );
      }
      pins.delete(`${d.domid}:${e.ref}`);
    }
    for (const p of d.evtchn.ports) {
      if (p.state === 'unbound' && (p.remoteDomid === null || p.remotePort !== null)) {
        problems.push(`dom${d.domid}: unbound port ${p.port} must name only the domain it expects`);
      }
      if (p.state !== 'interdomain') continue;
      const peer = hv.domains.get(p.remoteDomid!)?.evtchn.ports[p.remotePort!];
      if (
        !peer ||
        peer.state !== 'interdomain' ||
        peer.remoteDomid !== d.domid ||
        peer.remotePort !== p.port
      ) {
        problems.push(`dom${d.domid}: port ${p.port} peer is not connected back`);
      }
    }
    if (d.status === 'dying' && [...d.gnttab.entries.values()].every((e) => !isPinned(e))) {
      problems.push(`dom${d.domid}: dying with no foreign mappings left`);
    }
  }
  for (const key of pins.keys()) problems.push(`maptrack entry for ${key} has no pinned grant`);
  for (const r of hv.rings.values()) checkRing(r, problems);
  return problems;
}

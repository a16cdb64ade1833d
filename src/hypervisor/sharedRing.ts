/**
 * Creating, attaching and releasing shared rings, and the slot bookkeeping the front and back
 * operations share. The ring lives in a page of its `owner` (the frontend); the backend reaches it only
 * through a grant mapping.
 */
import type { HvEffect, RingEffect, RingIndexField } from './effects';
import { errno, HypervisorUsageError, ok, type HvResult } from './errors';
import { ownRing, requireDomain, requireRing } from './state';
import { ringSizeFor, ringSlotOf, u32, u32Add } from './ringMath';
import type { Domid, HypervisorState, RingPayload, RingProtocol, SharedRing, SlotState } from './types';

export interface SharedRingInitArgs {
  protocol: RingProtocol;
  /** ring pages (multi-page blkif: 2^ring-page-order); default 1 */
  pages?: number;
  /** explicit entry count, required for `custom` (must be a power of two) */
  nrEnts?: number;
  label?: string;
  /**
   * Index value of an idle ring that has already carried this many requests (default 0, as
   * SHARED_RING_INIT leaves it). Lets tests and demos start next to the 2^32 wrap.
   */
  startIndex?: number;
}

function isPow2(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/**
 * ring.h SHARED_RING_INIT + FRONT_RING_INIT, run by the frontend on a fresh page it owns:
 * req_prod = rsp_prod = start, req_event = rsp_event = start + 1, private indices = start.
 */
export function sharedRingInit(
  hv: HypervisorState,
  domid: Domid,
  args: SharedRingInitArgs,
): HvResult<{ ringId: string }> {
  requireDomain(hv, domid);
  const pages = args.pages ?? 1;
  const nrEnts =
    args.protocol === 'custom' ? args.nrEnts : (args.nrEnts ?? ringSizeFor(args.protocol, pages));
  if (nrEnts === undefined || !isPow2(nrEnts)) throw new HypervisorUsageError(`bad ring size ${nrEnts}`);
  const start = u32(args.startIndex ?? 0);
  const ringId = `ring-${++hv.ringSerial}`;
  const label = args.label ?? `${args.protocol} ring of dom${domid}`;
  const ring: SharedRing = {
    id: ringId,
    label,
    owner: domid,
    protocol: args.protocol,
    pages,
    nrEnts,
    refs: [],
    sring: { reqProd: start, reqEvent: u32Add(start, 1), rspProd: start, rspEvent: u32Add(start, 1) },
    front: { domid, reqProdPvt: start, rspCons: start },
    back: null,
    slots: Array.from({ length: nrEnts }, () => FREE_SLOT),
  };
  hv.rings.set(ringId, ring);
  const effect: RingEffect = {
    kind: 'ring-init',
    ringId,
    label,
    domid,
    protocol: args.protocol,
    nrEnts,
    startIndex: start,
  };
  return ok({ ringId }, [effect]);
}

/** The ring whose first page is (granter, ref), if any. */
export function findRingByGrant(hv: HypervisorState, granter: Domid, ref: number): SharedRing | undefined {
  for (const r of hv.rings.values()) if (r.owner === granter && r.refs[0] === ref) return r;
  return undefined;
}

/**
 * ring.h BACK_RING_ATTACH (BACK_RING_INIT when the index is 0): the backend `domid`, which must already
 * map (granter, ref), takes its private view of the ring at `startIndex` (default: the ring's current
 * rsp_prod, which is 0 on a fresh ring). -EINVAL if no ring was set up in that page.
 */
export function backRingAttach(
  hv: HypervisorState,
  domid: Domid,
  args: { granter: Domid; ref: number; startIndex?: number },
): HvResult<{ ringId: string }> {
  const d = requireDomain(hv, domid);
  const mapped = [...d.maptrack.mappings.values()].some(
    (m) => m.granter === args.granter && m.ref === args.ref,
  );
  if (!mapped) throw new HypervisorUsageError(`dom${domid} attaches ring ${args.ref} it has not mapped`);
  const found = findRingByGrant(hv, args.granter, args.ref);
  if (!found) return errno('EINVAL');
  const ring = ownRing(hv, found.id)!;
  const start = u32(args.startIndex ?? ring.sring.rspProd);
  ring.back = { domid, rspProdPvt: start, reqCons: start };
  return ok({ ringId: ring.id }, [
    { kind: 'ring-attach', ringId: ring.id, domid, side: 'back', startIndex: start },
  ]);
}

/**
 * The frontend stops using the ring page (after ending access to its grants and freeing it). The
 * ring disappears once neither side holds it.
 */
export function frontRingRelease(hv: HypervisorState, ringId: string): HvResult {
  const ring = requireRing(hv, ringId);
  if (!ring.front) return ok({});
  const effects: HvEffect[] = [
    { kind: 'ring-detach', ringId, domid: ring.front.domid, side: 'front', cause: 'release' },
  ];
  ring.front = null;
  if (!ring.back) hv.rings.delete(ringId);
  return ok({}, effects);
}

// ---- slot bookkeeping shared by ringFront.ts and ringBack.ts ----

export const FREE_SLOT = Object.freeze({
  state: 'free',
  idx: null,
  req: null,
  rsp: null,
}) as SharedRing['slots'][0];

/** Moves the slot of `idx` to `state`, recording `req`/`rsp` when given, and reports the change. */
export function setSlot(
  ring: SharedRing,
  idx: number,
  state: SlotState,
  change: { req?: RingPayload; rsp?: RingPayload } = {},
): RingEffect {
  const slot = ringSlotOf(ring.nrEnts, idx);
  const old = ring.slots[slot]!;
  const next =
    state === 'free'
      ? FREE_SLOT
      : {
          state,
          idx: u32(idx),
          req: change.req ?? old.req,
          rsp: change.rsp ?? (change.req ? null : old.rsp),
        };
  ring.slots[slot] = next;
  const payload = change.rsp ?? change.req ?? null;
  return { kind: 'ring-slot', ringId: ring.id, slot, idx: u32(idx), old: old.state, new: state, payload };
}

/** Reports an index move. */
export function indexEffect(ring: SharedRing, field: RingIndexField, oldV: number, newV: number): RingEffect {
  return { kind: 'ring-index', ringId: ring.id, field, old: oldV, new: newV };
}

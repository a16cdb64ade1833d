/**
 * Frontend side of a shared ring (the producer of requests, consumer of responses): the ring.h macros
 * a frontend driver uses, each applied to the ring in place and reported as effects.
 */
import type { HvEffect } from './effects';
import { errno, HypervisorUsageError, ok, type HvResult } from './errors';
import { requireRing } from './state';
import {
  ringFreeRequests,
  ringHasUnconsumedResponses,
  ringNeedsNotify,
  ringSlotOf,
  u32Add,
  u32Diff,
} from './ringMath';
import { indexEffect, setSlot } from './sharedRing';
import type { FrontRing, HypervisorState, RingPayload, SharedRing } from './types';

function frontOf(ring: SharedRing): FrontRing {
  if (!ring.front) throw new HypervisorUsageError(`ring ${ring.id} has no frontend`);
  return ring.front;
}

/**
 * RING_GET_REQUEST(req_prod_pvt) + fill + req_prod_pvt++: writes a request into the next private slot
 * (not yet visible to the backend). -ENOSPC when RING_FULL, which drivers check first.
 */
export function ringPutRequest(
  hv: HypervisorState,
  ringId: string,
  req: RingPayload,
): HvResult<{ idx: number }> {
  const ring = requireRing(hv, ringId);
  const f = frontOf(ring);
  if (ringFreeRequests(ring) === 0) return errno('ENOSPC');
  const idx = f.reqProdPvt;
  const effects: HvEffect[] = [setSlot(ring, idx, 'request-written', { req })];
  f.reqProdPvt = u32Add(idx, 1);
  effects.push(indexEffect(ring, 'reqProdPvt', idx, f.reqProdPvt));
  return ok({ idx }, effects);
}

/** Publishes req_prod = req_prod_pvt; every newly covered slot becomes `request-posted`. */
function publishRequests(ring: SharedRing, f: FrontRing): HvEffect[] {
  const old = ring.sring.reqProd;
  const effects: HvEffect[] = [];
  for (let i = old; i !== f.reqProdPvt; i = u32Add(i, 1)) effects.push(setSlot(ring, i, 'request-posted'));
  if (old !== f.reqProdPvt) {
    ring.sring.reqProd = f.reqProdPvt;
    effects.push(indexEffect(ring, 'reqProd', old, f.reqProdPvt));
  }
  return effects;
}

/** ring.h RING_PUSH_REQUESTS: write barrier; req_prod = req_prod_pvt. */
export function ringPushRequests(hv: HypervisorState, ringId: string): HvResult {
  const ring = requireRing(hv, ringId);
  return ok({}, publishRequests(ring, frontOf(ring)));
}

/**
 * ring.h RING_PUSH_REQUESTS_AND_CHECK_NOTIFY: publish, then notify iff req_event lies in
 * (old req_prod, new req_prod], i.e. `(u32)(new − req_event) < (u32)(new − old)`.
 */
export function ringPushRequestsAndCheckNotify(
  hv: HypervisorState,
  ringId: string,
): HvResult<{ notify: boolean }> {
  const ring = requireRing(hv, ringId);
  const f = frontOf(ring);
  const old = ring.sring.reqProd;
  const effects = publishRequests(ring, f);
  const event = ring.sring.reqEvent;
  const notify = ringNeedsNotify(old, f.reqProdPvt, event);
  effects.push({
    kind: 'ring-notify-check',
    ringId,
    direction: 'requests',
    old,
    new: f.reqProdPvt,
    event,
    notify,
  });
  return ok({ notify }, effects);
}

/**
 * RING_GET_RESPONSE(rsp_cons) + rsp_cons++: takes the next published response; its slot is free
 * again. Returns the request that occupied the slot too (the frontend's own record of it).
 * -EAGAIN when there is no unconsumed response.
 */
export function ringTakeResponse(
  hv: HypervisorState,
  ringId: string,
): HvResult<{ idx: number; rsp: RingPayload; req: RingPayload | null }> {
  const ring = requireRing(hv, ringId);
  const f = frontOf(ring);
  if (ringHasUnconsumedResponses(ring) === 0) return errno('EAGAIN');
  const idx = f.rspCons;
  const slot = ring.slots[ringSlotOf(ring.nrEnts, idx)]!;
  if (slot.state !== 'response-ready' || !slot.rsp) {
    throw new HypervisorUsageError(
      `ring ${ringId}: slot of index ${idx} is ${slot.state}, not response-ready`,
    );
  }
  const effects: HvEffect[] = [setSlot(ring, idx, 'free')];
  f.rspCons = u32Add(idx, 1);
  effects.push(indexEffect(ring, 'rspCons', idx, f.rspCons));
  return ok({ idx, rsp: slot.rsp, req: slot.req }, effects);
}

/**
 * ring.h RING_FINAL_CHECK_FOR_RESPONSES: if nothing is left, set rsp_event = rsp_cons + 1 (asking the
 * backend to notify on the next response) and check again. A simulator step is atomic, so the second
 * check can only differ if another step ran in between, which the scheduler models as a later step.
 */
export function ringFinalCheckForResponses(hv: HypervisorState, ringId: string): HvResult<{ more: boolean }> {
  const ring = requireRing(hv, ringId);
  const f = frontOf(ring);
  if (ringHasUnconsumedResponses(ring) > 0) {
    return ok({ more: true }, [
      { kind: 'ring-final-check', ringId, direction: 'responses', more: true, event: null },
    ]);
  }
  const old = ring.sring.rspEvent;
  ring.sring.rspEvent = u32Add(f.rspCons, 1);
  const effects: HvEffect[] = [];
  if (old !== ring.sring.rspEvent) effects.push(indexEffect(ring, 'rspEvent', old, ring.sring.rspEvent));
  const more = u32Diff(ring.sring.rspProd, f.rspCons) > 0;
  effects.push({
    kind: 'ring-final-check',
    ringId,
    direction: 'responses',
    more,
    event: ring.sring.rspEvent,
  });
  return ok({ more }, effects);
}

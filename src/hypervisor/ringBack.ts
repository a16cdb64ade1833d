/**
 * Backend side of a shared ring (consumer of requests, producer of responses): the ring.h macros a
 * backend driver uses, applied in place and reported as effects.
 */
import type { HvEffect } from './effects';
import { errno, HypervisorUsageError, ok, type HvResult } from './errors';
import { requireRing } from './state';
import { ringHasUnconsumedRequests, ringNeedsNotify, ringSlotOf, u32Add, u32Diff } from './ringMath';
import { indexEffect, setSlot } from './sharedRing';
import type { BackRing, HypervisorState, RingPayload, SharedRing } from './types';

function backOf(ring: SharedRing): BackRing {
  if (!ring.back) throw new HypervisorUsageError(`ring ${ring.id} has no backend`);
  return ring.back;
}

/**
 * RING_COPY_REQUEST(req_cons) + req_cons++: takes the next published request; its slot is now
 * `in-service`. -EAGAIN when RING_HAS_UNCONSUMED_REQUESTS is 0.
 */
export function ringTakeRequest(
  hv: HypervisorState,
  ringId: string,
): HvResult<{ idx: number; req: RingPayload }> {
  const ring = requireRing(hv, ringId);
  const b = backOf(ring);
  if (ringHasUnconsumedRequests(ring) === 0) return errno('EAGAIN');
  const idx = b.reqCons;
  const slot = ring.slots[ringSlotOf(ring.nrEnts, idx)]!;
  if (slot.state !== 'request-posted' || !slot.req) {
    throw new HypervisorUsageError(
      `ring ${ringId}: slot of index ${idx} is ${slot.state}, not request-posted`,
    );
  }
  const effects: HvEffect[] = [setSlot(ring, idx, 'in-service')];
  b.reqCons = u32Add(idx, 1);
  effects.push(indexEffect(ring, 'reqCons', idx, b.reqCons));
  return ok({ idx, req: slot.req }, effects);
}

/**
 * RING_GET_RESPONSE(rsp_prod_pvt) + fill + rsp_prod_pvt++: answers into the oldest in-service slot
 * (not yet visible to the frontend). -EINVAL if no request is in service **(modelling choice: ring.h
 * does not check; such a response would overwrite a slot the frontend may be filling)**.
 */
export function ringPutResponse(
  hv: HypervisorState,
  ringId: string,
  rsp: RingPayload,
): HvResult<{ idx: number }> {
  const ring = requireRing(hv, ringId);
  const b = backOf(ring);
  if (u32Diff(b.reqCons, b.rspProdPvt) === 0) return errno('EINVAL');
  const idx = b.rspProdPvt;
  const effects: HvEffect[] = [setSlot(ring, idx, 'response-written', { rsp })];
  b.rspProdPvt = u32Add(idx, 1);
  effects.push(indexEffect(ring, 'rspProdPvt', idx, b.rspProdPvt));
  return ok({ idx }, effects);
}

/** Publishes rsp_prod = rsp_prod_pvt; every newly covered slot becomes `response-ready`. */
function publishResponses(ring: SharedRing, b: BackRing): HvEffect[] {
  const old = ring.sring.rspProd;
  const effects: HvEffect[] = [];
  for (let i = old; i !== b.rspProdPvt; i = u32Add(i, 1)) effects.push(setSlot(ring, i, 'response-ready'));
  if (old !== b.rspProdPvt) {
    ring.sring.rspProd = b.rspProdPvt;
    effects.push(indexEffect(ring, 'rspProd', old, b.rspProdPvt));
  }
  return effects;
}

/** ring.h RING_PUSH_RESPONSES: write barrier; rsp_prod = rsp_prod_pvt. */
export function ringPushResponses(hv: HypervisorState, ringId: string): HvResult {
  const ring = requireRing(hv, ringId);
  return ok({}, publishResponses(ring, backOf(ring)));
}

/**
 * ring.h RING_PUSH_RESPONSES_AND_CHECK_NOTIFY: publish, then notify iff rsp_event lies in
 * (old rsp_prod, new rsp_prod], i.e. `(u32)(new − rsp_event) < (u32)(new − old)`.
 */
export function ringPushResponsesAndCheckNotify(
  hv: HypervisorState,
  ringId: string,
): HvResult<{ notify: boolean }> {
  const ring = requireRing(hv, ringId);
  const b = backOf(ring);
  const old = ring.sring.rspProd;
  const effects = publishResponses(ring, b);
  const event = ring.sring.rspEvent;
  const notify = ringNeedsNotify(old, b.rspProdPvt, event);
  effects.push({
    kind: 'ring-notify-check',
    ringId,
    direction: 'responses',
    old,
    new: b.rspProdPvt,
    event,
    notify,
  });
  return ok({ notify }, effects);
}

/**
 * ring.h RING_FINAL_CHECK_FOR_REQUESTS: if nothing is left, set req_event = req_cons + 1 (asking the
 * frontend to notify on its next request) and check again before going idle.
 */
export function ringFinalCheckForRequests(hv: HypervisorState, ringId: string): HvResult<{ more: boolean }> {
  const ring = requireRing(hv, ringId);
  const b = backOf(ring);
  if (ringHasUnconsumedRequests(ring) > 0) {
    return ok({ more: true }, [
      { kind: 'ring-final-check', ringId, direction: 'requests', more: true, event: null },
    ]);
  }
  const old = ring.sring.reqEvent;
  ring.sring.reqEvent = u32Add(b.reqCons, 1);
  const effects: HvEffect[] = [];
  if (old !== ring.sring.reqEvent) effects.push(indexEffect(ring, 'reqEvent', old, ring.sring.reqEvent));
  const more = ringHasUnconsumedRequests(ring) > 0;
  effects.push({ kind: 'ring-final-check', ringId, direction: 'requests', more, event: ring.sring.reqEvent });
  return ok({ more }, effects);
}

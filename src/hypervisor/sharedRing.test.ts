import { describe, expect, it } from 'vitest';
import { checkInvariants } from './audit';
import { createDomain } from './domains';
import type { HvEffect } from './effects';
import type { HvResult } from './errors';
import { backRingAttach, frontRingRelease, sharedRingInit } from './sharedRing';
import {
  ringFinalCheckForRequests,
  ringPushResponsesAndCheckNotify,
  ringPutResponse,
  ringTakeRequest,
} from './ringBack';
import {
  ringFinalCheckForResponses,
  ringPushRequests,
  ringPushRequestsAndCheckNotify,
  ringPutRequest,
  ringTakeResponse,
} from './ringFront';
import { xenbusGrantRing, xenbusMapRingValloc } from './ringMapping';
import { ringFreeRequests, ringHasUnconsumedRequests } from './ringMath';
import { createHypervisor } from './state';
import { unmapGrantRef } from './grantOps';
import type { SharedRingInitArgs } from './sharedRing';
import type { HypervisorState } from './types';

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

/** dom0 backend + dom1 frontend with one connected ring, as after a vbd connect. */
function connectedRing(args: Partial<SharedRingInitArgs> = {}) {
  const hv = createHypervisor();
  must(createDomain(hv, { kind: 'PV', domid: 0 }));
  must(createDomain(hv, { kind: 'PV', domid: 1 }));
  const { ringId } = must(sharedRingInit(hv, 1, { protocol: 'blkif', ...args }));
  const { refs } = must(xenbusGrantRing(hv, 1, ringId, 0));
  must(xenbusMapRingValloc(hv, 0, 1, refs));
  must(backRingAttach(hv, 0, { granter: 1, ref: refs[0]! }));
  return { hv, ringId, ring: hv.rings.get(ringId)!, refs };
}

function post(hv: HypervisorState, ringId: string, n: number, from = 0) {
  for (let i = 0; i < n; i++) must(ringPutRequest(hv, ringId, { id: from + i }));
}

function slotEffects(effects: HvEffect[]) {
  return effects.flatMap((e) => (e.kind === 'ring-slot' ? [`${e.slot}:${e.old}->${e.new}`] : []));
}

describe('ring initialisation', () => {
  it('SHARED_RING_INIT sets req_prod = rsp_prod = 0 and both event indices to 1', () => {
    const { ring } = connectedRing();
    expect(ring.sring).toEqual({ reqProd: 0, reqEvent: 1, rspProd: 0, rspEvent: 1 });
    expect(ring.front).toEqual({ domid: 1, reqProdPvt: 0, rspCons: 0 });
    expect(ring.back).toEqual({ domid: 0, rspProdPvt: 0, reqCons: 0 });
    expect(ring.nrEnts).toBe(32);
    expect(ring.slots.every((s) => s.state === 'free')).toBe(true);
  });

  it('the backend cannot attach to a ring page it has not mapped', () => {
    const hv = createHypervisor();
    must(createDomain(hv, { kind: 'PV', domid: 0 }));
    must(createDomain(hv, { kind: 'PV', domid: 1 }));
    const { ringId } = must(sharedRingInit(hv, 1, { protocol: 'netif-rx' }));
    const { refs } = must(xenbusGrantRing(hv, 1, ringId, 0));
    expect(() => backRingAttach(hv, 0, { granter: 1, ref: refs[0]! })).toThrow(/not mapped/);
  });
});

describe('notification hold-off (spec §2.4 worked example)', () => {
  it('a notify is held off until the consumer sets req_event past the new requests', () => {
    const { hv, ringId, ring } = connectedRing();
    // Backend served five requests and went idle with a final check: req_event = 6.
    post(hv, ringId, 5);
    must(ringPushRequests(hv, ringId));
    for (let i = 0; i < 5; i++) must(ringTakeRequest(hv, ringId));
    expect(must(ringFinalCheckForRequests(hv, ringId)).more).toBe(false);
    expect(ring.sring.reqEvent).toBe(6);

    // Front fills slots 5, 6, 7 and pushes: (8 − 6) = 2 < (8 − 5) = 3 → notify.
    post(hv, ringId, 3, 5);
    const first = must(ringPushRequestsAndCheckNotify(hv, ringId));
    expect(first.notify).toBe(true);
    expect(first.effects.at(-1)).toMatchObject({ kind: 'ring-notify-check', old: 5, new: 8, event: 6 });

    // Slot 8 before the backend ran: (9 − 6) = 3 < (9 − 8) = 1 is false → no second notification.
    post(hv, ringId, 1, 8);
    expect(must(ringPushRequestsAndCheckNotify(hv, ringId)).notify).toBe(false);
    // …and the backend still finds all four requests when it runs.
    expect(ringHasUnconsumedRequests(ring)).toBe(4);
  });

  it('a backend that finds work in its final check leaves req_event alone', () => {
    const { hv, ringId, ring } = connectedRing();
    post(hv, ringId, 1);
    must(ringPushRequests(hv, ringId));
    const check = must(ringFinalCheckForRequests(hv, ringId));
    expect(check.more).toBe(true);
    expect(ring.sring.reqEvent).toBe(1);
  });

  it('responses notify the frontend only when rsp_event lies in the pushed range', () => {
    const { hv, ringId, ring } = connectedRing();
    post(hv, ringId, 2);
    must(ringPushRequests(hv, ringId));
    must(ringTakeRequest(hv, ringId));
    must(ringTakeRequest(hv, ringId));
    must(ringPutResponse(hv, ringId, { id: 0, status: 0 }));
    expect(must(ringPushResponsesAndCheckNotify(hv, ringId)).notify).toBe(true); // rsp_event was 1
    must(ringPutResponse(hv, ringId, { id: 1, status: 0 }));
    expect(must(ringPushResponsesAndCheckNotify(hv, ringId)).notify).toBe(false); // front never re-armed
    must(ringTakeResponse(hv, ringId));
    must(ringTakeResponse(hv, ringId));
    expect(must(ringFinalCheckForResponses(hv, ringId)).more).toBe(false);
    expect(ring.sring.rspEvent).toBe(3);
  });
});

describe('slot life cycle', () => {
  it('a slot goes request-written → request-posted → in-service → response-written → response-ready → free', () => {
    const { hv, ringId } = connectedRing();
    const steps: HvResult[] = [
      ringPutRequest(hv, ringId, { id: 7 }),
      ringPushRequests(hv, ringId),
      ringTakeRequest(hv, ringId),
      ringPutResponse(hv, ringId, { id: 7, status: 0 }),
      ringPushResponsesAndCheckNotify(hv, ringId),
      ringTakeResponse(hv, ringId),
    ];
    expect(steps.flatMap((s) => slotEffects(must(s).effects))).toEqual([
      '0:free->request-written',
      '0:request-written->request-posted',
      '0:request-posted->in-service',
      '0:in-service->response-written',
      '0:response-written->response-ready',
      '0:response-ready->free',
    ]);
  });

  it('the frontend reads its own request back beside the response', () => {
    const { hv, ringId } = connectedRing();
    must(ringPutRequest(hv, ringId, { id: 3, gref: 40 }));
    must(ringPushRequests(hv, ringId));
    must(ringTakeRequest(hv, ringId));
    must(ringPutResponse(hv, ringId, { id: 3, status: 512 }));
    must(ringPushResponsesAndCheckNotify(hv, ringId));
    const got = must(ringTakeResponse(hv, ringId));
    expect(got.rsp).toEqual({ id: 3, status: 512 });
    expect(got.req).toEqual({ id: 3, gref: 40 });
  });

  it('a full ring refuses another request with -ENOSPC until a response is consumed', () => {
    const { hv, ringId, ring } = connectedRing();
    post(hv, ringId, 32);
    expect(ringFreeRequests(ring)).toBe(0);
    expect(ringPutRequest(hv, ringId, { id: 99 })).toMatchObject({ ok: false, rc: -28, error: 'ENOSPC' });
  });

  it('taking from an empty ring is -EAGAIN and answering nothing is -EINVAL', () => {
    const { hv, ringId } = connectedRing();
    expect(ringTakeRequest(hv, ringId)).toMatchObject({ ok: false, error: 'EAGAIN' });
    expect(ringTakeResponse(hv, ringId)).toMatchObject({ ok: false, error: 'EAGAIN' });
    expect(ringPutResponse(hv, ringId, { status: 0 })).toMatchObject({ ok: false, error: 'EINVAL' });
  });

  it('unpublished requests are invisible to the backend', () => {
    const { hv, ringId, ring } = connectedRing();
    post(hv, ringId, 3);
    expect(ringHasUnconsumedRequests(ring)).toBe(0);
    must(ringPushRequests(hv, ringId));
    expect(ringHasUnconsumedRequests(ring)).toBe(3);
  });
});

describe('wrap-around', () => {
  it('indices wrap at 2^32 without losing slots', () => {
    const start = 0xffffffff - 9;
    const { hv, ringId, ring } = connectedRing({ startIndex: start });
    const seen: number[] = [];
    for (let round = 0; round < 3; round++) {
      post(hv, ringId, 20, round * 20);
      must(ringPushRequestsAndCheckNotify(hv, ringId));
      for (let i = 0; i < 20; i++) {
        seen.push(Number(must(ringTakeRequest(hv, ringId)).req.id));
        must(ringPutResponse(hv, ringId, { id: i }));
      }
      must(ringPushResponsesAndCheckNotify(hv, ringId));
      for (let i = 0; i < 20; i++) must(ringTakeResponse(hv, ringId));
      expect(checkInvariants(hv)).toEqual([]);
    }
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(ring.sring.reqProd).toBe(50); // start + 60 − 2^32
    expect(ring.front!.rspCons).toBe(50);
  });
});

describe('release', () => {
  it('a ring disappears once the frontend releases it and the backend has unmapped it', () => {
    const { hv, ringId } = connectedRing();
    must(frontRingRelease(hv, ringId));
    expect(hv.rings.has(ringId)).toBe(true); // backend still maps the page
    const back = hv.domains.get(0)!;
    const [handle] = [...back.maptrack.mappings.keys()];
    must(unmapGrantRef(hv, 0, handle!));
    expect(hv.rings.has(ringId)).toBe(false);
  });
});

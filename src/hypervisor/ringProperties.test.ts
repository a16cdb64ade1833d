import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants } from './audit';
import { createDomain } from './domains';
import {
  ringFinalCheckForRequests,
  ringPushResponsesAndCheckNotify,
  ringPutResponse,
  ringTakeRequest,
} from './ringBack';
import {
  ringFinalCheckForResponses,
  ringPushRequestsAndCheckNotify,
  ringPutRequest,
  ringTakeResponse,
} from './ringFront';
import { xenbusGrantRing, xenbusMapRingValloc } from './ringMapping';
import { ringHasUnconsumedRequests, ringHasUnconsumedResponses, u32Diff } from './ringMath';
import { backRingAttach, sharedRingInit } from './sharedRing';
import { createHypervisor } from './state';

type Op = 'put' | 'push' | 'takeRsp' | 'finalRsp' | 'takeReq' | 'putRsp' | 'pushRsp' | 'finalReq';
const OPS: Op[] = ['put', 'push', 'takeRsp', 'finalRsp', 'takeReq', 'putRsp', 'pushRsp', 'finalReq'];

/** The notify rule restated independently: the event index lies strictly after old and at most at new. */
function eventInWindow(oldProd: number, newProd: number, event: number): boolean {
  const off = u32Diff(event, oldProd);
  return off >= 1 && off <= u32Diff(newProd, oldProd);
}

function setup(nrEnts: number, startIndex: number) {
  const hv = createHypervisor();
  createDomain(hv, { kind: 'PV', domid: 0 });
  createDomain(hv, { kind: 'PV', domid: 1 });
  const init = sharedRingInit(hv, 1, { protocol: 'custom', nrEnts, startIndex });
  if (!init.ok) throw new Error('init');
  const g = xenbusGrantRing(hv, 1, init.ringId, 0);
  if (!g.ok) throw new Error('grant');
  xenbusMapRingValloc(hv, 0, 1, g.refs);
  backRingAttach(hv, 0, { granter: 1, ref: g.refs[0]! });
  return { hv, ringId: init.ringId, ring: hv.rings.get(init.ringId)! };
}

/**
 * Runs a random interleaving of frontend and backend steps following the driver protocol: push with
 * the notify check, sleep after a final check that finds nothing, wake only on a notification.
 */
function runInterleaving(nrEnts: number, startIndex: number, ops: Op[]) {
  const { hv, ringId, ring } = setup(nrEnts, startIndex);
  let nextId = 0;
  let nextRsp = 0;
  const taken: number[] = [];
  const answered: number[] = [];
  const inService: number[] = [];
  let backAsleep = false;
  let frontAsleep = false;
  for (const op of ops) {
    const before = { ...ring.sring, pvtReq: ring.front!.reqProdPvt, pvtRsp: ring.back!.rspProdPvt };
    switch (op) {
      case 'put':
        if (ringPutRequest(hv, ringId, { id: nextId }).ok) nextId++;
        break;
      case 'push': {
        const r = ringPushRequestsAndCheckNotify(hv, ringId);
        if (!r.ok) throw new Error('push');
        expect(r.notify).toBe(eventInWindow(before.reqProd, before.pvtReq, before.reqEvent));
        if (r.notify) backAsleep = false;
        break;
      }
      case 'takeRsp':
        if (!frontAsleep) {
          const r = ringTakeResponse(hv, ringId);
          if (r.ok) answered.push(Number(r.rsp.id));
        }
        break;
      case 'finalRsp':
        if (!frontAsleep) {
          const r = ringFinalCheckForResponses(hv, ringId);
          if (r.ok && !r.more) frontAsleep = true;
        }
        break;
      case 'takeReq':
        if (!backAsleep) {
          const r = ringTakeRequest(hv, ringId);
          if (r.ok) {
            taken.push(Number(r.req.id));
            inService.push(Number(r.req.id));
          }
        }
        break;
      case 'putRsp':
        if (!backAsleep && inService.length > 0) {
          const r = ringPutResponse(hv, ringId, { id: inService[0]!, seq: nextRsp });
          if (!r.ok) throw new Error('putRsp');
          inService.shift();
          nextRsp++;
        }
        break;
      case 'pushRsp': {
        const r = ringPushResponsesAndCheckNotify(hv, ringId);
        if (!r.ok) throw new Error('pushRsp');
        expect(r.notify).toBe(eventInWindow(before.rspProd, before.pvtRsp, before.rspEvent));
        if (r.notify) frontAsleep = false;
        break;
      }
      case 'finalReq':
        if (!backAsleep) {
          const r = ringFinalCheckForRequests(hv, ringId);
          if (r.ok && !r.more) backAsleep = true;
        }
        break;
    }
    // Nobody sleeps while work is waiting for them (the race the final checks close).
    if (backAsleep) expect(ringHasUnconsumedRequests(ring)).toBe(0);
    if (frontAsleep) expect(ringHasUnconsumedResponses(ring)).toBe(0);
    expect(checkInvariants(hv)).toEqual([]);
  }
  return { taken, answered, produced: nextId };
}

const startArb = fc.oneof(fc.constant(0), fc.integer({ min: 0xffffffff - 300, max: 0xffffffff }));
const sizeArb = fc.constantFrom(1, 2, 4, 8, 32);
const opsArb = fc.array(fc.constantFrom(...OPS), { maxLength: 400, size: 'max' });

describe('ring protocol under random interleavings', () => {
  it('never loses, duplicates or reorders a request or a response, across the 2^32 wrap', () => {
    fc.assert(
      fc.property(sizeArb, startArb, opsArb, (nrEnts, start, ops) => {
        const { taken, answered, produced } = runInterleaving(nrEnts, start, ops);
        expect(taken).toEqual(Array.from({ length: taken.length }, (_, i) => i));
        expect(answered).toEqual(taken.slice(0, answered.length));
        expect(taken.length).toBeLessThanOrEqual(produced);
      }),
      { numRuns: 300 },
    );
  });

  it('a consumer that sleeps after its final check is always woken for new work', () => {
    // The same run with only the wake-up checks: long runs that keep both sides busy.
    fc.assert(
      fc.property(
        sizeArb,
        startArb,
        fc.array(fc.constantFrom(...OPS), { minLength: 200, maxLength: 800 }),
        (n, s, ops) => {
          runInterleaving(n, s, ops);
        },
      ),
      { numRuns: 100 },
    );
  });
});

/**
 * The index arithmetic of xen/include/public/io/ring.h as pure functions.
 *
 * `RING_IDX` is a free-running unsigned 32-bit counter; every comparison is on a difference taken
 * modulo 2^32, which is why wrapping past 0xFFFFFFFF is harmless. JavaScript numbers are doubles, so
 * every sum and difference here goes through `u32`.
 */
import { PAGE_SIZE, RING_ENTRY_BYTES, SRING_HEADER_BYTES } from './constants';
import { HypervisorUsageError } from './errors';
import type { RingProtocol, SharedRing } from './types';

/** Reduces any integer to the uint32 it would be in C. */
export function u32(x: number): number {
  return x >>> 0;
}

/** (u32)(a − b) */
export function u32Diff(a: number, b: number): number {
  return (a - b) >>> 0;
}

/** (u32)(a + n) */
export function u32Add(a: number, n: number): number {
  return (a + n) >>> 0;
}

function roundDownPow2(n: number): number {
  if (n < 1) return 0;
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/**
 * ring.h __CONST_RING_SIZE / __RING_SIZE: entries that fit in `pages` pages after the 64-byte header,
 * rounded down to a power of two (blkif 1 page → 32, netif → 256).
 */
export function ringSize(entryBytes: number, pages = 1): number {
  return roundDownPow2(Math.floor((pages * PAGE_SIZE - SRING_HEADER_BYTES) / entryBytes));
}

/** ringSize for a named protocol (`custom` needs an explicit size instead). */
export function ringSizeFor(protocol: Exclude<RingProtocol, 'custom'>, pages = 1): number {
  return ringSize(RING_ENTRY_BYTES[protocol], pages);
}

/** The slot an index lands in: idx & (nr_ents − 1) (RING_GET_REQUEST / RING_GET_RESPONSE). */
export function ringSlotOf(nrEnts: number, idx: number): number {
  return u32(idx) & (nrEnts - 1);
}

/**
 * The notify decision of RING_PUSH_{REQUESTS,RESPONSES}_AND_CHECK_NOTIFY:
 * `(RING_IDX)(new − event) < (RING_IDX)(new − old)`, i.e. `event` lies in (old, new].
 */
export function ringNeedsNotify(oldProd: number, newProd: number, event: number): boolean {
  return u32Diff(newProd, event) < u32Diff(newProd, oldProd);
}

function front(r: SharedRing) {
  if (!r.front) throw new HypervisorUsageError(`ring ${r.id} has no frontend attached`);
  return r.front;
}

function back(r: SharedRing) {
  if (!r.back) throw new HypervisorUsageError(`ring ${r.id} has no backend attached`);
  return r.back;
}

/** RING_FREE_REQUESTS: nr_ents − (req_prod_pvt − rsp_cons). */
export function ringFreeRequests(r: SharedRing): number {
  const f = front(r);
  return u32Diff(r.nrEnts, u32Diff(f.reqProdPvt, f.rspCons));
}

/** RING_FULL: no free request slot. */
export function ringFull(r: SharedRing): boolean {
  return ringFreeRequests(r) === 0;
}

/** RING_HAS_UNCONSUMED_RESPONSES: rsp_prod − rsp_cons. */
export function ringHasUnconsumedResponses(r: SharedRing): number {
  return u32Diff(r.sring.rspProd, front(r).rspCons);
}

/** RING_HAS_UNCONSUMED_REQUESTS: min(req_prod − req_cons, nr_ents − (req_cons − rsp_prod_pvt)). */
export function ringHasUnconsumedRequests(r: SharedRing): number {
  const b = back(r);
  const req = u32Diff(r.sring.reqProd, b.reqCons);
  const rsp = u32Diff(r.nrEnts, u32Diff(b.reqCons, b.rspProdPvt));
  return Math.min(req, rsp);
}

/** RING_REQUEST_CONS_OVERFLOW: the backend has `nr_ents` requests in service and must answer first. */
export function ringRequestConsOverflow(r: SharedRing, cons: number): boolean {
  return u32Diff(cons, back(r).rspProdPvt) >= r.nrEnts;
}

/** RING_REQUEST_PROD_OVERFLOW: a frontend published more requests than the ring holds. */
export function ringRequestProdOverflow(r: SharedRing, prod: number): boolean {
  return u32Diff(prod, back(r).rspProdPvt) > r.nrEnts;
}

/** RING_RESPONSE_PROD_OVERFLOW: a backend published more responses than the ring holds. */
export function ringResponseProdOverflow(r: SharedRing, prod: number): boolean {
  return u32Diff(prod, front(r).rspCons) > r.nrEnts;
}

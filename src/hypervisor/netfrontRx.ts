/**
 * Netfront receive buffers on top of the primitives: posting buffers and taking packets back.
 * Two receive paths (spec kexec-handover.md §4): [2006] page flipping, where each posted buffer is an
 * accept_transfer slot whose frame was returned to Xen (counted in `driver_pages`), and [modern]
 * copying, where each buffer is an ordinary page granted writable to the backend.
 *
 * Netfront's `grant_rx_ref[id]` is read back from the rx ring: the id of a buffer is the slot its
 * request went into, and a slot holds a buffer from posting until netfront consumes its response.
 */
import { balloonUpdateDriverAllowance, decreaseReservation } from './balloon';
import type { HvEffect } from './effects';
import { errno, ok, type HvResult } from './errors';
import {
  endForeignAccess,
  endForeignTransferRef,
  gnttabAllocGrantReferences,
  gnttabFreeGrantReferences,
  grantForeignAccessRef,
  grantForeignTransferRef,
} from './grantTable';
import {
  ringFinalCheckForResponses,
  ringPushRequests,
  ringPushRequestsAndCheckNotify,
  ringPutRequest,
  ringTakeResponse,
} from './ringFront';
import { ringFreeRequests, ringHasUnconsumedResponses, ringSlotOf } from './ringMath';
import { allocFrame, requireDomain, requireRing } from './state';
import type { Domid, HypervisorState } from './types';

/** `flip` = [2006] page flipping (GTF_accept_transfer); `copy` = [modern] copying receiver. */
export type RxMode = 'flip' | 'copy';

export interface AllocRxArgs {
  ringId: string;
  backend: Domid;
  /** buffers wanted (e.g. rx_target minus those outstanding); capped by free ring slots */
  count: number;
  mode: RxMode;
  /** push with RING_PUSH_REQUESTS_AND_CHECK_NOTIFY ([modern]); [2006] used a plain RING_PUSH_REQUESTS */
  checkNotify: boolean;
}

/**
 * netfront.c network_alloc_rx_buffers ([2006] flip) / xennet_alloc_rx_buffers ([modern] copy):
 * for each buffer claim a ref, open it to the backend and queue an rx request `{ id, gref }`; in flip
 * mode then return the frames to Xen (XENMEM_decrease_reservation) and tell the balloon
 * (driver_pages += n). Finally push the requests. -ENOSPC if no grant refs are left.
 */
export function netfrontAllocRxBuffers(
  hv: HypervisorState,
  domid: Domid,
  args: AllocRxArgs,
): HvResult<{ posted: number; refs: number[]; notify: boolean }> {
  requireDomain(hv, domid);
  const ring = requireRing(hv, args.ringId);
  const n = Math.max(0, Math.min(args.count, ringFreeRequests(ring)));
  if (n === 0) return ok({ posted: 0, refs: [], notify: false });
  const claim = gnttabAllocGrantReferences(hv, domid, n);
  if (!claim.ok) return claim;
  const effects: HvEffect[] = [...claim.effects];
  for (const ref of claim.refs) {
    const id = ringSlotOf(ring.nrEnts, ring.front!.reqProdPvt);
    const frame = allocFrame(hv);
    const grant =
      args.mode === 'flip'
        ? grantForeignTransferRef(hv, domid, ref, { grantee: args.backend, pfn: frame })
        : grantForeignAccessRef(hv, domid, ref, { grantee: args.backend, frame, readonly: false });
    effects.push(...grant.effects);
    const put = ringPutRequest(hv, args.ringId, { id, gref: ref });
    effects.push(...put.effects);
    effects.push({ kind: 'rx-buffer', domid, ringId: args.ringId, id, ref, state: 'posted' });
  }
  if (args.mode === 'flip') {
    effects.push(...decreaseReservation(hv, domid, n).effects);
    effects.push(...balloonUpdateDriverAllowance(hv, domid, n).effects);
  }
  let notify = false;
  if (args.checkNotify) {
    const push = ringPushRequestsAndCheckNotify(hv, args.ringId);
    notify = push.ok && push.notify;
    effects.push(...push.effects);
  } else {
    effects.push(...ringPushRequests(hv, args.ringId).effects);
  }
  return ok({ posted: n, refs: claim.refs, notify }, effects);
}

/**
 * netfront.c netif_poll ([2006]) / xennet_poll ([modern]): consume up to `budget` rx responses.
 * Flip: end the transfer (the new frame is remapped at the old pfn), free the ref, driver_pages −= n.
 * Copy: end foreign access and free the page. A response with an error status means nothing arrived:
 * the flip slot is invalidated and its page stays owed (`leaked`) **(simplification: 2006 netfront
 * re-posts the buffer instead)**. Ends with RING_FINAL_CHECK_FOR_RESPONSES.
 */
export function netfrontPollRx(
  hv: HypervisorState,
  domid: Domid,
  args: { ringId: string; budget: number },
): HvResult<{ consumed: number; more: boolean }> {
  requireDomain(hv, domid);
  const ring = requireRing(hv, args.ringId);
  if (!ring.front || ring.front.domid !== domid) return errno('EINVAL');
  const effects: HvEffect[] = [];
  let consumed = 0;
  let pagesBack = 0;
  while (consumed < args.budget && ringHasUnconsumedResponses(ring) > 0) {
    const taken = ringTakeResponse(hv, args.ringId);
    if (!taken.ok) break;
    effects.push(...taken.effects);
    consumed++;
    const ref = Number(taken.req?.gref);
    const id = Number(taken.req?.id);
    const entry = requireDomain(hv, domid).gnttab.entries.get(ref);
    if (entry?.type === 'accept_transfer') {
      const end = endForeignTransferRef(hv, domid, ref);
      effects.push(...end.effects, ...gnttabFreeGrantReferences(hv, domid, [ref]).effects);
      const back = end.ok && end.frame !== 0;
      if (back) pagesBack++;
      effects.push({
        kind: 'rx-buffer',
        domid,
        ringId: args.ringId,
        id,
        ref,
        state: back ? 'consumed' : 'leaked',
      });
    } else {
      effects.push(...endForeignAccess(hv, domid, ref, 'defer').effects);
      effects.push({ kind: 'rx-buffer', domid, ringId: args.ringId, id, ref, state: 'consumed' });
    }
  }
  if (pagesBack > 0) effects.push(...balloonUpdateDriverAllowance(hv, domid, -pagesBack).effects);
  const fin = ringFinalCheckForResponses(hv, args.ringId);
  effects.push(...fin.effects);
  return ok({ consumed, more: fin.ok && fin.more }, effects);
}

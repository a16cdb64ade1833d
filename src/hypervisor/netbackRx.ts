/**
 * The backend half of the receive path: netback filling posted rx buffers with packets. Netback
 * "sits on" posted buffers until it has packet data, which is why unanswered requests pile up.
 */
import { increaseReservation } from './balloon';
import type { HvEffect } from './effects';
import { errno, ok, type HvResult } from './errors';
import { gnttabCopy, gnttabTransfer } from './grantOps';
import type { RxMode } from './netfrontRx';
import { ringPushResponsesAndCheckNotify, ringPutResponse, ringTakeRequest } from './ringBack';
import { allocFrame, requireDomain, requireRing } from './state';
import type { Domid, HypervisorState } from './types';

/** netif.h NETIF_RSP_* status values (a non-negative status is the packet length). */
export const NETIF_RSP = { DROPPED: -2, ERROR: -1, OKAY: 0, NULL: 1 } as const;

export interface RxDeliverArgs {
  ringId: string;
  /** packets to deliver now (each takes one posted buffer) */
  packets: number;
  /** bytes per packet (≤ 4096) */
  bytes: number;
  mode: RxMode;
}

/**
 * netback net_rx_action: for each packet take the next posted rx request and fill its buffer:
 * [2006] flip: GNTTABOP_transfer of one of dom0's pages into the slot, then alloc_mfn replaces the page
 * (XENMEM_increase_reservation, here one page at a time); [modern] copy: GNTTABOP_copy into the granted
 * page. The response (status = length, or NETIF_RSP_ERROR) goes into the same slot; responses are
 * pushed with the notify check. Delivers fewer packets when fewer buffers are posted.
 */
export function netbackRxDeliver(
  hv: HypervisorState,
  backend: Domid,
  args: RxDeliverArgs,
): HvResult<{ delivered: number; notify: boolean }> {
  requireDomain(hv, backend);
  const ring = requireRing(hv, args.ringId);
  if (!ring.back || ring.back.domid !== backend) return errno('EINVAL');
  const front = ring.owner;
  const effects: HvEffect[] = [];
  let delivered = 0;
  for (let i = 0; i < args.packets; i++) {
    const taken = ringTakeRequest(hv, args.ringId);
    if (!taken.ok) break;
    effects.push(...taken.effects);
    const id = Number(taken.req.id);
    const ref = Number(taken.req.gref);
    const fill =
      args.mode === 'flip'
        ? gnttabTransfer(hv, backend, { frame: allocFrame(hv), to: front, ref })
        : gnttabCopy(hv, backend, { granter: front, ref, toGrant: true, bytes: args.bytes });
    effects.push(...fill.effects);
    const gaveAPage = fill.effects.some((e) => e.kind === 'domain-pages' && e.domid === backend);
    if (gaveAPage) effects.push(...increaseReservation(hv, backend, 1).effects);
    const status = fill.ok ? args.bytes : NETIF_RSP.ERROR;
    effects.push(...ringPutResponse(hv, args.ringId, { id, offset: 0, flags: 0, status }).effects);
    if (fill.ok)
      effects.push({ kind: 'rx-buffer', domid: front, ringId: args.ringId, id, ref, state: 'transferred' });
    delivered++;
  }
  if (delivered === 0) return ok({ delivered, notify: false }, effects);
  const push = ringPushResponsesAndCheckNotify(hv, args.ringId);
  effects.push(...push.effects);
  return ok({ delivered, notify: push.ok && push.notify }, effects);
}

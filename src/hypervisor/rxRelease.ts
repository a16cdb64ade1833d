/**
 * Getting rx buffers back when netfront is torn down with buffers still posted (spec
 * kexec-handover.md §4.3): the 2006 RFC netif_release_rx_bufs, the merged 2006 rework, and modern
 * xennet_release_rx_bufs. The [2006] profile without any release simply never calls this: every
 * outstanding buffer stays owed (see netfrontRxOutstanding).
 */
import { balloonReleaseDriverPage, balloonUpdateDriverAllowance } from './balloon';
import type { HvEffect, RxReleaseVariant } from './effects';
import { errno, ok, type HvResult } from './errors';
import { endForeignAccess, endForeignTransferRef, gnttabFreeGrantReferences } from './grantTable';
import { frontRingRelease } from './sharedRing';
import { requireDomain, requireRing } from './state';
import type { Domid, HypervisorState } from './types';

/** A buffer netfront still has out: `grant_rx_ref[id] != GRANT_INVALID_REF`. */
export interface RxOutstanding {
  id: number;
  ref: number;
}

/** Netfront's valid `grant_rx_ref[]` entries, read from the rx ring's occupied slots (id = slot). */
export function netfrontRxOutstanding(hv: HypervisorState, ringId: string): RxOutstanding[] {
  const ring = requireRing(hv, ringId);
  const out: RxOutstanding[] = [];
  ring.slots.forEach((s, id) => {
    if (s.state !== 'free' && s.req) out.push({ id, ref: Number(s.req.gref) });
  });
  return out;
}

export interface RxReleaseResult {
  /** RFC "released ok" / merged "xfer" / modern: access ended and page freed now */
  released: number;
  /** RFC "gnttab errs" / merged "noxfer" (given to the balloon) / modern: 0 */
  gnttabErrs: number;
  unused: number;
  /** modern: still mapped by the backend, freed later by the deferred list */
  deferred: number;
  skipped: boolean;
  lockLeftHeld: boolean;
}

/**
 * netfront.c netif_release_rx_bufs / xennet_release_rx_bufs, looping over all NET_RX_RING_SIZE ids:
 *  - `rfc-2006`: end the transfer; 0 → "gnttab err" (slot invalidated, page never returns: leaked);
 *    a frame → "released ok" (ref freed, page remapped); driver_pages −= released, skipped when 0,
 *    in which case the RFC returns with rx_lock still held (`lockLeftHeld`).
 *  - `merged-2006`: every ref is freed; noxfer pages go to the balloon (driver_pages−− each); xfer
 *    pages are remapped and driver_pages −= xfer. With a copying receiver it only warns "fix me for
 *    copying receiver" and does nothing (`skipped`).
 *  - `modern`: gnttab_end_foreign_access on every buffer: freed now, or deferred while mapped.
 * Afterwards netfront no longer uses the ring (the backend's view, if attached, stays).
 */
export function netifReleaseRxBufs(
  hv: HypervisorState,
  domid: Domid,
  args: { ringId: string; variant: RxReleaseVariant },
): HvResult<RxReleaseResult> {
  const d = requireDomain(hv, domid);
  const ring = requireRing(hv, args.ringId);
  if (!ring.front || ring.front.domid !== domid) return errno('EINVAL');
  const { ringId, variant } = args;
  const outstanding = netfrontRxOutstanding(hv, ringId);
  const res: RxReleaseResult = {
    released: 0,
    gnttabErrs: 0,
    unused: ring.nrEnts - outstanding.length,
    deferred: 0,
    skipped: false,
    lockLeftHeld: false,
  };
  const effects: HvEffect[] = [];
  const isCopy = outstanding.some((b) => d.gnttab.entries.get(b.ref)?.type === 'permit_access');
  if (variant === 'merged-2006' && isCopy) res.skipped = true;
  for (const { id, ref } of res.skipped ? [] : outstanding) {
    if (variant === 'modern') {
      const end = endForeignAccess(hv, domid, ref, 'defer');
      effects.push(...end.effects);
      const state = !end.ok ? 'leaked' : end.outcome === 'freed' ? 'released' : 'deferred';
      if (state === 'released') res.released++;
      else if (state === 'deferred') res.deferred++;
      else res.gnttabErrs++; // a flip slot: the modern code cannot end it
      effects.push({ kind: 'rx-buffer', domid, ringId, id, ref, state });
      continue;
    }
    const end = endForeignTransferRef(hv, domid, ref);
    effects.push(...end.effects);
    const frame = end.ok ? end.frame : 0;
    if (frame !== 0 || variant === 'merged-2006')
      effects.push(...gnttabFreeGrantReferences(hv, domid, [ref]).effects);
    if (frame !== 0) {
      res.released++;
      effects.push({ kind: 'rx-buffer', domid, ringId, id, ref, state: 'released' });
    } else {
      res.gnttabErrs++;
      if (variant === 'merged-2006') effects.push(...balloonReleaseDriverPage(hv, domid).effects);
      effects.push({
        kind: 'rx-buffer',
        domid,
        ringId,
        id,
        ref,
        state: variant === 'merged-2006' ? 'ballooned' : 'leaked',
      });
    }
  }
  if (variant !== 'modern' && res.released > 0) {
    effects.push(...balloonUpdateDriverAllowance(hv, domid, -res.released).effects);
  }
  res.lockLeftHeld = variant === 'rfc-2006' && res.released === 0;
  effects.push({ kind: 'rx-release', domid, ringId, variant, ...res });
  effects.push(...frontRingRelease(hv, ringId).effects);
  return ok(res, effects);
}

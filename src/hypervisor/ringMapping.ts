/**
 * The ring-page functions of Linux drivers/xen/xenbus/xenbus_client.c, built from grant operations:
 * the frontend grants its ring pages, the backend maps them all or none.
 * Calling `xenbus_dev_fatal` on failure is left to the driver model.
 */
import { XENBUS_MAX_RING_GRANTS } from './constants';
import type { HvEffect } from './effects';
import { errno, HypervisorUsageError, ok, type HvErr, type HvErrorName, type HvResult } from './errors';
import { gnttabAllocGrantReferences, grantForeignAccessRef } from './grantTable';
import { mapGrantRef, unmapGrantRef } from './grantOps';
import { allocFrame, requireDomain, requireRing } from './state';
import type { Domid, HypervisorState } from './types';

/**
 * xenbus_grant_ring / xenbus_setup_ring: claims one ref per ring page (all or none, -ENOSPC) and grants
 * each page writable to `otherendId`. The refs are recorded on the ring (what the frontend will
 * publish as `ring-ref` or `ring-ref0…`).
 */
export function xenbusGrantRing(
  hv: HypervisorState,
  domid: Domid,
  ringId: string,
  otherendId: Domid,
): HvResult<{ refs: number[] }> {
  requireDomain(hv, domid);
  const ring = requireRing(hv, ringId);
  if (ring.owner !== domid) throw new HypervisorUsageError(`dom${domid} does not own ${ringId}`);
  const claim = gnttabAllocGrantReferences(hv, domid, ring.pages);
  if (!claim.ok) return claim;
  const effects: HvEffect[] = [...claim.effects];
  for (const ref of claim.refs) {
    const g = grantForeignAccessRef(hv, domid, ref, {
      grantee: otherendId,
      frame: allocFrame(hv),
      readonly: false,
    });
    effects.push(...g.effects);
  }
  ring.refs = [...claim.refs];
  effects.push({ kind: 'ring-granted', ringId, domid, refs: [...claim.refs] });
  return ok({ refs: claim.refs }, effects);
}

/** A failed xenbus_map_ring_valloc: -ENOENT, plus the GNTST status of the page that failed. */
export type MapRingErr = HvErr & { mapStatus: number; mapError: HvErrorName; failedRef: number };

/**
 * xenbus_map_ring_valloc: maps every ref of (otherendId, refs) writable. If one fails, the pages
 * already mapped are unmapped again and the result is -ENOENT with the failing status (the driver then
 * reports "mapping in shared page %d from domain %d"). More than 16 refs is -EINVAL.
 */
export function xenbusMapRingValloc(
  hv: HypervisorState,
  mapper: Domid,
  otherendId: Domid,
  refs: number[],
): HvResult<{ handles: number[] }> | MapRingErr {
  requireDomain(hv, mapper);
  if (refs.length === 0 || refs.length > XENBUS_MAX_RING_GRANTS) return errno('EINVAL');
  const effects: HvEffect[] = [];
  const handles: number[] = [];
  for (const ref of refs) {
    const m = mapGrantRef(hv, mapper, { granter: otherendId, ref, readonly: false });
    if (!m.ok) {
      for (const h of handles) effects.push(...unmapGrantRef(hv, mapper, h).effects);
      return { ...errno('ENOENT', effects), mapStatus: m.rc, mapError: m.error, failedRef: ref };
    }
    effects.push(...m.effects);
    handles.push(m.handle);
  }
  return ok({ handles }, effects);
}

/** xenbus_unmap_ring_vfree: unmaps every handle; the first failure is reported after trying them all. */
export function xenbusUnmapRingVfree(hv: HypervisorState, mapper: Domid, handles: number[]): HvResult {
  const effects: HvEffect[] = [];
  let firstError: HvErr | null = null;
  for (const h of handles) {
    const u = unmapGrantRef(hv, mapper, h);
    effects.push(...u.effects);
    if (!u.ok && !firstError) firstError = u;
  }
  return firstError ? { ...firstError, effects } : ok({}, effects);
}

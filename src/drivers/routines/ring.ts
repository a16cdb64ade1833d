/**
 * Ring and event-channel helpers the drivers share (xenbus_client.c: xenbus_setup_ring,
 * xenbus_alloc_evtchn, xenbus_map_ring_valloc, xenbus_unmap_ring_vfree; the free paths).
 */
import { at, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import type { KernelEnv } from '../../guest/kernel/env';
import { xenbusDevError } from '../../guest/kernel/xenbusCore';

export interface FrontRingInfo {
  ringId: string;
  refs: number[];
}

/** xenbus_setup_ring(): a fresh ring of `pages` pages, granted to the backend. */
export function* setupRing(
  otherendId: number,
  protocol: 'blkif' | 'netif-tx' | 'netif-rx',
  pages: number,
  label: string,
): Routine<FrontRingInfo | null> {
  yield* at('xenbus_setup_ring', 'drivers/xen/xenbus/xenbus_client.c');
  const init = yield* sys('hv', 'sharedRingInit', { protocol, pages, label });
  const ringId = init['ringId'] as string;
  const grant = yield* sys('hv', 'xenbusGrantRing', { ringId, otherendId });
  if (grant['ok'] !== true) return null;
  return { ringId, refs: grant['refs'] as number[] };
}

/** xenbus_alloc_evtchn(): an unbound port the backend may bind. */
export function* allocEvtchn(otherendId: number): Routine<number | null> {
  yield* at('xenbus_alloc_evtchn', 'drivers/xen/xenbus/xenbus_client.c');
  const r = yield* sys('hv', 'allocUnbound', { remote: otherendId });
  return r['ok'] === true ? (r['port'] as number) : null;
}

/**
 * The frontend frees a ring: gnttab_end_foreign_access on each page ([modern] deferred while the
 * backend still maps it; [2006] "leaking g.e. and page still in use!") and the ring is released.
 */
export function* freeFrontRing(ring: FrontRingInfo, policy: 'defer' | 'leak'): Routine {
  yield* endRingAccess(ring, policy);
  yield* sys('hv', 'frontRingRelease', { ringId: ring.ringId });
}

/** gnttab_end_foreign_access on each page of a ring the frontend has already stopped using. */
export function* endRingAccess(ring: FrontRingInfo, policy: 'defer' | 'leak'): Routine {
  for (const ref of ring.refs) yield* sys('hv', 'endForeignAccess', { ref, policy });
}

/** The backend maps the frontend's ring pages and attaches its back ring; null + the failing ref on error. */
export function* mapRing(
  otherendId: number,
  refs: number[],
): Routine<{ handles: number[]; ringId: string | null } | { failedRef: number; status: number }> {
  yield* at('xenbus_map_ring_valloc', 'drivers/xen/xenbus/xenbus_client.c');
  const m = yield* sys('hv', 'xenbusMapRingValloc', { otherendId, refs });
  if (m['ok'] !== true) return { failedRef: m['failedRef'] as number, status: m['mapStatus'] as number };
  const ref = refs[0];
  let ringId: string | null = null;
  if (ref !== undefined) {
    const attached = yield* sys('hv', 'backRingAttach', { granter: otherendId, ref });
    if (attached['ok'] === true) ringId = attached['ringId'] as string;
  }
  return { handles: m['handles'] as number[], ringId };
}

/**
 * The backend's unmap: unbind the port and unmap the pages it holds. A failed unmap is reported
 * with xenbus_dev_error() (xenbus_unmap_ring_pv) and otherwise ignored: the driver forgets the
 * handles, the pages stay mapped.
 */
export function* unmapRing(env: KernelEnv, key: string, port: number | null, handles: number[]): Routine {
  if (port !== null) yield* sys('hv', 'closeEvtchn', { port });
  if (handles.length === 0) return;
  const u = yield* sys('hv', 'xenbusUnmapRingVfree', { handles });
  if (u['ok'] !== true) {
    const rc = Number(u['rc']);
    yield* xenbusDevError(env, key, rc, `unmapping page at handle ${handles[0]} error ${rc}`);
  }
}

/** bind_interdomain_evtchn_to_irqhandler(): the backend's end of the frontend's port. */
export function* bindEvtchn(otherendId: number, remotePort: number): Routine<number | null> {
  const r = yield* sys('hv', 'bindInterdomain', { remote: otherendId, remotePort });
  return r['ok'] === true ? (r['port'] as number) : null;
}

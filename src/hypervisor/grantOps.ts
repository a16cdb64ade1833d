/**
 * The grantee side: GNTTABOP_map_grant_ref, unmap_grant_ref, transfer and copy as implemented in
 * xen/common/grant_table.c (status codes checked against both the 2006 and the current source).
 *
 * Status choices follow Xen's code: a ref outside the table is GNTST_bad_gntref, but a ref inside it
 * that is not granted to the caller (wrong type, wrong domid) or a write map of a read-only grant is
 * GNTST_general_error (`_set_status_v1` "Bad flags or dom").
 */
import { PAGE_SIZE } from './constants';
import type { GrantEffect, HvEffect, TeardownCause } from './effects';
import { gntst, ok, type HvResult } from './errors';
import { countForeignMappings, isPinned, isRefInRange, readEntry, writeEntry } from './grantEntry';
import { getDomain, ownRing, requireDomain } from './state';
import type { Domain, Domid, GrantEntry, HypervisorState } from './types';

export interface MapGrantArgs {
  granter: Domid;
  ref: number;
  readonly: boolean;
}

function takeHandle(d: Domain): number {
  const mt = d.maptrack;
  return mt.freeHandles.length > 0 ? mt.freeHandles.pop()! : mt.nextHandle++;
}

/** Why a map of (granter, ref) by `mapper` would fail, or null if it may proceed. */
function mapRefusal(entry: GrantEntry, mapper: Domid, readonly: boolean): 'general_error' | null {
  if (isPinned(entry) && entry.mapper !== mapper) return 'general_error';
  const needsStatus = !isPinned(entry) || (!readonly && entry.pinWrite === 0);
  if (!needsStatus) return null;
  if (!isPinned(entry) && (entry.type !== 'permit_access' || entry.domid !== mapper)) return 'general_error';
  if (!readonly && entry.readonly) return 'general_error';
  return null;
}

/**
 * grant_table.c map_grant_ref (GNTMAP_host_map): pins (granter, ref) for `mapper`, which sets
 * GTF_reading (and GTF_writing for a writable map) in the granter's entry, and returns a handle.
 * A dying granter is refused with GNTST_general_error **(inference: Xen cannot pin its frames)**.
 */
export function mapGrantRef(
  hv: HypervisorState,
  mapper: Domid,
  args: MapGrantArgs,
): HvResult<{ handle: number }> {
  const ld = requireDomain(hv, mapper);
  const rd = getDomain(hv, args.granter);
  if (!rd) return gntst('bad_domain');
  if (!isRefInRange(rd.gnttab, args.ref)) return gntst('bad_gntref');
  if (rd.status !== 'running') return gntst('general_error');
  const before = readEntry(rd.gnttab, args.ref);
  const refusal = mapRefusal(before, mapper, args.readonly);
  if (refusal) return gntst(refusal);
  const entry = writeEntry(rd.gnttab, {
    ...before,
    pinRead: before.pinRead + (args.readonly ? 1 : 0),
    pinWrite: before.pinWrite + (args.readonly ? 0 : 1),
    mapper,
  });
  const handle = takeHandle(ld);
  ld.maptrack.mappings.set(handle, { handle, granter: args.granter, ref: args.ref, readonly: args.readonly });
  const effect: GrantEffect = {
    kind: 'grant-map',
    mapper,
    granter: args.granter,
    ref: args.ref,
    handle,
    readonly: args.readonly,
    entry,
  };
  return ok({ handle }, [effect]);
}

/** Drops one mapping; shared by unmapGrantRef and domain teardown. */
export function releaseMapping(
  hv: HypervisorState,
  ld: Domain,
  handle: number,
  cause: 'unmap' | TeardownCause,
): HvEffect[] {
  const m = ld.maptrack.mappings.get(handle);
  if (!m) return [];
  ld.maptrack.mappings.delete(handle);
  ld.maptrack.freeHandles.push(handle);
  const rd = getDomain(hv, m.granter);
  let entry: GrantEntry | null = null;
  const effects: HvEffect[] = [];
  if (rd) {
    const e = readEntry(rd.gnttab, m.ref);
    const pinRead = e.pinRead - (m.readonly ? 1 : 0);
    const pinWrite = e.pinWrite - (m.readonly ? 0 : 1);
    entry = writeEntry(rd.gnttab, {
      ...e,
      pinRead,
      pinWrite,
      mapper: pinRead + pinWrite > 0 ? e.mapper : null,
    });
  }
  effects.push({
    kind: 'grant-unmap',
    mapper: ld.domid,
    granter: m.granter,
    ref: m.ref,
    handle,
    cause,
    entry,
  });
  for (const ring of hv.rings.values()) {
    if (ring.owner === m.granter && ring.back?.domid === ld.domid && ring.refs.includes(m.ref)) {
      ownRing(hv, ring.id)!.back = null;
      const detach = cause === 'unmap' ? 'unmap' : 'domain-destroyed';
      effects.push({ kind: 'ring-detach', ringId: ring.id, domid: ld.domid, side: 'back', cause: detach });
      if (!ring.front) hv.rings.delete(ring.id);
    }
  }
  if (rd && rd.status === 'dying' && countForeignMappings(rd) === 0) {
    hv.domains.delete(rd.domid);
    effects.push({ kind: 'domain-destroy', domid: rd.domid });
  }
  return effects;
}

/**
 * grant_table.c unmap_common: releases a handle (GNTST_bad_handle if it is not a live mapping).
 * The granter's busy bits clear when its last mapping goes. A backend ring attached through this
 * grant is detached: the backend can no longer reach the page.
 */
export function unmapGrantRef(hv: HypervisorState, mapper: Domid, handle: number): HvResult {
  const ld = requireDomain(hv, mapper);
  if (!ld.maptrack.mappings.has(handle)) return gntst('bad_handle');
  return ok({}, releaseMapping(hv, ld, handle, 'unmap'));
}

/**
 * grant_table.c gnttab_transfer: `from` gives up one of its pages (`frame`) to the accept_transfer
 * slot (to, ref). The page is taken from `from` first; if anything after that fails (unknown or dying
 * receiver, receiver at max_pages, slot not open to `from`) the page is freed and lost.
 */
export function gnttabTransfer(
  hv: HypervisorState,
  from: Domid,
  args: { frame: number; to: Domid; ref: number },
): HvResult {
  const sd = requireDomain(hv, from);
  if (sd.memory.totPages <= 0) return gntst('bad_page');
  const effects: HvEffect[] = [];
  const oldFrom = sd.memory.totPages--;
  effects.push({
    kind: 'domain-pages',
    domid: from,
    old: oldFrom,
    new: sd.memory.totPages,
    cause: 'transfer-out',
  });
  const lost = (key: 'bad_domain' | 'general_error') => {
    const err = gntst(key, effects);
    effects.push({
      kind: 'grant-transfer',
      from,
      to: args.to,
      ref: args.ref,
      frame: args.frame,
      status: err.rc,
      entry: null,
    });
    return err;
  };
  const e = getDomain(hv, args.to);
  if (!e) return lost('bad_domain');
  if (e.status !== 'running' || e.memory.totPages >= e.memory.maxPages) return lost('general_error');
  if (!isRefInRange(e.gnttab, args.ref)) return lost('general_error');
  const slot = readEntry(e.gnttab, args.ref);
  const open = slot.type === 'accept_transfer' && !slot.transferCommitted && !slot.transferCompleted;
  if (!open || slot.domid !== from) return lost('general_error');
  const oldTo = e.memory.totPages++;
  effects.push({
    kind: 'domain-pages',
    domid: args.to,
    old: oldTo,
    new: e.memory.totPages,
    cause: 'transfer-in',
  });
  const entry = writeEntry(e.gnttab, {
    ...slot,
    frame: args.frame,
    transferCommitted: true,
    transferCompleted: true,
  });
  effects.push({
    kind: 'grant-transfer',
    from,
    to: args.to,
    ref: args.ref,
    frame: args.frame,
    status: 0,
    entry,
  });
  return ok({}, effects);
}

/**
 * grant_table.c gnttab_copy with one side a grant of `granter` and the other a local page: Xen pins
 * the grant for the duration of the copy only, so nothing stays mapped ([modern] netback rx).
 */
export function gnttabCopy(
  hv: HypervisorState,
  caller: Domid,
  args: { granter: Domid; ref: number; toGrant: boolean; bytes: number },
): HvResult {
  requireDomain(hv, caller);
  if (args.bytes < 0 || args.bytes > PAGE_SIZE) return gntst('bad_copy_arg');
  const rd = getDomain(hv, args.granter);
  if (!rd) return gntst('bad_domain');
  if (!isRefInRange(rd.gnttab, args.ref)) return gntst('bad_gntref');
  if (rd.status !== 'running') return gntst('general_error');
  const refusal = mapRefusal(readEntry(rd.gnttab, args.ref), caller, !args.toGrant);
  if (refusal) return gntst(refusal);
  const effect: GrantEffect = {
    kind: 'grant-copy',
    domid: caller,
    granter: args.granter,
    ref: args.ref,
    toGrant: args.toGrant,
    bytes: args.bytes,
  };
  return ok({}, [effect]);
}

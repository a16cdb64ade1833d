/**
 * The granting side of grant tables: Linux drivers/xen/grant-table.c (2006 sparse tree and modern)
 * writing its own shared entries, plus the reference allocator behind it.
 *
 * Allocation follows Linux's free list: at boot the list holds every non-reserved reference in
 * ascending order (so the first grant is ref 8), and a freed reference is pushed on the head, so it
 * is the next one handed out.
 */
import { GNTTAB_NR_RESERVED_ENTRIES } from './constants';
import type { GrantEffect, HvEffect } from './effects';
import { errno, HypervisorUsageError, ok, type HvResult } from './errors';
import { isPinned, readEntry, writeEntry } from './grantEntry';
import { requireDomain } from './state';
import type { DeferredGrant, Domid, GrantEntry, GrantTable, HypervisorState } from './types';

/** What `gnttab_end_foreign_access` does when the peer still maps the page. */
export type EndAccessPolicy = 'defer' | 'leak';

function freeCount(gt: GrantTable): number {
  return gt.freeList.length + (gt.nrEntries - gt.nextUnused);
}

function claimedEntry(gt: GrantTable, ref: number, what: string): GrantEntry {
  const e = readEntry(gt, ref);
  if (!e.claimed) throw new HypervisorUsageError(`${what}: grant ref ${ref} is not allocated`);
  return e;
}

/** Linux gnttab_alloc_grant_references / get_free_entries: claims `count` refs, all or none (-ENOSPC). */
export function gnttabAllocGrantReferences(
  hv: HypervisorState,
  domid: Domid,
  count: number,
): HvResult<{ refs: number[] }> {
  const gt = requireDomain(hv, domid).gnttab;
  if (!Number.isInteger(count) || count < 1) throw new HypervisorUsageError(`bad grant count ${count}`);
  if (count > freeCount(gt)) return errno('ENOSPC');
  const refs: number[] = [];
  for (let i = 0; i < count; i++) {
    const ref = gt.freeList.length > 0 ? gt.freeList.pop()! : gt.nextUnused++;
    writeEntry(gt, { ...readEntry(gt, ref), claimed: true });
    refs.push(ref);
  }
  return ok({ refs }, [{ kind: 'grant-ref-alloc', domid, refs }]);
}

/**
 * Linux put_free_entry / gnttab_free_grant_references: returns refs to the free list. Like Linux it
 * does not look at the shared entry; a still-granted ref freed here shows up in `auditGrants`.
 */
export function gnttabFreeGrantReferences(hv: HypervisorState, domid: Domid, refs: number[]): HvResult {
  const gt = requireDomain(hv, domid).gnttab;
  for (const ref of refs) {
    if (ref < GNTTAB_NR_RESERVED_ENTRIES) throw new HypervisorUsageError(`ref ${ref} is reserved`);
    const e = claimedEntry(gt, ref, 'free');
    writeEntry(gt, { ...e, claimed: false });
    gt.freeList.push(ref);
  }
  return ok({}, refs.length > 0 ? [{ kind: 'grant-ref-free', domid, refs: [...refs] }] : []);
}

export interface GrantAccessArgs {
  grantee: Domid;
  frame: number;
  readonly: boolean;
}

/** grant-table.c gnttab_grant_foreign_access_ref: domid, frame, then flags = permit_access [| readonly]. */
export function grantForeignAccessRef(
  hv: HypervisorState,
  domid: Domid,
  ref: number,
  args: GrantAccessArgs,
): HvResult<{ ref: number }> {
  const gt = requireDomain(hv, domid).gnttab;
  const e = writeEntry(gt, {
    ...claimedEntry(gt, ref, 'grant access'),
    type: 'permit_access',
    domid: args.grantee,
    frame: args.frame,
    readonly: args.readonly,
    transferCommitted: false,
    transferCompleted: false,
  });
  const effect: GrantEffect = { kind: 'grant-access', domid, ref, entry: e };
  return ok({ ref }, [effect]);
}

/** grant-table.c gnttab_grant_foreign_access: claim a ref (-ENOSPC if none) and grant it. */
export function grantForeignAccess(
  hv: HypervisorState,
  domid: Domid,
  args: GrantAccessArgs,
): HvResult<{ ref: number }> {
  const claim = gnttabAllocGrantReferences(hv, domid, 1);
  if (!claim.ok) return claim;
  const granted = grantForeignAccessRef(hv, domid, claim.refs[0]!, args);
  return { ...granted, effects: [...claim.effects, ...granted.effects] };
}

/** grant-table.c gnttab_grant_foreign_transfer_ref: frame = the emptied pfn, flags = accept_transfer. */
export function grantForeignTransferRef(
  hv: HypervisorState,
  domid: Domid,
  ref: number,
  args: { grantee: Domid; pfn: number },
): HvResult<{ ref: number }> {
  const gt = requireDomain(hv, domid).gnttab;
  const e = writeEntry(gt, {
    ...claimedEntry(gt, ref, 'grant transfer'),
    type: 'accept_transfer',
    domid: args.grantee,
    frame: args.pfn,
    readonly: false,
    transferCommitted: false,
    transferCompleted: false,
  });
  return ok({ ref }, [{ kind: 'grant-transfer-slot', domid, ref, entry: e }]);
}

/** grant-table.c gnttab_grant_foreign_transfer: claim a ref (-ENOSPC if none) and open it for a transfer. */
export function grantForeignTransfer(
  hv: HypervisorState,
  domid: Domid,
  args: { grantee: Domid; pfn: number },
): HvResult<{ ref: number }> {
  const claim = gnttabAllocGrantReferences(hv, domid, 1);
  if (!claim.ok) return claim;
  const granted = grantForeignTransferRef(hv, domid, claim.refs[0]!, args);
  return { ...granted, effects: [...claim.effects, ...granted.effects] };
}

/**
 * grant-table.c gnttab_end_foreign_access_ref: clears the flags unless GTF_reading/GTF_writing is set
 * (the peer still maps the page), in which case nothing changes and `ended` is false.
 * Ending a transfer slot this way is refused with -EINVAL (use endForeignTransferRef).
 */
export function endForeignAccessRef(
  hv: HypervisorState,
  domid: Domid,
  ref: number,
): HvResult<{ ended: boolean }> {
  const gt = requireDomain(hv, domid).gnttab;
  const e = claimedEntry(gt, ref, 'end access');
  if (e.type === 'accept_transfer') return errno('EINVAL');
  if (isPinned(e)) {
    return ok({ ended: false }, [{ kind: 'grant-end-access', domid, ref, outcome: 'in-use', entry: e }]);
  }
  const cleared = writeEntry(gt, { ...e, type: 'invalid', readonly: false });
  return ok({ ended: true }, [{ kind: 'grant-end-access', domid, ref, outcome: 'ended', entry: cleared }]);
}

/**
 * grant-table.c gnttab_end_foreign_access(ref, page): end access and free ref and page; if the peer
 * still maps it, [modern] queue it on the deferred list (`defer`) or [2006] print "leaking g.e. and
 * page still in use!" and forget it (`leak`).
 */
export function endForeignAccess(
  hv: HypervisorState,
  domid: Domid,
  ref: number,
  policy: EndAccessPolicy,
): HvResult<{ outcome: 'freed' | 'deferred' | 'leaked' }> {
  const end = endForeignAccessRef(hv, domid, ref);
  if (!end.ok) return end;
  const effects = [...end.effects];
  if (end.ended) {
    effects.push(...gnttabFreeGrantReferences(hv, domid, [ref]).effects);
    effects.push({ kind: 'grant-release', domid, ref, outcome: 'freed' });
    return ok({ outcome: 'freed' as const }, effects);
  }
  if (policy === 'defer') requireDomain(hv, domid).gnttab.deferred.push({ ref, tries: 0 });
  const outcome = policy === 'defer' ? ('deferred' as const) : ('leaked' as const);
  effects.push({ kind: 'grant-release', domid, ref, outcome });
  return ok({ outcome }, effects);
}

/**
 * grant-table.c gnttab_handle_deferred (the retry timer): tries every deferred entry once, in order,
 * freeing those the peer has unmapped meanwhile. The simulator re-arms the timer while `remaining` > 0.
 */
export function gnttabHandleDeferred(
  hv: HypervisorState,
  domid: Domid,
): HvResult<{ freed: number[]; remaining: number }> {
  const gt = requireDomain(hv, domid).gnttab;
  const effects: HvEffect[] = [];
  const freed: number[] = [];
  const keep: DeferredGrant[] = [];
  for (const item of gt.deferred) {
    const tries = item.tries + 1;
    const end = endForeignAccessRef(hv, domid, item.ref);
    if (end.ok && end.ended) {
      effects.push(...end.effects, ...gnttabFreeGrantReferences(hv, domid, [item.ref]).effects);
      effects.push({ kind: 'grant-deferred-retry', domid, ref: item.ref, outcome: 'freed', tries });
      freed.push(item.ref);
    } else {
      effects.push({ kind: 'grant-deferred-retry', domid, ref: item.ref, outcome: 'still-in-use', tries });
      keep.push({ ref: item.ref, tries });
    }
  }
  gt.deferred = keep;
  return ok({ freed, remaining: keep.length }, effects);
}

/**
 * grant-table.c gnttab_end_foreign_transfer_ref: if no transfer was committed, invalidate the entry
 * and return frame 0 ("nothing arrived"); otherwise return the frame Xen wrote. The entry keeps its
 * committed/completed flags, as in Linux, until the ref is reused.
 */
export function endForeignTransferRef(
  hv: HypervisorState,
  domid: Domid,
  ref: number,
): HvResult<{ frame: number }> {
  const gt = requireDomain(hv, domid).gnttab;
  const e = claimedEntry(gt, ref, 'end transfer');
  if (e.type !== 'accept_transfer') return errno('EINVAL');
  if (!e.transferCommitted) {
    const cleared = writeEntry(gt, { ...e, type: 'invalid', frame: 0 });
    const effect: GrantEffect = {
      kind: 'grant-end-transfer',
      domid,
      ref,
      outcome: 'no-transfer',
      frame: 0,
      entry: cleared,
    };
    return ok({ frame: 0 }, [effect]);
  }
  const effect: GrantEffect = {
    kind: 'grant-end-transfer',
    domid,
    ref,
    outcome: 'transferred',
    frame: e.frame,
    entry: e,
  };
  return ok({ frame: e.frame }, [effect]);
}

/** grant-table.c gnttab_end_foreign_transfer: end the transfer slot and free the ref. */
export function endForeignTransfer(
  hv: HypervisorState,
  domid: Domid,
  ref: number,
): HvResult<{ frame: number }> {
  const end = endForeignTransferRef(hv, domid, ref);
  if (!end.ok) return end;
  const freed = gnttabFreeGrantReferences(hv, domid, [ref]);
  return ok({ frame: end.frame }, [...end.effects, ...freed.effects]);
}

/** grant-table.c gnttab_query_foreign_access: true while the peer maps the page. */
export function queryForeignAccess(hv: HypervisorState, domid: Domid, ref: number): boolean {
  return isPinned(readEntry(requireDomain(hv, domid).gnttab, ref));
}

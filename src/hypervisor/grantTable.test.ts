import { describe, expect, it } from 'vitest';
import { auditGrants } from './audit';
import { GTF } from './constants';
import { decreaseReservation } from './balloon';
import { createDomain } from './domains';
import { grantFlags, readEntry } from './grantEntry';
import { gnttabTransfer, mapGrantRef, unmapGrantRef } from './grantOps';
import {
  endForeignAccess,
  endForeignAccessRef,
  endForeignTransfer,
  endForeignTransferRef,
  gnttabAllocGrantReferences,
  gnttabFreeGrantReferences,
  gnttabHandleDeferred,
  grantForeignAccess,
  grantForeignTransfer,
  queryForeignAccess,
} from './grantTable';
import { createHypervisor } from './state';

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

function world(grantEntries?: number) {
  const hv = createHypervisor();
  must(createDomain(hv, { kind: 'PV', domid: 0 }));
  must(createDomain(hv, { kind: 'PV', domid: 1, memoryPages: 1000, grantEntries }));
  return hv;
}

const entry = (hv: ReturnType<typeof world>, ref: number) => readEntry(hv.domains.get(1)!.gnttab, ref);

describe('reference allocation (Linux grant-table.c free list)', () => {
  it('the first grant of a fresh domain is ref 8: refs 0–7 are reserved', () => {
    const hv = world();
    expect(must(grantForeignAccess(hv, 1, { grantee: 0, frame: 77, readonly: false })).ref).toBe(8);
    expect(must(grantForeignAccess(hv, 1, { grantee: 0, frame: 78, readonly: false })).ref).toBe(9);
  });

  it('a freed ref is the next one handed out', () => {
    const hv = world();
    const { refs } = must(gnttabAllocGrantReferences(hv, 1, 3));
    expect(refs).toEqual([8, 9, 10]);
    must(gnttabFreeGrantReferences(hv, 1, [9]));
    expect(must(gnttabAllocGrantReferences(hv, 1, 2)).refs).toEqual([9, 11]);
  });

  it('asking for more refs than are free is -ENOSPC and claims none', () => {
    const hv = world(16);
    expect(gnttabAllocGrantReferences(hv, 1, 9)).toMatchObject({ ok: false, rc: -28, error: 'ENOSPC' });
    expect(must(gnttabAllocGrantReferences(hv, 1, 8)).refs).toHaveLength(8);
  });

  it('freeing a ref twice is a caller bug and throws', () => {
    const hv = world();
    const { ref } = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 1, readonly: true }));
    must(endForeignAccess(hv, 1, ref, 'defer'));
    expect(() => gnttabFreeGrantReferences(hv, 1, [ref])).toThrow(/not allocated/);
  });
});

describe('granting and ending access', () => {
  it('grant access writes domid, frame and permit_access [| readonly] into the shared entry', () => {
    const hv = world();
    const { ref, effects } = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 0x5000, readonly: true }));
    expect(entry(hv, ref)).toMatchObject({ type: 'permit_access', domid: 0, frame: 0x5000, readonly: true });
    expect(grantFlags(entry(hv, ref))).toBe(GTF.permit_access | GTF.readonly);
    expect(effects.map((e) => e.kind)).toEqual(['grant-ref-alloc', 'grant-access']);
  });

  it('ending access to an unmapped grant clears it and frees ref and page', () => {
    const hv = world();
    const { ref } = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 1, readonly: false }));
    const end = must(endForeignAccess(hv, 1, ref, 'defer'));
    expect(end.outcome).toBe('freed');
    expect(auditGrants(hv)).toEqual([]);
  });

  it('ending access to a grant the backend still maps fails and keeps the page', () => {
    const hv = world();
    const { ref } = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 1, readonly: false }));
    must(mapGrantRef(hv, 0, { granter: 1, ref, readonly: false }));
    expect(grantFlags(entry(hv, ref))).toBe(GTF.permit_access | GTF.reading | GTF.writing);
    const end = must(endForeignAccessRef(hv, 1, ref));
    expect(end.ended).toBe(false);
    expect(end.effects).toMatchObject([{ kind: 'grant-end-access', outcome: 'in-use' }]);
    expect(entry(hv, ref).type).toBe('permit_access');
    expect(queryForeignAccess(hv, 1, ref)).toBe(true);
  });

  it('[modern] an in-use grant goes on the deferred list and is freed once the backend unmaps', () => {
    const hv = world();
    const { ref } = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 1, readonly: false }));
    const { handle } = must(mapGrantRef(hv, 0, { granter: 1, ref, readonly: false }));
    expect(must(endForeignAccess(hv, 1, ref, 'defer')).outcome).toBe('deferred');
    const retry1 = must(gnttabHandleDeferred(hv, 1));
    expect(retry1).toMatchObject({ freed: [], remaining: 1 });
    must(unmapGrantRef(hv, 0, handle));
    const retry2 = must(gnttabHandleDeferred(hv, 1));
    expect(retry2).toMatchObject({ freed: [ref], remaining: 0 });
    expect(retry2.effects.at(-1)).toMatchObject({ kind: 'grant-deferred-retry', outcome: 'freed', tries: 2 });
    expect(auditGrants(hv)).toEqual([]);
  });

  it('[2006] an in-use grant is leaked: ref and page are never reclaimed', () => {
    const hv = world();
    const { ref } = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 1, readonly: false }));
    const { handle } = must(mapGrantRef(hv, 0, { granter: 1, ref, readonly: false }));
    expect(must(endForeignAccess(hv, 1, ref, 'leak')).outcome).toBe('leaked');
    must(unmapGrantRef(hv, 0, handle));
    expect(must(gnttabHandleDeferred(hv, 1)).freed).toEqual([]);
    expect(auditGrants(hv)).toMatchObject([{ granter: 1, ref, holding: 'granted', deferred: false }]);
  });
});

describe('grant transfer slots (2006 netfront page flipping)', () => {
  it('ending a transfer that never happened returns frame 0 and invalidates the slot', () => {
    const hv = world();
    const { ref } = must(grantForeignTransfer(hv, 1, { grantee: 0, pfn: 0x42 }));
    expect(grantFlags(entry(hv, ref))).toBe(GTF.accept_transfer);
    const end = must(endForeignTransferRef(hv, 1, ref));
    expect(end.frame).toBe(0);
    expect(end.effects).toMatchObject([{ kind: 'grant-end-transfer', outcome: 'no-transfer' }]);
    // Xen will not transfer into it any more: the backend's page would be lost.
    const late = gnttabTransfer(hv, 0, { frame: 0x900, to: 1, ref });
    expect(late).toMatchObject({ ok: false, error: 'GNTST_general_error' });
  });

  it('ending a completed transfer returns the frame Xen wrote', () => {
    const hv = world();
    must(decreaseReservation(hv, 1, 1));
    const { ref } = must(grantForeignTransfer(hv, 1, { grantee: 0, pfn: 0x42 }));
    must(gnttabTransfer(hv, 0, { frame: 0x900, to: 1, ref }));
    expect(grantFlags(entry(hv, ref))).toBe(
      GTF.accept_transfer | GTF.transfer_committed | GTF.transfer_completed,
    );
    const end = must(endForeignTransfer(hv, 1, ref));
    expect(end.frame).toBe(0x900);
    expect(auditGrants(hv)).toEqual([]);
  });

  it('ending access on a transfer slot, or a transfer on an access grant, is -EINVAL', () => {
    const hv = world();
    const t = must(grantForeignTransfer(hv, 1, { grantee: 0, pfn: 1 })).ref;
    const a = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 2, readonly: false })).ref;
    expect(endForeignAccessRef(hv, 1, t)).toMatchObject({ ok: false, error: 'EINVAL' });
    expect(endForeignTransferRef(hv, 1, a)).toMatchObject({ ok: false, error: 'EINVAL' });
  });
});

import { describe, expect, it } from 'vitest';
import { checkInvariants } from './audit';
import { GTF } from './constants';
import { decreaseReservation } from './balloon';
import { createDomain } from './domains';
import { grantFlags, readEntry } from './grantEntry';
import { gnttabCopy, gnttabTransfer, mapGrantRef, unmapGrantRef } from './grantOps';
import { grantForeignAccess, grantForeignTransfer, gnttabAllocGrantReferences } from './grantTable';
import { xenbusGrantRing, xenbusMapRingValloc, xenbusUnmapRingVfree } from './ringMapping';
import { sharedRingInit } from './sharedRing';
import { createHypervisor } from './state';

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

function world() {
  const hv = createHypervisor();
  must(createDomain(hv, { kind: 'PV', domid: 0 }));
  must(createDomain(hv, { kind: 'PV', domid: 1, memoryPages: 100 }));
  must(createDomain(hv, { kind: 'PV', domid: 2 }));
  return hv;
}

const grant = (hv: ReturnType<typeof world>, readonly = false, grantee = 0) =>
  must(grantForeignAccess(hv, 1, { grantee, frame: 0x10, readonly })).ref;

describe('map_grant_ref', () => {
  it('maps a grant and sets GTF_reading | GTF_writing for a writable mapping', () => {
    const hv = world();
    const ref = grant(hv);
    const m = must(mapGrantRef(hv, 0, { granter: 1, ref, readonly: false }));
    expect(m.handle).toBe(0);
    expect(m.effects).toMatchObject([{ kind: 'grant-map', mapper: 0, granter: 1, ref, handle: 0 }]);
    expect(grantFlags(readEntry(hv.domains.get(1)!.gnttab, ref))).toBe(
      GTF.permit_access | GTF.reading | GTF.writing,
    );
  });

  it('a read-only mapping sets only GTF_reading', () => {
    const hv = world();
    const ref = grant(hv, true);
    must(mapGrantRef(hv, 0, { granter: 1, ref, readonly: true }));
    expect(grantFlags(readEntry(hv.domains.get(1)!.gnttab, ref))).toBe(
      GTF.permit_access | GTF.readonly | GTF.reading,
    );
  });

  it('reports GNTST_bad_domain for an unknown granter and GNTST_bad_gntref beyond the table', () => {
    const hv = world();
    expect(mapGrantRef(hv, 0, { granter: 9, ref: 8, readonly: false })).toMatchObject({
      ok: false,
      rc: -2,
      error: 'GNTST_bad_domain',
    });
    expect(mapGrantRef(hv, 0, { granter: 1, ref: 5000, readonly: false })).toMatchObject({
      ok: false,
      rc: -3,
      error: 'GNTST_bad_gntref',
    });
  });

  it('a ref that was never granted to the mapper fails with GNTST_general_error ("Bad flags or dom")', () => {
    const hv = world();
    expect(mapGrantRef(hv, 0, { granter: 1, ref: 8, readonly: false })).toMatchObject({
      ok: false,
      rc: -1,
    });
    const toDom2 = grant(hv, false, 2);
    expect(mapGrantRef(hv, 0, { granter: 1, ref: toDom2, readonly: false })).toMatchObject({ rc: -1 });
    const transferSlot = must(grantForeignTransfer(hv, 1, { grantee: 0, pfn: 3 })).ref;
    expect(mapGrantRef(hv, 0, { granter: 1, ref: transferSlot, readonly: false })).toMatchObject({ rc: -1 });
  });

  it('a writable map of a read-only grant fails with GNTST_general_error', () => {
    const hv = world();
    const ref = grant(hv, true);
    expect(mapGrantRef(hv, 0, { granter: 1, ref, readonly: false })).toMatchObject({
      ok: false,
      error: 'GNTST_general_error',
    });
  });

  it('failed maps change nothing', () => {
    const hv = world();
    const ref = grant(hv, true);
    const r = mapGrantRef(hv, 0, { granter: 1, ref, readonly: false });
    expect(r.effects).toEqual([]);
    expect(hv.domains.get(0)!.maptrack.mappings.size).toBe(0);
    expect(checkInvariants(hv)).toEqual([]);
  });
});

describe('unmap_grant_ref', () => {
  it('busy bits clear only when the last mapping goes, and the handle is reused', () => {
    const hv = world();
    const ref = grant(hv);
    const a = must(mapGrantRef(hv, 0, { granter: 1, ref, readonly: true })).handle;
    const b = must(mapGrantRef(hv, 0, { granter: 1, ref, readonly: false })).handle;
    must(unmapGrantRef(hv, 0, b));
    expect(grantFlags(readEntry(hv.domains.get(1)!.gnttab, ref))).toBe(GTF.permit_access | GTF.reading);
    must(unmapGrantRef(hv, 0, a));
    expect(grantFlags(readEntry(hv.domains.get(1)!.gnttab, ref))).toBe(GTF.permit_access);
    expect(must(mapGrantRef(hv, 0, { granter: 1, ref, readonly: true })).handle).toBe(a);
  });

  it('an unknown handle is GNTST_bad_handle', () => {
    const hv = world();
    expect(unmapGrantRef(hv, 0, 3)).toMatchObject({ ok: false, rc: -4, error: 'GNTST_bad_handle' });
  });
});

describe('transfer (GNTTABOP_transfer)', () => {
  function openSlot(hv: ReturnType<typeof world>, grantee = 0) {
    must(decreaseReservation(hv, 1, 1)); // netfront gave the frame back to Xen first
    return must(grantForeignTransfer(hv, 1, { grantee, pfn: 0x77 })).ref;
  }

  it('moves one page from the sender to the receiver and completes the slot', () => {
    const hv = world();
    const ref = openSlot(hv);
    const r = must(gnttabTransfer(hv, 0, { frame: 0x900, to: 1, ref }));
    expect(r.effects.map((e) => e.kind)).toEqual(['domain-pages', 'domain-pages', 'grant-transfer']);
    expect(hv.domains.get(0)!.memory.totPages).toBe(65535);
    expect(hv.domains.get(1)!.memory.totPages).toBe(100);
    expect(readEntry(hv.domains.get(1)!.gnttab, ref)).toMatchObject({
      frame: 0x900,
      transferCommitted: true,
      transferCompleted: true,
    });
  });

  it('a receiver without headroom refuses, and the sender loses its page', () => {
    const hv = world();
    const ref = must(grantForeignTransfer(hv, 1, { grantee: 0, pfn: 0x77 })).ref; // no decrease: at max
    const r = gnttabTransfer(hv, 0, { frame: 0x900, to: 1, ref });
    expect(r).toMatchObject({ ok: false, error: 'GNTST_general_error' });
    expect(r.effects).toMatchObject([
      { kind: 'domain-pages', domid: 0, cause: 'transfer-out' },
      { kind: 'grant-transfer', status: -1, entry: null },
    ]);
    expect(hv.domains.get(0)!.memory.totPages).toBe(65535);
    expect(hv.domains.get(1)!.memory.totPages).toBe(100);
  });

  it('a slot opened for another domain, or an unknown receiver, also loses the page', () => {
    const hv = world();
    const ref = openSlot(hv, 2);
    expect(gnttabTransfer(hv, 0, { frame: 1, to: 1, ref })).toMatchObject({ error: 'GNTST_general_error' });
    expect(gnttabTransfer(hv, 0, { frame: 2, to: 7, ref })).toMatchObject({ error: 'GNTST_bad_domain' });
    expect(hv.domains.get(0)!.memory.totPages).toBe(65534);
  });

  it('a second transfer into a completed slot is refused', () => {
    const hv = world();
    const ref = openSlot(hv);
    must(decreaseReservation(hv, 1, 1));
    must(gnttabTransfer(hv, 0, { frame: 1, to: 1, ref }));
    expect(gnttabTransfer(hv, 0, { frame: 2, to: 1, ref })).toMatchObject({ error: 'GNTST_general_error' });
  });
});

describe('copy (GNTTABOP_copy)', () => {
  it('copies into a writable grant without leaving it mapped', () => {
    const hv = world();
    const ref = grant(hv);
    const r = must(gnttabCopy(hv, 0, { granter: 1, ref, toGrant: true, bytes: 1500 }));
    expect(r.effects).toMatchObject([{ kind: 'grant-copy', domid: 0, granter: 1, ref, bytes: 1500 }]);
    expect(grantFlags(readEntry(hv.domains.get(1)!.gnttab, ref))).toBe(GTF.permit_access);
  });

  it('refuses to write into a read-only grant and to copy more than a page', () => {
    const hv = world();
    const ref = grant(hv, true);
    expect(gnttabCopy(hv, 0, { granter: 1, ref, toGrant: true, bytes: 10 })).toMatchObject({ rc: -1 });
    expect(must(gnttabCopy(hv, 0, { granter: 1, ref, toGrant: false, bytes: 10 })).ok).toBe(true);
    expect(gnttabCopy(hv, 0, { granter: 1, ref, toGrant: false, bytes: 5000 })).toMatchObject({
      error: 'GNTST_bad_copy_arg',
    });
  });
});

describe('ring pages (xenbus_client.c)', () => {
  it('xenbus_map_ring_valloc maps all pages or none, reporting the failing status', () => {
    const hv = world();
    const { ringId } = must(sharedRingInit(hv, 1, { protocol: 'blkif', pages: 2 }));
    const { refs } = must(xenbusGrantRing(hv, 1, ringId, 0));
    expect(refs).toEqual([8, 9]);
    const bogus = must(gnttabAllocGrantReferences(hv, 1, 1)).refs[0]!; // claimed, never granted
    const r = xenbusMapRingValloc(hv, 0, 1, [refs[0]!, bogus]);
    expect(r).toMatchObject({ ok: false, error: 'ENOENT', mapStatus: -1, failedRef: bogus });
    expect(hv.domains.get(0)!.maptrack.mappings.size).toBe(0);
    expect(checkInvariants(hv)).toEqual([]);
  });

  it('at most 16 ring pages may be mapped', () => {
    const hv = world();
    expect(
      xenbusMapRingValloc(
        hv,
        0,
        1,
        Array.from({ length: 17 }, (_, i) => 8 + i),
      ),
    ).toMatchObject({
      error: 'EINVAL',
    });
  });

  it('unmapping the ring pages releases every handle', () => {
    const hv = world();
    const { ringId } = must(sharedRingInit(hv, 1, { protocol: 'blkif', pages: 4 }));
    const { refs } = must(xenbusGrantRing(hv, 1, ringId, 0));
    const { handles } = must(xenbusMapRingValloc(hv, 0, 1, refs));
    must(xenbusUnmapRingVfree(hv, 0, handles));
    expect(xenbusUnmapRingVfree(hv, 0, handles)).toMatchObject({ ok: false, error: 'GNTST_bad_handle' });
    expect(checkInvariants(hv)).toEqual([]);
  });
});

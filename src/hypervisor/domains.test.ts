import { describe, expect, it } from 'vitest';
import { checkInvariants } from './audit';
import { createDomain, destroyDomain } from './domains';
import { allocUnbound, bindInterdomain, evtchnStatus } from './eventChannel';
import { grantFlags, readEntry } from './grantEntry';
import { mapGrantRef, unmapGrantRef } from './grantOps';
import { grantForeignAccess } from './grantTable';
import { xenbusGrantRing, xenbusMapRingValloc } from './ringMapping';
import { backRingAttach, sharedRingInit } from './sharedRing';
import { createHypervisor } from './state';

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

describe('creating domains', () => {
  it('dom0 is created with an explicit id; guests get the next ids in turn', () => {
    const hv = createHypervisor();
    const dom0 = must(createDomain(hv, { kind: 'PV', domid: 0 }));
    expect(dom0.effects).toEqual([{ kind: 'domain-create', domid: 0, domKind: 'PV', name: 'Domain-0' }]);
    expect(must(createDomain(hv, { kind: 'HVM' })).domid).toBe(1);
    expect(must(createDomain(hv, { kind: 'PVH', name: 'guest' })).domid).toBe(2);
    expect(hv.domains.get(2)).toMatchObject({ kind: 'PVH', name: 'guest', status: 'running' });
  });

  it('a destroyed guest’s domid is not reused straight away', () => {
    const hv = createHypervisor();
    must(createDomain(hv, { kind: 'PV', domid: 0 }));
    must(createDomain(hv, { kind: 'PV' }));
    must(destroyDomain(hv, 1));
    expect(must(createDomain(hv, { kind: 'PV' })).domid).toBe(2);
  });

  it('a taken domid is -EEXIST and a reserved one (≥ 0x7FF0) is -EINVAL', () => {
    const hv = createHypervisor();
    must(createDomain(hv, { kind: 'PV', domid: 0 }));
    expect(createDomain(hv, { kind: 'PV', domid: 0 })).toMatchObject({ ok: false, error: 'EEXIST' });
    expect(createDomain(hv, { kind: 'PV', domid: 0x7ff0 })).toMatchObject({ ok: false, error: 'EINVAL' });
  });

  it('a new domain starts with its balloon at its memory and no driver pages', () => {
    const hv = createHypervisor();
    must(createDomain(hv, { kind: 'PV', domid: 3, memoryPages: 1024 }));
    const d = hv.domains.get(3)!;
    expect(d.memory).toEqual({ totPages: 1024, maxPages: 1024 });
    expect(d.balloon).toEqual({ currentPages: 1024, targetPages: 1024, balloonedPages: 0, driverPages: 0 });
  });
});

describe('destroying domains', () => {
  /** dom1 frontend with ring + port connected to the dom0 backend. */
  function pair() {
    const hv = createHypervisor();
    must(createDomain(hv, { kind: 'PV', domid: 0 }));
    must(createDomain(hv, { kind: 'PV', domid: 1 }));
    const { ringId } = must(sharedRingInit(hv, 1, { protocol: 'blkif' }));
    const { refs } = must(xenbusGrantRing(hv, 1, ringId, 0));
    const { handles } = must(xenbusMapRingValloc(hv, 0, 1, refs));
    must(backRingAttach(hv, 0, { granter: 1, ref: refs[0]! }));
    const fe = must(allocUnbound(hv, 1, 0)).port;
    const be = must(bindInterdomain(hv, 0, 1, fe)).port;
    return { hv, ringId, ref: refs[0]!, handle: handles[0]!, fe, be };
  }

  it('the backend side going away unmaps its grants and leaves the frontend port unbound', () => {
    const { hv, ringId, ref, fe } = pair();
    const r = must(destroyDomain(hv, 0));
    expect(r.dying).toBe(false);
    expect(r.effects.map((e) => e.kind)).toEqual([
      'evtchn-close',
      'evtchn-peer-unbound',
      'grant-unmap',
      'ring-detach',
      'domain-destroy',
    ]);
    expect(grantFlags(readEntry(hv.domains.get(1)!.gnttab, ref))).toBe(1); // permit_access, no busy bits
    expect(must(evtchnStatus(hv, 1, fe)).status).toMatchObject({ state: 'unbound', remoteDomid: 0 });
    expect(hv.rings.get(ringId)!.back).toBeNull();
    expect(checkInvariants(hv)).toEqual([]);
  });

  it('a guest whose pages are still mapped stays as a dying zombie until the backend unmaps', () => {
    const { hv, ringId, handle } = pair();
    const r = must(destroyDomain(hv, 1));
    expect(r.dying).toBe(true);
    expect(r.effects.at(-1)).toEqual({ kind: 'domain-dying', domid: 1, foreignMappings: 1 });
    expect(hv.domains.get(1)!.status).toBe('dying');
    expect(hv.rings.get(ringId)!.front).toBeNull(); // the backend still sees the page
    expect(checkInvariants(hv)).toEqual([]);

    const u = must(unmapGrantRef(hv, 0, handle));
    expect(u.effects.map((e) => e.kind)).toEqual(['grant-unmap', 'ring-detach', 'domain-destroy']);
    expect(hv.domains.has(1)).toBe(false);
    expect(hv.rings.has(ringId)).toBe(false);
  });

  it('a dying domain cannot act, and its grants cannot be newly mapped', () => {
    const { hv } = pair();
    const extra = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 5, readonly: false })).ref;
    must(destroyDomain(hv, 1));
    expect(() => allocUnbound(hv, 1, 0)).toThrow(/dying/);
    expect(mapGrantRef(hv, 0, { granter: 1, ref: extra, readonly: false })).toMatchObject({
      error: 'GNTST_general_error',
    });
  });

  it('destroying an unknown domain is -ESRCH; destroying a dying one again changes nothing', () => {
    const { hv } = pair();
    expect(destroyDomain(hv, 9)).toMatchObject({ ok: false, error: 'ESRCH' });
    must(destroyDomain(hv, 1));
    expect(must(destroyDomain(hv, 1)).effects).toEqual([]);
  });
});

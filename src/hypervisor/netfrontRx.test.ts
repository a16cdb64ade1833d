import { describe, expect, it } from 'vitest';
import { auditGrants, checkInvariants } from './audit';
import { balloonRead } from './balloon';
import { createDomain } from './domains';
import type { RxReleaseVariant } from './effects';
import { mapGrantRef, unmapGrantRef } from './grantOps';
import { gnttabHandleDeferred } from './grantTable';
import { netbackRxDeliver } from './netbackRx';
import { netfrontAllocRxBuffers, netfrontPollRx, type RxMode } from './netfrontRx';
import { xenbusGrantRing, xenbusMapRingValloc, xenbusUnmapRingVfree } from './ringMapping';
import { netfrontRxOutstanding, netifReleaseRxBufs } from './rxRelease';
import { backRingAttach, sharedRingInit } from './sharedRing';
import { createHypervisor } from './state';
import type { HypervisorState } from './types';

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

const MEM = 65536;

function world() {
  const hv = createHypervisor();
  must(createDomain(hv, { kind: 'PV', domid: 0 }));
  must(createDomain(hv, { kind: 'PV', domid: 1, memoryPages: MEM }));
  return hv;
}

/** vif connect: netfront sets up and grants the rx ring, netback maps and attaches it. */
function attachVif(hv: HypervisorState) {
  const { ringId } = must(sharedRingInit(hv, 1, { protocol: 'netif-rx', label: 'vif 0 rx' }));
  const { refs } = must(xenbusGrantRing(hv, 1, ringId, 0));
  const { handles } = must(xenbusMapRingValloc(hv, 0, 1, refs));
  must(backRingAttach(hv, 0, { granter: 1, ref: refs[0]! }));
  return { ringId, handles };
}

function postBuffers(hv: HypervisorState, ringId: string, count: number, mode: RxMode = 'flip') {
  return must(
    netfrontAllocRxBuffers(hv, 1, { ringId, backend: 0, count, mode, checkNotify: mode === 'copy' }),
  );
}

const dom = (hv: HypervisorState, id: number) => hv.domains.get(id)!;

describe('page-flipping receive path [2006]', () => {
  it('posting 64 buffers gives their frames to Xen and counts them in driver_pages', () => {
    const hv = world();
    const { ringId } = attachVif(hv);
    const r = postBuffers(hv, ringId, 64);
    expect(r.posted).toBe(64);
    expect(dom(hv, 1).memory.totPages).toBe(MEM - 64);
    expect(dom(hv, 1).balloon.driverPages).toBe(64);
    expect(netfrontRxOutstanding(hv, ringId)).toHaveLength(64);
    expect(hv.rings.get(ringId)!.slots.filter((s) => s.state === 'request-posted')).toHaveLength(64);
    expect(r.effects.filter((e) => e.kind === 'rx-buffer')).toHaveLength(64);
    expect(checkInvariants(hv)).toEqual([]);
  });

  it('a packet flips a page into a posted buffer; the poll takes it back and driver_pages drops', () => {
    const hv = world();
    const { ringId } = attachVif(hv);
    postBuffers(hv, ringId, 4);
    const d = must(netbackRxDeliver(hv, 0, { ringId, packets: 1, bytes: 1500, mode: 'flip' }));
    expect(d.delivered).toBe(1);
    expect(d.notify).toBe(true);
    expect(dom(hv, 1).memory.totPages).toBe(MEM - 3);
    expect(dom(hv, 0).memory.totPages).toBe(65536); // netback replaced the page it gave away
    const p = must(netfrontPollRx(hv, 1, { ringId, budget: 64 }));
    expect(p.consumed).toBe(1);
    expect(dom(hv, 1).balloon.driverPages).toBe(3);
    expect(p.effects).toContainEqual(
      expect.objectContaining({ kind: 'rx-buffer', id: 0, state: 'consumed' }),
    );
    expect(checkInvariants(hv)).toEqual([]);
  });

  it('netback sits on posted buffers: with no packets nothing comes back', () => {
    const hv = world();
    const { ringId } = attachVif(hv);
    postBuffers(hv, ringId, 8);
    expect(must(netbackRxDeliver(hv, 0, { ringId, packets: 0, bytes: 0, mode: 'flip' })).delivered).toBe(0);
    expect(must(netfrontPollRx(hv, 1, { ringId, budget: 64 })).consumed).toBe(0);
    expect(dom(hv, 1).balloon.driverPages).toBe(8);
  });
});

describe('netif_release_rx_bufs at teardown', () => {
  /** 64 buffers posted, 3 packets received, 1 of them consumed, then the interface goes down. */
  function tornDown(variant: RxReleaseVariant) {
    const hv = world();
    const { ringId } = attachVif(hv);
    postBuffers(hv, ringId, 64);
    must(netbackRxDeliver(hv, 0, { ringId, packets: 3, bytes: 1000, mode: 'flip' }));
    must(netfrontPollRx(hv, 1, { ringId, budget: 1 }));
    const r = must(netifReleaseRxBufs(hv, 1, { ringId, variant }));
    return { hv, ringId, r };
  }

  it('RFC: "2 released ok, 61 gnttab errs, 193 unused slots"; the 61 pages stay owed', () => {
    const { hv, r } = tornDown('rfc-2006');
    expect(r).toMatchObject({ released: 2, gnttabErrs: 61, unused: 193, lockLeftHeld: false });
    expect(dom(hv, 1).balloon.driverPages).toBe(61);
    expect(dom(hv, 1).memory.totPages).toBe(MEM - 61);
    const leaked = r.effects.filter((e) => e.kind === 'rx-buffer' && e.state === 'leaked');
    expect(leaked).toHaveLength(61);
    expect(r.effects).toContainEqual(expect.objectContaining({ kind: 'rx-release', variant: 'rfc-2006' }));
  });

  it('RFC: when nothing was transferred it returns early with rx_lock still held', () => {
    const hv = world();
    const { ringId } = attachVif(hv);
    postBuffers(hv, ringId, 64);
    const r = must(netifReleaseRxBufs(hv, 1, { ringId, variant: 'rfc-2006' }));
    expect(r).toMatchObject({ released: 0, gnttabErrs: 64, unused: 192, lockLeftHeld: true });
    expect(dom(hv, 1).balloon.driverPages).toBe(64);
  });

  it('merged 2006: noxfer pages go to the balloon, so driver_pages returns to 0', () => {
    const { hv, r } = tornDown('merged-2006');
    expect(r).toMatchObject({ released: 2, gnttabErrs: 61, unused: 193 });
    expect(dom(hv, 1).balloon).toMatchObject({ driverPages: 0, balloonedPages: 61 });
    expect(dom(hv, 1).memory.totPages).toBe(MEM - 61); // the frames themselves are still with Xen
    // Every rx ref was freed; only the ring page itself is still granted (and mapped by netback).
    expect(auditGrants(hv).map((g) => [g.granter, g.ref, g.holding])).toEqual([[1, 8, 'mapped']]);
    expect(balloonRead(dom(hv, 1), { driverPagesLine: true })).toContain('Driver pages:              0 kB');
  });

  it('the frontend no longer uses the ring afterwards; the backend still holds its view', () => {
    const { hv, ringId } = tornDown('rfc-2006');
    const ring = hv.rings.get(ringId)!;
    expect(ring.front).toBeNull();
    expect(ring.back).not.toBeNull();
  });
});

describe('copying receive path [modern]', () => {
  it('posting granted pages notifies the backend the first time (req_event starts at 1)', () => {
    const hv = world();
    const { ringId } = attachVif(hv);
    const r = postBuffers(hv, ringId, 256, 'copy');
    expect(r).toMatchObject({ posted: 256, notify: true });
    expect(dom(hv, 1).memory.totPages).toBe(MEM);
    expect(postBuffers(hv, ringId, 1, 'copy').posted).toBe(0); // ring full
  });

  it('teardown frees unmapped buffers now and defers one the backend still maps', () => {
    const hv = world();
    const { ringId } = attachVif(hv);
    const { refs } = postBuffers(hv, ringId, 4, 'copy');
    const { handle } = must(mapGrantRef(hv, 0, { granter: 1, ref: refs[2]!, readonly: false }));
    const r = must(netifReleaseRxBufs(hv, 1, { ringId, variant: 'modern' }));
    expect(r).toMatchObject({ released: 3, deferred: 1, gnttabErrs: 0, unused: 252 });
    must(unmapGrantRef(hv, 0, handle));
    expect(must(gnttabHandleDeferred(hv, 1)).freed).toEqual([refs[2]]);
  });

  it('the merged 2006 code only warns "fix me for copying receiver"', () => {
    const hv = world();
    const { ringId } = attachVif(hv);
    postBuffers(hv, ringId, 4, 'copy');
    const r = must(netifReleaseRxBufs(hv, 1, { ringId, variant: 'merged-2006' }));
    expect(r).toMatchObject({ skipped: true, released: 0, gnttabErrs: 0 });
  });
});

describe('repeated network-detach / network-attach (scenario S10)', () => {
  /** One cycle: attach, post 64, receive 2 unconsumed packets, detach with the given release code. */
  function cycle(hv: HypervisorState, variant: RxReleaseVariant | 'none', mode: RxMode = 'flip') {
    const { ringId, handles } = attachVif(hv);
    postBuffers(hv, ringId, 64, mode);
    must(netbackRxDeliver(hv, 0, { ringId, packets: 2, bytes: 100, mode }));
    if (variant !== 'none') must(netifReleaseRxBufs(hv, 1, { ringId, variant }));
    must(xenbusUnmapRingVfree(hv, 0, handles));
  }

  const driverPagesAfter = (variant: RxReleaseVariant | 'none', n: number, mode: RxMode = 'flip') => {
    const hv = world();
    for (let i = 0; i < n; i++) cycle(hv, variant, mode);
    return { driver: dom(hv, 1).balloon.driverPages, lost: MEM - dom(hv, 1).memory.totPages };
  };

  it('linux-2006 leaks every outstanding buffer each cycle', () => {
    expect(driverPagesAfter('none', 3)).toEqual({ driver: 192, lost: 186 });
  });

  it('the RFC gets back only the few buffers whose transfer completed', () => {
    expect(driverPagesAfter('rfc-2006', 3)).toEqual({ driver: 186, lost: 186 });
  });

  it('the merged code keeps driver_pages at its baseline, though the domain still shrinks', () => {
    expect(driverPagesAfter('merged-2006', 3)).toEqual({ driver: 0, lost: 186 });
  });

  it('modern copying receive path: nothing is given away, nothing leaks', () => {
    expect(driverPagesAfter('modern', 3, 'copy')).toEqual({ driver: 0, lost: 0 });
  });
});

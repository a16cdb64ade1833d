import { describe, expect, it } from 'vitest';
import { balloonUpdateDriverAllowance } from './balloon';
import { cloneHypervisor } from './clone';
import { createDomain, destroyDomain } from './domains';
import { allocUnbound, bindInterdomain, notifyRemoteViaEvtchn } from './eventChannel';
import { mapGrantRef } from './grantOps';
import { endForeignAccess, grantForeignAccess } from './grantTable';
import { ringPushRequests, ringPutRequest } from './ringFront';
import { xenbusGrantRing, xenbusMapRingValloc } from './ringMapping';
import { backRingAttach, sharedRingInit } from './sharedRing';
import { createHypervisor } from './state';

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

/** A connected vbd-like pair with some traffic, so every container holds something. */
function busyWorld() {
  const hv = createHypervisor();
  must(createDomain(hv, { kind: 'PV', domid: 0 }));
  must(createDomain(hv, { kind: 'PV', domid: 1 }));
  const { ringId } = must(sharedRingInit(hv, 1, { protocol: 'blkif' }));
  const { refs } = must(xenbusGrantRing(hv, 1, ringId, 0));
  must(xenbusMapRingValloc(hv, 0, 1, refs));
  must(backRingAttach(hv, 0, { granter: 1, ref: refs[0]! }));
  const fe = must(allocUnbound(hv, 1, 0)).port;
  must(bindInterdomain(hv, 0, 1, fe));
  must(ringPutRequest(hv, ringId, { id: 1 }));
  return { hv, ringId, fe };
}

describe('cloneHypervisor', () => {
  it('a clone is equal to its source and independent of it in both directions', () => {
    const { hv, ringId, fe } = busyWorld();
    const snapshot = cloneHypervisor(hv);
    const reference = cloneHypervisor(hv);
    expect(snapshot).toEqual(hv);

    // Change everything in the source…
    must(ringPushRequests(hv, ringId));
    must(notifyRemoteViaEvtchn(hv, 1, fe));
    const data = must(grantForeignAccess(hv, 1, { grantee: 0, frame: 3, readonly: false })).ref;
    must(mapGrantRef(hv, 0, { granter: 1, ref: data, readonly: false }));
    must(endForeignAccess(hv, 1, data, 'defer'));
    must(balloonUpdateDriverAllowance(hv, 1, 5));
    must(createDomain(hv, { kind: 'HVM' }));
    must(destroyDomain(hv, 1));
    // …the snapshot has not moved.
    expect(snapshot).toEqual(reference);
    expect(snapshot).not.toEqual(hv);

    // And changing the snapshot leaves a second snapshot untouched.
    const again = cloneHypervisor(snapshot);
    must(ringPushRequests(snapshot, ringId));
    must(destroyDomain(snapshot, 0));
    expect(again).toEqual(reference);
  });

  it('restoring a snapshot and replaying gives the same effects (time travel)', () => {
    const { hv, ringId, fe } = busyWorld();
    const checkpoint = cloneHypervisor(hv);
    const replay = (w: typeof hv) => [
      ...must(ringPushRequests(w, ringId)).effects,
      ...must(notifyRemoteViaEvtchn(w, 1, fe)).effects,
      ...must(destroyDomain(w, 0)).effects,
    ];
    const first = replay(hv);
    const second = replay(cloneHypervisor(checkpoint));
    expect(second).toEqual(first);
  });
});

import { describe, expect, it } from 'vitest';
import { XsType } from '../../xenstore';
import { createXenbusClient } from './client';
import { xsDeliver } from './deliver';
import { readUnsigned, shouldReadResetFeature, shouldResetWatches, xsResetWatches } from './resetWatches';
import { errReply, okReply, only } from './testSupport.test-support';

const hvmGuest = { hvm: true, initialDomain: false, xenMajor: 4, platformFeature: '1' };

describe('xs_reset_watches', () => {
  it('is sent by an HVM/PVH domU on Xen 4+ whose toolstack set the platform feature', () => {
    expect(shouldResetWatches(hvmGuest)).toEqual({ send: true });
  });

  it('is skipped for PV guests, dom0, old Xen on x86 and an absent or zero feature node', () => {
    expect(shouldResetWatches({ ...hvmGuest, hvm: false })).toMatchObject({ reason: 'not-hvm' });
    expect(shouldResetWatches({ ...hvmGuest, initialDomain: true })).toMatchObject({
      reason: 'initial-domain',
    });
    expect(shouldResetWatches({ ...hvmGuest, xenMajor: 3 })).toMatchObject({ reason: 'strict-xenbus-quirk' });
    expect(shouldResetWatches({ ...hvmGuest, xenMajor: 3, x86: false })).toEqual({ send: true });
    expect(shouldResetWatches({ ...hvmGuest, platformFeature: null })).toMatchObject({
      reason: 'no-platform-feature',
    });
    expect(shouldResetWatches({ ...hvmGuest, platformFeature: '0' })).toMatchObject({
      reason: 'no-platform-feature',
    });
    expect(shouldReadResetFeature({ hvm: true, initialDomain: false, xenMajor: 3 })).toBe(false);
  });

  it('reads the feature node as scanf %u does', () => {
    expect(readUnsigned('1', 0)).toBe(1);
    expect(readUnsigned(' 7abc', 0)).toBe(7);
    expect(readUnsigned('yes', 0)).toBe(0);
    expect(readUnsigned(null, 3)).toBe(3);
  });

  it('sends RESET_WATCHES and treats EEXIST as success', () => {
    const s = createXenbusClient<string, never>();
    const msg = only(xsResetWatches(s, 'boot').outgoing);
    expect(msg.type).toBe(XsType.RESET_WATCHES);
    expect(xsDeliver(s, errReply(msg, 'EEXIST')).wakeups[0]).toMatchObject({
      k: 'boot',
      result: { ok: true },
    });
    const again = only(xsResetWatches(s, 'boot2').outgoing);
    const r = xsDeliver(s, errReply(again, 'ENOSYS'));
    expect(r.wakeups[0]).toMatchObject({ result: { ok: false, error: 'ENOSYS' } });
    expect(r.effects).toContainEqual({ kind: 'warning', message: 'xs_reset_watches failed: -38' });
    const ok = only(xsResetWatches(s, 'boot3').outgoing);
    expect(xsDeliver(s, okReply(ok)).wakeups[0]).toMatchObject({ result: { ok: true } });
  });
});

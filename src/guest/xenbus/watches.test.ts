import { describe, expect, it } from 'vitest';
import { XsType, splitStrings } from '../../xenstore';
import { createXenbusClient } from './client';
import { watchEventMsg, xsDeliver } from './deliver';
import { errReply, okReply, only } from './testSupport.test-support';
import { registerXenbusWatch, unregisterXenbusWatch } from './watches';
import { getXenwatchView } from './xenwatch';

type Cb = { driver: string };

function registered(mode: '2006' | 'modern' = 'modern') {
  const s = createXenbusClient<string, Cb>({ mode });
  for (const [path, token] of [
    ['backend/vbd', 'FFFF0001'],
    ['device/vif/0/state', 'FFFF0002'],
  ] as const) {
    const out = only(
      registerXenbusWatch(s, { path, token, callback: { driver: token } }, `reg-${token}`).outgoing,
    );
    xsDeliver(s, okReply(out));
  }
  return s;
}

describe('watches', () => {
  it('registering puts the watch at the head of the list and sends WATCH path, token', () => {
    const s = createXenbusClient<string, Cb>();
    const step = registerXenbusWatch(s, { path: 'device', token: 'A', callback: { driver: 'x' } }, 'k');
    const msg = only(step.outgoing);
    expect(msg.type).toBe(XsType.WATCH);
    expect(splitStrings(msg.payload)).toEqual(['device', 'A']);
    registerXenbusWatch(s, { path: 'backend', token: 'B', callback: { driver: 'y' } }, 'k2');
    expect(s.watches.map((w) => w.token)).toEqual(['B', 'A']);
  });

  it('a registering token already on the list is a kernel bug', () => {
    const s = registered();
    expect(() =>
      registerXenbusWatch(s, { path: 'x', token: 'FFFF0001', callback: { driver: '' } }, 'k'),
    ).toThrow();
  });

  it('an event for a token no watch owns is dropped', () => {
    const s = registered();
    const r = xsDeliver(s, watchEventMsg('backend/vbd/1', 'DEADBEEF'));
    expect(r.queued).toBeNull();
    expect(r.effects).toEqual([
      { kind: 'watch-event-dropped', path: 'backend/vbd/1', token: 'DEADBEEF', reason: 'unknown-token' },
    ]);
    expect(s.xenwatch.queue).toEqual([]);
    expect(s.xenwatch.counts.droppedUnknownToken).toBe(1);
  });

  it('events queue in arrival order, all watches mixed, and count as pending for their watch', () => {
    const s = registered();
    xsDeliver(s, watchEventMsg('backend/vbd/1/state', 'FFFF0001'));
    xsDeliver(s, watchEventMsg('device/vif/0/state', 'FFFF0002'));
    xsDeliver(s, watchEventMsg('backend/vbd/1/state', 'FFFF0001'));
    expect(s.xenwatch.queue.map((e) => e.token)).toEqual(['FFFF0001', 'FFFF0002', 'FFFF0001']);
    expect(s.watches.find((w) => w.token === 'FFFF0001')?.nrPending).toBe(2);
    const view = getXenwatchView(s);
    expect(view.pending.map((e) => e.watchPath)).toEqual([
      'backend/vbd',
      'device/vif/0/state',
      'backend/vbd',
    ]);
    expect(view.pending[0]?.seq).toBeLessThan(view.pending[1]?.seq ?? 0);
  });

  it('a drop-while-pending watch keeps a single pending event (XSA-349 otherend watch)', () => {
    const s = createXenbusClient<string, Cb>();
    const cb = { driver: 'blkback' };
    const out = registerXenbusWatch(
      s,
      { path: 'fe/state', token: 'T', callback: cb, dropWhilePending: true },
      'k',
    );
    xsDeliver(s, okReply(only(out.outgoing)));
    expect(xsDeliver(s, watchEventMsg('fe/state', 'T')).queued).not.toBeNull();
    const second = xsDeliver(s, watchEventMsg('fe/state', 'T'));
    expect(second.queued).toBeNull();
    expect(second.effects[0]).toMatchObject({ kind: 'watch-event-dropped', reason: 'pending' });
    expect(getXenwatchView(s).counts.droppedWhilePending).toBe(1);
  });

  it('unregistering a watch removes its queued events and reports which', () => {
    const s = registered();
    const e1 = xsDeliver(s, watchEventMsg('backend/vbd/1', 'FFFF0001')).queued;
    xsDeliver(s, watchEventMsg('device/vif/0/state', 'FFFF0002'));
    const e3 = xsDeliver(s, watchEventMsg('backend/vbd/2', 'FFFF0001')).queued;
    const r = unregisterXenbusWatch(s, 'FFFF0001', 'unreg');
    expect(r.purged).toEqual([e1, e3]);
    expect(r.effects[0]).toEqual({
      kind: 'watch-removed',
      path: 'backend/vbd',
      token: 'FFFF0001',
      purged: [e1, e3],
    });
    const msg = only(r.outgoing);
    expect(msg.type).toBe(XsType.UNWATCH);
    expect(splitStrings(msg.payload)).toEqual(['backend/vbd', 'FFFF0001']);
    expect(s.xenwatch.queue.map((e) => e.token)).toEqual(['FFFF0002']);
    expect(s.xenwatch.counts.purged).toBe(2);
    // an event already in flight for the old token is now dropped
    expect(xsDeliver(s, watchEventMsg('backend/vbd/3', 'FFFF0001')).queued).toBeNull();
    expect(xsDeliver(s, okReply(msg)).wakeups.map((w) => w.k)).toEqual(['unreg']);
  });

  it('a failed registration takes the watch off the list again', () => {
    const s = createXenbusClient<string, Cb>();
    const out = only(
      registerXenbusWatch(s, { path: 'p', token: 'T', callback: { driver: '' } }, 'k').outgoing,
    );
    const r = xsDeliver(s, errReply(out, 'EEXIST'));
    expect(r.wakeups[0]).toMatchObject({ k: 'k', result: { ok: false, error: 'EEXIST' } });
    expect(s.watches).toEqual([]);
  });

  it('in 2006 mode a registration answered EEXIST keeps the watch but still reports the error', () => {
    const s = createXenbusClient<string, Cb>({ mode: '2006' });
    const out = only(
      registerXenbusWatch(s, { path: 'p', token: 'T', callback: { driver: '' } }, 'k').outgoing,
    );
    const r = xsDeliver(s, errReply(out, 'EEXIST'));
    expect(r.wakeups[0]).toMatchObject({ result: { ok: false, error: 'EEXIST' } });
    expect(s.watches.map((w) => w.token)).toEqual(['T']);
  });

  it('an event whose payload is not two strings is dropped', () => {
    const s = registered();
    const r = xsDeliver(s, { type: XsType.WATCH_EVENT, reqId: 0, txId: 0, payload: new Uint8Array([97, 0]) });
    expect(r.effects[0]).toMatchObject({ reason: 'malformed' });
  });
});

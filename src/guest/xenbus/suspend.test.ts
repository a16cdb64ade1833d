import { describe, expect, it } from 'vitest';
import { XsType, splitStrings } from '../../xenstore';
import { createXenbusClient } from './client';
import { watchEventMsg, xsDeliver } from './deliver';
import { xsResume, xsSuspend, xsSuspendCancel } from './suspend';
import { okReply, only, readReply } from './testSupport.test-support';
import { registerXenbusWatch } from './watches';
import { xenbusRead, xenbusTransactionEnd, xenbusTransactionStart } from './xenbusOps';

function withOpenTransaction(mode: '2006' | 'modern' = 'modern') {
  const s = createXenbusClient<string, string>({ mode });
  const start = only(xenbusTransactionStart(s, 'ts').outgoing);
  xsDeliver(s, okReply(start, '3'));
  return s;
}

describe('suspend gating', () => {
  it('xs_suspend completes at once when nothing is in flight', () => {
    const s = createXenbusClient<string, string>();
    expect(xsSuspend(s, 'susp').wakeups).toEqual([{ kind: 'suspend-done', k: 'susp' }]);
    expect(s.suspend.phase).toBe('suspended');
  });

  it('xs_suspend waits until the last transaction ends', () => {
    const s = withOpenTransaction();
    expect(xsSuspend(s, 'susp').wakeups).toEqual([]);
    expect(s.suspend.phase).toBe('draining');
    // requests inside the transaction are still admitted: users > 0
    const read = xenbusRead(s, 3, 'a', '', 'r');
    expect(read.blocked).toBe(false);
    expect(xsDeliver(s, readReply(only(read.outgoing), 'v')).wakeups.map((w) => w.kind)).toEqual(['reply']);
    expect(s.suspend.phase).toBe('draining');
    const end = only(xenbusTransactionEnd(s, 3, false, 'te').outgoing);
    const done = xsDeliver(s, okReply(end));
    expect(done.wakeups).toEqual([
      { kind: 'reply', k: 'te', reqId: end.reqId, type: XsType.TRANSACTION_END, result: expect.anything() },
      { kind: 'suspend-done', k: 'susp' },
    ]);
    expect(s.suspend.users).toBe(0);
  });

  it('while draining a new transaction is admitted and postpones the suspend (modern)', () => {
    const s = withOpenTransaction();
    xsSuspend(s, 'susp');
    const start2 = xenbusTransactionStart(s, 'ts2');
    expect(start2.blocked).toBe(false);
    xsDeliver(s, okReply(only(start2.outgoing), '4'));
    xsDeliver(s, okReply(only(xenbusTransactionEnd(s, 3, false, 'e3').outgoing)));
    expect(s.suspend.phase).toBe('draining');
    const last = xsDeliver(s, okReply(only(xenbusTransactionEnd(s, 4, false, 'e4').outgoing)));
    expect(last.wakeups.map((w) => w.k)).toEqual(['e4', 'susp']);
  });

  it('in 2006 mode a transaction start waits while a suspend is pending', () => {
    const s = withOpenTransaction('2006');
    xsSuspend(s, 'susp');
    const start2 = xenbusTransactionStart(s, 'ts2');
    expect(start2.blocked).toBe(true);
    expect(s.blocked[0]?.reason).toBe('suspend');
    // a plain request still goes
    expect(xenbusRead(s, 3, 'a', '', 'r').blocked).toBe(false);
  });

  it('once suspended every new request waits, and messages stay on the ring', () => {
    const s = createXenbusClient<string, string>();
    xsSuspend(s, 'susp');
    const r = xenbusRead(s, 0, 'a', '', 'r');
    expect(r.blocked).toBe(true);
    expect(r.outgoing).toEqual([]);
    expect(xsDeliver(s, watchEventMsg('a', 'T')).held).toBe(true);
  });

  it('xs_resume lets blocked senders go and re-sends WATCH for every watch', () => {
    const s = createXenbusClient<string, string>();
    for (const t of ['A', 'B']) {
      xsDeliver(
        s,
        okReply(only(registerXenbusWatch(s, { path: `p${t}`, token: t, callback: t }, t).outgoing)),
      );
    }
    xsSuspend(s, 'susp');
    xenbusRead(s, 0, 'a', '', 'r');
    const resumed = xsResume(s);
    expect(resumed.outgoing.map((m) => [m.type, splitStrings(m.payload)])).toEqual([
      [XsType.WATCH, ['pB', 'B']],
      [XsType.WATCH, ['pA', 'A']],
      [XsType.READ, ['a']],
    ]);
    expect(s.suspend.phase).toBe('resuming');
    // watch registration waits for the re-registration to finish
    expect(registerXenbusWatch(s, { path: 'pC', token: 'C', callback: 'C' }, 'c').blocked).toBe(true);
    const [w1, w2] = resumed.outgoing;
    xsDeliver(s, okReply(w1!));
    const last = xsDeliver(s, okReply(w2!));
    expect(s.suspend.phase).toBe('idle');
    expect(only(last.outgoing).type).toBe(XsType.WATCH);
  });

  it('xs_suspend_cancel sends nothing but lets blocked senders go', () => {
    const s = createXenbusClient<string, string>();
    xsDeliver(
      s,
      okReply(only(registerXenbusWatch(s, { path: 'p', token: 'T', callback: 'T' }, 'k').outgoing)),
    );
    xsSuspend(s, 'susp');
    xenbusRead(s, 0, 'a', '', 'r');
    const c = xsSuspendCancel(s);
    expect(c.outgoing.map((m) => m.type)).toEqual([XsType.READ]);
    expect(s.suspend).toMatchObject({ phase: 'idle', active: 0 });
  });

  it('with suspendUnwatches xs_suspend unwatches every watch before it completes', () => {
    const s = createXenbusClient<string, string>({ mode: '2006', suspendUnwatches: true });
    for (const t of ['A', 'B']) {
      xsDeliver(
        s,
        okReply(only(registerXenbusWatch(s, { path: `p${t}`, token: t, callback: t }, t).outgoing)),
      );
    }
    const susp = xsSuspend(s, 'susp');
    expect(susp.wakeups).toEqual([]);
    const u1 = only(susp.outgoing);
    expect(splitStrings(u1.payload)).toEqual(['pB', 'B']);
    const r1 = xsDeliver(s, okReply(u1));
    const u2 = only(r1.outgoing);
    expect(splitStrings(u2.payload)).toEqual(['pA', 'A']);
    expect(xsDeliver(s, okReply(u2)).wakeups).toEqual([{ kind: 'suspend-done', k: 'susp' }]);
    expect(s.watches.map((w) => w.token)).toEqual(['B', 'A']);
  });

  it('a second xs_suspend while one is active is a caller error', () => {
    const s = createXenbusClient<string, string>();
    xsSuspend(s, 'a');
    expect(() => xsSuspend(s, 'b')).toThrow();
    expect(() => xsResume(createXenbusClient())).toThrow();
  });
});

describe('a watch registered while suspended', () => {
  it('is not yet on the list (it waits for xs_watch_rwsem): xs_resume re-sends only the others', () => {
    const s = createXenbusClient<string, string>();
    const old = registerXenbusWatch(s, { path: 'device', token: 'fe', callback: 'cb' }, 'w1');
    xsDeliver(s, okReply(only(old.outgoing)));
    xsSuspend(s, 'susp');
    const late = registerXenbusWatch(s, { path: 'data', token: 'late', callback: 'cb' }, 'w2');
    expect(late.blocked).toBe(true);
    const resumed = xsResume(s);
    const watches = resumed.outgoing
      .filter((m) => m.type === XsType.WATCH)
      .map((m) => splitStrings(m.payload)[1]);
    // the re-registration of `fe` goes first; `late` only once the resume is done
    expect(watches).toEqual(['fe']);
    const rewatch = resumed.outgoing.find((m) => m.type === XsType.WATCH)!;
    const after = xsDeliver(s, okReply(rewatch));
    expect(after.outgoing.map((m) => splitStrings(m.payload)[1])).toEqual(['late']);
  });
});

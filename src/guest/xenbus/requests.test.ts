import { describe, expect, it } from 'vitest';
import { XsType } from '../../xenstore';
import { createXenbusClient } from './client';
import { xsDeliver, xsDeliverInto } from './deliver';
import { ERRNO } from './errors';
import { emptyStep, xsSend, xsSendInto } from './requests';
import { xsSuspend } from './suspend';
import { errReply, okReply, only, readReply } from './testSupport.test-support';
import { xenbusRead, xenbusTransactionEnd, xenbusTransactionStart } from './xenbusOps';

describe('requests and replies', () => {
  it('in modern mode each request gets the next req_id and many may be in flight', () => {
    const s = createXenbusClient<string, never>({ mode: 'modern' });
    const a = only(xenbusRead(s, 0, 'device', 'vbd', 'a').outgoing);
    const b = only(xenbusRead(s, 0, 'device/vbd', '', 'b').outgoing);
    expect([a.reqId, b.reqId]).toEqual([0, 1]);
    expect(s.inFlight.map((r) => r.args[0])).toEqual(['device/vbd', 'device/vbd']);
    expect(s.suspend.users).toBe(2);
  });

  it('a reply wakes the continuation its request was sent with, in any order', () => {
    const s = createXenbusClient<string, never>();
    const a = only(xenbusRead(s, 0, 'a', '', 'ka').outgoing);
    const b = only(xenbusRead(s, 0, 'b', '', 'kb').outgoing);
    const rb = xsDeliver(s, readReply(b, 'vb'));
    expect(rb.wakeups).toEqual([
      { kind: 'reply', k: 'kb', reqId: 1, type: XsType.READ, result: { ok: true, value: 'vb', strings: [] } },
    ]);
    const ra = xsDeliver(s, readReply(a, 'va'));
    expect(ra.wakeups.map((w) => w.k)).toEqual(['ka']);
    expect(s.suspend.users).toBe(0);
    expect(s.inFlight).toEqual([]);
  });

  it('in 2006 mode a second request waits for the first reply', () => {
    const s = createXenbusClient<string, never>({ mode: '2006' });
    const first = xenbusRead(s, 0, 'a', '', 'k1');
    const second = xenbusRead(s, 0, 'b', '', 'k2');
    expect(only(first.outgoing).reqId).toBe(0);
    expect(second.blocked).toBe(true);
    expect(second.outgoing).toEqual([]);
    expect(s.blocked[0]).toMatchObject({ reason: 'request-mutex', args: ['b'] });
    const r = xsDeliver(s, readReply(only(first.outgoing), 'x'));
    expect(r.wakeups.map((w) => w.k)).toEqual(['k1']);
    const next = only(r.outgoing);
    expect(next.reqId).toBe(0);
    expect(s.inFlight.map((q) => q.waiter)).toEqual([{ kind: 'caller', k: 'k2' }]);
  });

  it('an error reply gives get_error() of its name; a reply of another type gives EINVAL', () => {
    const s = createXenbusClient<string, never>();
    const a = only(xenbusRead(s, 0, 'a', '', 'a').outgoing);
    const b = only(xenbusRead(s, 0, 'b', '', 'b').outgoing);
    const c = only(xenbusRead(s, 0, 'c', '', 'c').outgoing);
    expect(xsDeliver(s, errReply(a, 'ENOENT')).wakeups[0]).toMatchObject({
      result: { ok: false, error: 'ENOENT', errno: ERRNO.ENOENT },
    });
    expect(xsDeliver(s, errReply(b, 'EWEIRD')).wakeups[0]).toMatchObject({
      result: { ok: false, error: 'EWEIRD', errno: ERRNO.EINVAL },
    });
    expect(xsDeliver(s, { ...okReply(c), type: XsType.WRITE }).wakeups[0]).toMatchObject({
      result: { ok: false, errno: ERRNO.EINVAL },
    });
  });

  it('a reply no request waits for is dropped', () => {
    const s = createXenbusClient<string, never>();
    const r = xsDeliver(
      s,
      readReply({ type: XsType.READ, reqId: 42, txId: 0, payload: new Uint8Array() }, 'v'),
    );
    expect(r.wakeups).toEqual([]);
    expect(r.effects).toEqual([{ kind: 'xs-reply-dropped', reqId: 42, reason: 'no-request' }]);
  });

  it('a transaction counts as a user from its start request until its end reply', () => {
    const s = createXenbusClient<string, never>();
    const start = only(xenbusTransactionStart(s, 'ts').outgoing);
    expect(s.suspend.users).toBe(2);
    xsDeliver(s, okReply(start, '7'));
    expect(s.suspend.users).toBe(1);
    expect(s.openTxIds).toEqual([7]);
    const end = only(xenbusTransactionEnd(s, 7, false, 'te').outgoing);
    expect(end.txId).toBe(7);
    expect(s.suspend.users).toBe(2);
    xsDeliver(s, errReply(end, 'EAGAIN'));
    expect(s.suspend.users).toBe(0);
    expect(s.transactions).toBe(0);
    expect(s.openTxIds).toEqual([]);
  });

  it('a failed transaction start leaves no transaction open', () => {
    const s = createXenbusClient<string, never>();
    const start = only(xsSend(s, { type: 'TRANSACTION_START', args: [''] }, 'ts').outgoing);
    xsDeliver(s, errReply(start, 'ENOSPC'));
    expect(s.suspend.users).toBe(0);
    expect(s.transactions).toBe(0);
  });

  it('a step marked quietUsers records xs_state_users only while a suspend is pending or running', () => {
    const s = createXenbusClient<string, never>({ mode: 'modern' });
    const usersMoves = (step: { effects: { kind: string }[] }) =>
      step.effects.filter((e) => e.kind === 'xs-users').length;
    const quiet = { ...emptyStep<string>(), quietUsers: true };
    xsSendInto(s, { type: XsType.READ, args: ['a'], txId: 0 }, 'a', quiet);
    expect(usersMoves(quiet)).toBe(0);
    expect(s.suspend.users).toBe(1);
    const loud = emptyStep<string>();
    xsSendInto(s, { type: XsType.READ, args: ['b'], txId: 0 }, 'b', loud);
    expect(usersMoves(loud)).toBe(1);
    // a suspend waits for the two in flight: now each reply's move is recorded
    xsSuspend(s, 'suspender');
    const reply = { ...emptyStep<string>(), quietUsers: true };
    xsDeliverInto(s, readReply(only(quiet.outgoing), 'va'), reply);
    expect(usersMoves(reply)).toBe(1);
  });
});

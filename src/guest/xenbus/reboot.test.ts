import { describe, expect, it } from 'vitest';
import { createXenbusClient } from './client';
import { xsDeliver } from './deliver';
import { isXenbusOk, xsRebootNotify } from './reboot';
import { okReply, only, readReply } from './testSupport.test-support';
import { xenbusRead, xenbusTransactionStart } from './xenbusOps';

describe('xs_reboot_notify', () => {
  it('xenbus is only not ok for a local xenstored once the system is going down', () => {
    expect(isXenbusOk('local', 'running')).toBe(true);
    expect(isXenbusOk('local', 'restart')).toBe(false);
    expect(isXenbusOk('local', 'power-off')).toBe(false);
    expect(isXenbusOk('hvm', 'restart')).toBe(true);
    expect(isXenbusOk('pv', 'halt')).toBe(true);
    expect(isXenbusOk('unknown', 'running')).toBe(false);
  });

  it('when xenbus is not ok every waiting request returns EIO and a late reply is discarded', () => {
    const s = createXenbusClient<string, never>();
    const a = only(xenbusRead(s, 0, 'a', '', 'ka').outgoing);
    xenbusRead(s, 0, 'b', '', 'kb');
    const r = xsRebootNotify(s, false);
    expect(r.wakeups.map((w) => [w.k, w.kind === 'reply' && w.result])).toEqual([
      ['ka', { ok: false, error: 'EIO', errno: 5 }],
      ['kb', { ok: false, error: 'EIO', errno: 5 }],
    ]);
    expect(s.suspend.users).toBe(0);
    const late = xsDeliver(s, readReply(a, 'v'));
    expect(late.wakeups).toEqual([]);
    expect(late.effects).toEqual([{ kind: 'xs-reply-dropped', reqId: a.reqId, reason: 'aborted' }]);
  });

  it('an aborted transaction start keeps its transaction count, as Linux does', () => {
    const s = createXenbusClient<string, never>();
    xenbusTransactionStart(s, 'ts');
    xsRebootNotify(s, false);
    expect(s.suspend.users).toBe(1);
  });

  it('when xenbus is ok the woken waiters wait again', () => {
    const s = createXenbusClient<string, never>();
    const a = only(xenbusRead(s, 0, 'a', '', 'ka').outgoing);
    expect(xsRebootNotify(s, true).wakeups).toEqual([]);
    expect(xsDeliver(s, okReply(a)).wakeups.map((w) => w.k)).toEqual(['ka']);
  });
});

import { describe, expect, it } from 'vitest';
import { createXenbusClient } from './client';
import { watchEventMsg, xsDeliver } from './deliver';
import { okReply, only } from './testSupport.test-support';
import { registerXenbusWatch } from './watches';
import { getXenwatchView, isXenwatchBusy, xenwatchDone, xenwatchNext } from './xenwatch';

function client() {
  const s = createXenbusClient<string, string>();
  for (const t of ['A', 'B']) {
    xsDeliver(
      s,
      okReply(only(registerXenbusWatch(s, { path: `p${t}`, token: t, callback: `cb${t}` }, t).outgoing)),
    );
  }
  return s;
}

describe('xenwatch', () => {
  it('runs one callback at a time, oldest event first', () => {
    const s = client();
    xsDeliver(s, watchEventMsg('pA/x', 'A'));
    xsDeliver(s, watchEventMsg('pB', 'B'));
    const first = xenwatchNext(s);
    expect(first?.job).toMatchObject({
      callback: 'cbA',
      watchPath: 'pA',
      event: { path: 'pA/x', token: 'A' },
    });
    expect(isXenwatchBusy(s)).toBe(true);
    expect(xenwatchNext(s)).toBeNull();
    xenwatchDone(s);
    expect(xenwatchNext(s)?.job.callback).toBe('cbB');
    xenwatchDone(s);
    expect(xenwatchNext(s)).toBeNull();
    expect(getXenwatchView(s).counts).toMatchObject({ queued: 2, ran: 2 });
  });

  it('a dequeued event no longer counts as pending, so will_handle accepts the next one', () => {
    const s = createXenbusClient<string, string>();
    const reg = registerXenbusWatch(
      s,
      { path: 'fe', token: 'T', callback: 'cb', dropWhilePending: true },
      'k',
    );
    xsDeliver(s, okReply(only(reg.outgoing)));
    xsDeliver(s, watchEventMsg('fe', 'T'));
    xenwatchNext(s);
    expect(s.watches[0]?.nrPending).toBe(0);
    expect(xsDeliver(s, watchEventMsg('fe', 'T')).queued).not.toBeNull();
  });

  it('the view shows the running event apart from the pending ones', () => {
    const s = client();
    xsDeliver(s, watchEventMsg('pA', 'A'));
    xsDeliver(s, watchEventMsg('pB', 'B'));
    xenwatchNext(s);
    const view = getXenwatchView(s);
    expect(view.running?.token).toBe('A');
    expect(view.pending.map((e) => [e.path, e.token, e.watchPath])).toEqual([['pB', 'B', 'pB']]);
  });

  it('finishing while idle is a caller error', () => {
    expect(() => xenwatchDone(createXenbusClient())).toThrow();
  });
});

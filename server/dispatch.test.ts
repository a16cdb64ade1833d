import { describe, expect, it } from 'vitest';
import { createXenStore, requestMsg } from '../src/xenstore';
import { formatMsg } from '../src/xenstore/wire';
import { dispatchRequest, type Outgoing } from './dispatch';

const lines = (out: readonly Outgoing[]) => out.map((o) => `${o.conn} ${formatMsg(o.msg)}`);

describe('dispatchRequest: what goes out, to whom, in which order', () => {
  const store = createXenStore();
  const a = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  const b = store.connect({ domid: 0, privileged: true, kind: 'socket' });

  it('sends the WATCH reply before the registration event', () => {
    const { out, drop } = dispatchRequest(store, a, requestMsg('WATCH', ['/x', 'tok'], { reqId: 1 }));
    expect(drop).toBe(false);
    expect(lines(out)).toEqual([
      `${a} WATCH rid=1 tx=0 "OK\\0"`,
      `${a} WATCH_EVENT rid=0 tx=0 "/x\\0tok\\0"`,
    ]);
  });

  it("sends a writer's own events before its reply, and other connections' events too", () => {
    dispatchRequest(store, b, requestMsg('WATCH', ['/', 'all'], { reqId: 1 }));
    const { out } = dispatchRequest(store, a, requestMsg('WRITE', ['/x/y', 'v'], { reqId: 2 }));
    expect(lines(out)).toEqual([
      `${a} WATCH_EVENT rid=0 tx=0 "/x/y\\0tok\\0"`,
      `${b} WATCH_EVENT rid=0 tx=0 "/x/y\\0all\\0"`,
      `${a} WRITE rid=2 tx=0 "OK\\0"`,
    ]);
  });

  it('answers errors with the request ids and no events', () => {
    const { out } = dispatchRequest(store, a, requestMsg('READ', ['/nope'], { reqId: 7, txId: 0 }));
    expect(lines(out)).toEqual([`${a} ERROR rid=7 tx=0 "ENOENT\\0"`]);
  });

  it('asks to drop the connection when the store gives no reply (payload over 4096)', () => {
    const c = store.connect({ domid: 0, privileged: true, kind: 'socket' });
    const msg = { type: 2, reqId: 1, txId: 0, payload: new Uint8Array(4097) };
    expect(dispatchRequest(store, c, msg)).toMatchObject({ drop: true, out: [] });
  });
});

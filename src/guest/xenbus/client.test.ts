import { describe, expect, it } from 'vitest';
import { cloneXenbusClient, createXenbusClient, getHeldContinuations } from './client';
import { watchEventMsg, xsDeliver } from './deliver';
import { xsSuspend } from './suspend';
import { okReply, only } from './testSupport.test-support';
import { registerXenbusWatch } from './watches';
import { xenwatchNext } from './xenwatch';
import { xenbusRead, xenbusTransactionStart } from './xenbusOps';

type K = { thread: string; pc: number };

function busyClient() {
  const s = createXenbusClient<K, { cb: string }>({ mode: 'modern' });
  const reg = registerXenbusWatch(
    s,
    { path: 'device', token: 'T', callback: { cb: 'probe' } },
    { thread: 'a', pc: 1 },
  );
  xsDeliver(s, okReply(only(reg.outgoing)));
  xsDeliver(s, watchEventMsg('device/vbd', 'T'));
  xsDeliver(s, watchEventMsg('device/vif', 'T'));
  xenbusTransactionStart(s, { thread: 'b', pc: 2 });
  xenbusRead(s, 0, 'x', '', { thread: 'c', pc: 3 });
  xsSuspend(s, { thread: 'suspend', pc: 4 });
  return s;
}

describe('client state as data', () => {
  it('survives a JSON round trip unchanged', () => {
    const s = busyClient();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('a clone is independent of the original and behaves the same', () => {
    const s = busyClient();
    const c = cloneXenbusClient(s);
    expect(c).toEqual(s);
    xenwatchNext(s);
    xenbusRead(s, 0, 'y', '', { thread: 'd', pc: 5 });
    expect(c.xenwatch.queue).toHaveLength(2);
    expect(c.inFlight).toHaveLength(2);
    expect(c.watches[0]?.nrPending).toBe(2);
    xenwatchNext(c);
    expect(c.xenwatch).toEqual(s.xenwatch);
  });

  it('lists the continuations it holds', () => {
    expect(getHeldContinuations(busyClient()).map((k) => k.thread)).toEqual(['b', 'c', 'suspend']);
  });

  it('a clone is what structuredClone gives, keys in the same order, shared callbacks still shared', () => {
    const s = busyClient();
    const shared = { cb: 'backend' };
    registerXenbusWatch(s, { path: 'a', token: 'A', callback: shared }, { thread: 'e', pc: 6 });
    registerXenbusWatch(s, { path: 'b', token: 'B', callback: shared }, { thread: 'f', pc: 7 });
    xenwatchNext(s);
    for (const state of [s, createXenbusClient<number, string>({ mode: '2006' })]) {
      const c = cloneXenbusClient<unknown, unknown>(state);
      expect(c).toStrictEqual(structuredClone(state));
      expect(JSON.stringify(c)).toBe(JSON.stringify(state));
    }
    const c = cloneXenbusClient(s);
    expect(c.watches[0]?.callback).toBe(c.watches[1]?.callback);
    expect(c.watches[0]?.callback).not.toBe(shared);
    expect(c.inFlight[0]?.waiter).not.toBe(s.inFlight[0]?.waiter);
    expect(c.inFlight[0]?.args).not.toBe(s.inFlight[0]?.args);
  });

  it('nested continuations and callbacks are copied as structuredClone copies them, sharing kept', () => {
    type Nested = { frames: Array<{ pc: number }> };
    const s = createXenbusClient<Nested, { cb: { name: string } }>({ mode: 'modern' });
    const frames = [{ pc: 1 }];
    const callback = { cb: { name: 'probe' } };
    registerXenbusWatch(s, { path: 'a', token: 'A', callback }, { frames });
    registerXenbusWatch(s, { path: 'b', token: 'B', callback }, { frames });
    xenbusRead(s, 0, 'x', '', { frames: [{ pc: 2 }] });
    const c = cloneXenbusClient(s);
    expect(c).toStrictEqual(structuredClone(s));
    expect(JSON.stringify(c)).toBe(JSON.stringify(s));
    expect(c.watches[0]?.callback).toBe(c.watches[1]?.callback);
    expect(c.watches[0]?.callback).not.toBe(callback);
    const [first, second] = c.inFlight.map((r) => (r.waiter.kind === 'caller' ? r.waiter.k : null));
    expect(first?.frames).toBe(second?.frames);
    expect(first?.frames).not.toBe(frames);
  });
});

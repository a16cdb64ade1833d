import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { XsMsg } from '../../xenstore';
import { XsType } from '../../xenstore';
import { createXenbusClient, getHeldContinuations } from './client';
import { xsDeliver } from './deliver';
import { xsResume, xsSuspend, xsSuspendCancel } from './suspend';
import { errReply, okReply } from './testSupport.test-support';
import type { ClientStep, XenbusMode } from './types';
import { registerXenbusWatch } from './watches';
import { xenbusRead, xenbusTransactionEnd, xenbusTransactionStart } from './xenbusOps';

type Action =
  | { t: 'read'; tx: number }
  | { t: 'start' }
  | { t: 'end'; tx: number; abort: boolean }
  | { t: 'reply'; pick: number; error: boolean }
  | { t: 'suspend' }
  | { t: 'resume' }
  | { t: 'cancel' };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ t: fc.constant('read' as const), tx: fc.nat(4) }),
  fc.record({ t: fc.constant('start' as const) }),
  fc.record({ t: fc.constant('end' as const), tx: fc.nat(4), abort: fc.boolean() }),
  fc.record({ t: fc.constant('reply' as const), pick: fc.nat(), error: fc.boolean() }),
  fc.record({ t: fc.constant('reply' as const), pick: fc.nat(), error: fc.constant(false) }),
  fc.record({ t: fc.constant('suspend' as const) }),
  fc.record({ t: fc.constant('resume' as const) }),
  fc.record({ t: fc.constant('cancel' as const) }),
);

/** Runs the actions against a client and an independent count of what the ring carries. */
function run(mode: XenbusMode, suspendUnwatches: boolean, actions: Action[]): void {
  const s = createXenbusClient<number, string>({ mode, suspendUnwatches });
  const wire: XsMsg[] = [];
  const outstanding = new Set<number>();
  const openIds: number[] = [];
  let openTx = 0;
  let nextK = 0;
  let nextTxId = 1;

  const apply = (step: ClientStep<number>) => {
    for (const m of step.outgoing) {
      wire.push(m);
      if (m.type === XsType.TRANSACTION_START) openTx += 1;
    }
    for (const w of step.wakeups) {
      expect(outstanding.has(w.k), `continuation ${w.k} handed back twice or never given`).toBe(true);
      outstanding.delete(w.k);
    }
  };
  const give = () => {
    outstanding.add(nextK);
    return nextK++;
  };

  const reg = registerXenbusWatch(s, { path: 'device', token: 'W', callback: 'cb' }, give());
  apply(reg);
  const regMsg = wire.shift() as XsMsg;
  apply(xsDeliver(s, okReply(regMsg)));

  for (const a of actions) {
    const phase = s.suspend.phase;
    if (a.t === 'read')
      apply(xenbusRead(s, openIds[a.tx % Math.max(1, openIds.length)] ?? 0, 'a', '', give()));
    else if (a.t === 'start') apply(xenbusTransactionStart(s, give()));
    else if (a.t === 'end' && openIds.length > 0) {
      const [id] = openIds.splice(a.tx % openIds.length, 1);
      apply(xenbusTransactionEnd(s, id as number, a.abort, give()));
    } else if (a.t === 'reply' && wire.length > 0) {
      const [msg] = wire.splice(a.pick % wire.length, 1) as [XsMsg];
      const isStart = msg.type === XsType.TRANSACTION_START;
      const reply = a.error
        ? errReply(msg, 'EAGAIN')
        : isStart
          ? okReply(msg, String(nextTxId))
          : okReply(msg);
      const r = xsDeliver(s, reply);
      if (r.held) wire.push(msg);
      else {
        if (isStart && a.error) openTx -= 1;
        if (isStart && !a.error) openIds.push(nextTxId++);
        if (msg.type === XsType.TRANSACTION_END) openTx -= 1;
      }
      apply(r);
    } else if (a.t === 'suspend' && phase === 'idle') apply(xsSuspend(s, give()));
    else if (a.t === 'resume' && phase === 'suspended') apply(xsResume(s));
    else if (a.t === 'cancel' && phase === 'suspended') apply(xsSuspendCancel(s));

    expect(s.suspend.users).toBe(wire.length + openTx);
    expect(s.suspend.users).toBeGreaterThanOrEqual(0);
    expect(s.transactions).toBe(openTx);
    expect(s.inFlight).toHaveLength(wire.length);
    expect([...getHeldContinuations(s)].sort((x, y) => x - y)).toEqual(
      [...outstanding].sort((x, y) => x - y),
    );
    if (mode === '2006') expect(s.inFlight.length).toBeLessThanOrEqual(1);
    if (s.suspend.phase === 'suspended') expect(wire).toEqual([]);
  }
}

describe('suspend gating property', () => {
  it('any interleaving keeps xs_state_users = requests in flight + open transactions and hands every continuation back at most once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<XenbusMode>('2006', 'modern'),
        fc.boolean(),
        fc.array(action, { maxLength: 80 }),
        (mode, unwatch, actions) => run(mode, unwatch, actions),
      ),
      { numRuns: 400 },
    );
  });
});

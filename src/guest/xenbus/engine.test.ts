import { describe, expect, it } from 'vitest';
import type { ConnId, XenStore, XsMsg } from '../../xenstore';
import { XsType, createXenStore, request, watchEvents } from '../../xenstore';
import { createXenbusClient } from './client';
import { watchEventMsg, xsDeliver } from './deliver';
import { xsResetWatches } from './resetWatches';
import type { ClientStep, Wakeup, XenbusClientState } from './types';
import { registerXenbusWatch } from './watches';
import { getXenwatchView, xenwatchDone, xenwatchNext } from './xenwatch';

type Client = XenbusClientState<string, string>;

/**
 * Plays xenstored for one guest: each outgoing message is handled by the engine and its reply and
 * watch events for this connection go back through xsDeliver (WATCH's OK before its event).
 */
function exchange(store: XenStore, conn: ConnId, client: Client, step: ClientStep<string>): Wakeup<string>[] {
  const wakeups = [...step.wakeups];
  const pending = [...step.outgoing];
  while (pending.length > 0) {
    const msg = pending.shift() as XsMsg;
    const { reply, effects } = store.handle(conn, msg);
    const events = watchEvents(effects)
      .filter(([c]) => c === conn)
      .map(([, path, token]) => watchEventMsg(path, token));
    const order = msg.type === XsType.WATCH ? [reply as XsMsg, ...events] : [...events, reply as XsMsg];
    for (const m of order) {
      const r = xsDeliver(client, m);
      wakeups.push(...r.wakeups);
      pending.push(...r.outgoing);
    }
  }
  return wakeups;
}

function world() {
  const store = createXenStore();
  const { conn } = store.introduceDomain(1);
  const dom0 = store.connect({ domid: 0, privileged: true, kind: 'socket' });
  expect(request(store, dom0, 'MKDIR', ['/local/domain/1/device']).ok).toBe(true);
  expect(request(store, dom0, 'SET_PERMS', ['/local/domain/1/device', 'n1']).ok).toBe(true);
  return { store, conn, dom0 };
}

const TOKEN = 'FFFF888004A2C000';

describe('the client against the store engine', () => {
  it('a registered watch fires once, then once per write from another connection, in FIFO order', () => {
    const { store, conn, dom0 } = world();
    const guest = createXenbusClient<string, string>();
    const reg = registerXenbusWatch(
      guest,
      { path: '/local/domain/1/device', token: TOKEN, callback: 'probe' },
      'k',
    );
    const woke = exchange(store, conn, guest, reg);
    expect(woke).toMatchObject([{ kind: 'reply', k: 'k', result: { ok: true } }]);
    expect(getXenwatchView(guest).pending.map((e) => e.path)).toEqual(['/local/domain/1/device']);

    const w = request(store, dom0, 'WRITE', ['/local/domain/1/device/vbd', '']);
    for (const [c, path, token] of watchEvents(w.effects)) {
      if (c === conn) xsDeliver(guest, watchEventMsg(path, token));
    }
    const view = getXenwatchView(guest);
    expect(view.pending.map((e) => [e.path, e.token])).toEqual([
      ['/local/domain/1/device', TOKEN],
      ['/local/domain/1/device/vbd', TOKEN],
    ]);
    expect(guest.watches[0]?.nrPending).toBe(2);
    expect(xenwatchNext(guest)?.job).toMatchObject({
      callback: 'probe',
      event: { path: '/local/domain/1/device' },
    });
    xenwatchDone(guest);
    expect(xenwatchNext(guest)?.job.event.path).toBe('/local/domain/1/device/vbd');
  });

  it('after kexec the same token gets EEXIST until xs_reset_watches clears the old kernel’s watches', () => {
    const { store, conn } = world();
    const old = createXenbusClient<string, string>();
    exchange(
      store,
      conn,
      old,
      registerXenbusWatch(old, { path: '/local/domain/1/device', token: TOKEN, callback: 'probe' }, 'k'),
    );

    const fresh = createXenbusClient<string, string>();
    const again = { path: '/local/domain/1/device', token: TOKEN, callback: 'probe' };
    const clash = exchange(store, conn, fresh, registerXenbusWatch(fresh, again, 'k1'));
    expect(clash).toMatchObject([{ result: { ok: false, error: 'EEXIST', errno: 17 } }]);
    expect(fresh.watches).toEqual([]);

    expect(exchange(store, conn, fresh, xsResetWatches(fresh, 'reset'))).toMatchObject([
      { result: { ok: true } },
    ]);
    expect(store.listWatches(conn)).toEqual([]);
    expect(exchange(store, conn, fresh, registerXenbusWatch(fresh, again, 'k2'))).toMatchObject([
      { result: { ok: true } },
    ]);
    expect(fresh.xenwatch.queue.map((e) => e.token)).toEqual([TOKEN]);
  });
});

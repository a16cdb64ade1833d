import { describe, expect, it } from 'vitest';
import { PROFILES, type ProfileId } from '../sim/profiles';
import { drive } from './drive.test-support';
import { ENODEV } from './effects';
import { netfrontMachine, type NetfrontEvent } from './netfrontMachine';
import type { XenbusStateName } from './xenbusState';

const input = (id: ProfileId) => ({ profile: PROFILES[id] });
const peer = (state: XenbusStateName): NetfrontEvent => ({ type: 'OTHEREND_CHANGED', state });
const switched = (state: XenbusStateName): NetfrontEvent => ({ type: 'SWITCHED', state });
const sw = (state: XenbusStateName) => ({ kind: 'switchState', state });

/** S2 from the frontend's side: probe, backend InitWait, connect, Connected (skipping Initialised) */
const toConnected: NetfrontEvent[] = [
  { type: 'PROBE' },
  peer('InitWait'),
  { type: 'CONNECT_DONE' },
  switched('Connected'),
  peer('Connected'),
];

describe('netfront vif handshake (xenbus.md §5, §7.5)', () => {
  it('netfront [modern]: S2 connect copies rx, goes 1 → 4 and notifies peers on backend Connected', () => {
    const run = drive(netfrontMachine, input('linux-modern'), toConnected);
    expect(run.steps.map((s) => s.effects)).toEqual([
      [],
      [{ kind: 'xennetConnect', rxMode: 'copy' }],
      [sw('Connected')],
      [],
      [{ kind: 'notifyPeers' }],
    ]);
    expect(run.snapshot.value).toBe('Connected');
  });

  it('netfront [2006]: S2 connect flips rx pages and sends the fake ARP right after switching Connected', () => {
    const run = drive(netfrontMachine, input('linux-2006'), toConnected);
    expect(run.steps.map((s) => s.effects)).toEqual([
      [],
      [{ kind: 'xennetConnect', rxMode: 'flip' }],
      [sw('Connected'), { kind: 'notifyPeers' }],
      [],
      [],
    ]);
  });

  it('netfront [modern]: a backend without feature-rx-copy leaves the frontend Initialising with no fatal error', () => {
    const run = drive(netfrontMachine, input('linux-modern'), [
      { type: 'PROBE' },
      peer('InitWait'),
      { type: 'CONNECT_FAILED', errno: ENODEV, message: '' },
    ]);
    expect(run.last).toEqual([{ kind: 'log', message: 'backend does not support copying receive path' }]);
    expect(run.snapshot.value).toBe('Initialising');
  });

  it('netfront [modern]: backend InitWait while own Connected does nothing', () => {
    const run = drive(netfrontMachine, input('linux-modern'), [...toConnected, peer('InitWait')]);
    expect(run.last).toEqual([]);
  });
});

describe('netfront netback_changed(Closing | Closed) (§6.1, §7.5)', () => {
  it('netfront [modern]: backend Closing goes straight to xenbus_frontend_closed', () => {
    const run = drive(netfrontMachine, input('linux-modern'), [...toConnected, peer('Closing')]);
    expect(run.last).toEqual([{ kind: 'frontendClosed' }]);
  });

  it("netfront [modern]: backend Closed is handled as Closing (missed the backend's Closing)", () => {
    const run = drive(netfrontMachine, input('linux-modern'), [...toConnected, peer('Closed')]);
    expect(run.last).toEqual([{ kind: 'frontendClosed' }]);
  });

  it('netfront [2006]: backend Closed does nothing', () => {
    const run = drive(netfrontMachine, input('linux-2006'), [...toConnected, peer('Closed')]);
    expect(run.last).toEqual([]);
  });

  it('netfront [2006]: backend Closing closes the netdev and switches Closed, releasing no rx buffers', () => {
    const run = drive(netfrontMachine, input('linux-2006'), [...toConnected, peer('Closing')]);
    expect(run.last).toEqual([{ kind: 'closeNetdev' }, sw('Closed')]);
  });

  it('netfront [2006-merged]: backend Closing closes the netdev (rx bufs to the balloon), then xenbus_frontend_closed', () => {
    const run = drive(netfrontMachine, input('kexec-merged-2006'), [...toConnected, peer('Closing')]);
    expect(run.last).toEqual([
      { kind: 'closeNetdev' },
      { kind: 'releaseRxBufs', variant: 'merged-2006' },
      { kind: 'frontendClosed' },
    ]);
  });

  it('netfront [modern]: backend Closing goes to xenbus_frontend_closed; the netdev stays until remove', () => {
    const run = drive(netfrontMachine, input('linux-modern'), [...toConnected, peer('Closing')]);
    expect(run.last).toEqual([{ kind: 'frontendClosed' }]);
  });

  it('netfront [2006-RFC]: backend-triggered Closing ends in Closed through xenbus_closing_done', () => {
    const run = drive(netfrontMachine, input('kexec-patch-2006'), [...toConnected, peer('Closing')]);
    expect(run.last).toEqual([
      { kind: 'closeNetdev' },
      { kind: 'releaseRxBufs', variant: 'rfc-2006' },
      { kind: 'closingDone', state: 'Closed' },
    ]);
  });
});

describe('netfront [2006-RFC] kexec shutdown (kexec-handover.md §2.1)', () => {
  const shutdown: NetfrontEvent[] = [
    ...toConnected,
    { type: 'SHUTDOWN' },
    switched('Closing'),
    peer('Closing'),
    switched('Initialising'),
    { type: 'DOWN_COMPLETED' },
  ];

  it('netfront [2006-RFC]: shutdown closes the netdev, releases rx buffers and returns to Initialising', () => {
    const run = drive(netfrontMachine, input('kexec-patch-2006'), shutdown);
    expect(run.steps[5]?.effects).toEqual([sw('Closing'), { kind: 'armShutdownTimeout', ms: 5000 }]);
    expect(run.steps[7]?.effects).toEqual([
      { kind: 'closeNetdev' },
      { kind: 'releaseRxBufs', variant: 'rfc-2006' },
      { kind: 'closingDone', state: 'Initialising' },
    ]);
    expect(run.last).toEqual([
      { kind: 'cancelShutdownTimeout' },
      { kind: 'shutdownDone', outcome: 'closed' },
    ]);
    expect(run.snapshot.value).toBe('Initialising');
  });

  it('netfront [2006-RFC]: the backend InitWait ("prepare for reconnect") is ignored while shutting down', () => {
    const run = drive(netfrontMachine, input('kexec-patch-2006'), [...shutdown, peer('InitWait')]);
    expect(run.last).toEqual([]);
  });

  it('netfront [2006]: SHUTDOWN has no hook and does nothing to the device', () => {
    const run = drive(netfrontMachine, input('linux-2006'), [...toConnected, { type: 'SHUTDOWN' }]);
    expect(run.last).toEqual([{ kind: 'shutdownDone', outcome: 'no-hook' }]);
  });
});

describe('netfront remove (netif_uninit → netif_release_rx_bufs)', () => {
  for (const [id, variant] of [
    ['kexec-merged-2006', 'merged-2006'],
    ['linux-modern', 'modern'],
  ] as const) {
    it(`netfront [${PROFILES[id].label}]: REMOVE unregisters the netdev and releases rx buffers (${variant})`, () => {
      const run = drive(netfrontMachine, input(id), [...toConnected, { type: 'REMOVE' }]);
      expect(run.last).toEqual([
        { kind: 'netfrontRemove' },
        { kind: 'closeNetdev' },
        { kind: 'releaseRxBufs', variant },
        sw('Closed'),
      ]);
      expect(run.snapshot.value).toBe('Removed');
    });
  }

  it('netfront [2006]: REMOVE leaks the rx buffers (no netif_release_rx_bufs)', () => {
    const run = drive(netfrontMachine, input('linux-2006'), [...toConnected, { type: 'REMOVE' }]);
    expect(run.last).toEqual([{ kind: 'netfrontRemove' }, { kind: 'closeNetdev' }, sw('Closed')]);
  });
});

describe('netfront PM restore (kexec jump)', () => {
  it('[modern] resume disconnects and waits: a Connected backend gets only a notify, InitWait reconnects', () => {
    const run = drive(netfrontMachine, input('linux-modern'), [
      ...toConnected,
      { type: 'RESUME' },
      peer('Connected'),
      peer('InitWait'),
    ]);
    const tail = run.steps.slice(-3);
    expect(tail.map((s) => s.value)).toEqual(['Initialising', 'Initialising', 'Initialising']);
    expect(tail[0]!.effects).toEqual([{ kind: 'netfrontResume' }]);
    expect(tail[1]!.effects).toEqual([{ kind: 'notifyPeers' }]);
    expect(tail[2]!.effects).toEqual([{ kind: 'xennetConnect', rxMode: 'copy' }]);
  });
});

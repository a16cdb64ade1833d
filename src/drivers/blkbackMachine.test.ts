import { describe, expect, it } from 'vitest';
import { PROFILES, type ProfileId } from '../sim/profiles';
import { blkbackMachine, type BlkbackEvent } from './blkbackMachine';
import { drive } from './drive.test-support';

const input = (id: ProfileId) => ({ profile: PROFILES[id] });
const peer = (state: Extract<BlkbackEvent, { type: 'OTHEREND_CHANGED' }>['state']): BlkbackEvent => ({
  type: 'OTHEREND_CHANGED',
  state,
});
const switched = (state: Extract<BlkbackEvent, { type: 'SWITCHED' }>['state']): BlkbackEvent => ({
  type: 'SWITCHED',
  state,
});

/** probe → InitWait */
const toInitWait: BlkbackEvent[] = [{ type: 'PROBE' }, switched('InitWait')];
/** S1 from the backend's side: InitWait, ring, hotplug, connect, Connected */
const toConnected: BlkbackEvent[] = [
  ...toInitWait,
  { type: 'PHYSICAL_DEVICE_ABSENT' },
  peer('Initialising'),
  { type: 'PHYSICAL_DEVICE', major: 0xfe, minor: 0 },
  { type: 'VBD_CREATED' },
  peer('Initialised'),
  { type: 'RING_CONNECTED' },
  { type: 'CONNECTED_TX_DONE' },
  switched('Connected'),
];
const toClosing: BlkbackEvent[] = [...toConnected, peer('Closing'), switched('Closing')];

describe('blkback handshake (xenbus.md §4.1, §4.2)', () => {
  it('blkback [modern]: S1 handshake goes Initialising → InitWait → Connected with the seed-002 effects', () => {
    const run = drive(blkbackMachine, input('linux-modern'), toConnected);
    expect(run.steps.map((s) => s.effects)).toEqual([
      [{ kind: 'watchPhysicalDevice' }, { kind: 'switchState', state: 'InitWait' }],
      [],
      [],
      [],
      [{ kind: 'createVbd', major: 0xfe, minor: 0 }],
      [],
      [{ kind: 'blkifDisconnect' }, { kind: 'connectRing' }],
      [{ kind: 'connect' }],
      [{ kind: 'switchState', state: 'Connected' }],
      [{ kind: 'startIoThread' }],
    ]);
    expect(run.snapshot.value).toBe('Connected');
  });

  it('blkback [2006]: S1 handshake connects the ring without the disconnect precondition', () => {
    const run = drive(blkbackMachine, input('linux-2006'), toConnected);
    expect(run.steps[6]?.effects).toEqual([{ kind: 'connectRing' }]);
    expect(run.snapshot.value).toBe('Connected');
  });

  it('blkback [modern]: hotplug after the ring connects from backend_changed (ordering variant)', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toInitWait,
      peer('Initialised'),
      { type: 'RING_CONNECTED' },
      { type: 'PHYSICAL_DEVICE', major: 8, minor: 16 },
      { type: 'VBD_CREATED' },
    ]);
    expect(run.steps[3]?.effects).toEqual([]);
    expect(run.last).toEqual([{ kind: 'connect' }]);
  });
});

describe('blkback frontend_changed(Initialising) (§7.1, §7.2)', () => {
  it('blkback [modern]: peer Initialising while own Closed prepares for reconnect (→ InitWait)', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toClosing,
      peer('Closed'),
      switched('Closed'),
      { type: 'ONLINE', value: true },
      peer('Initialising'),
      switched('InitWait'),
    ]);
    expect(run.steps[run.steps.length - 2]?.effects).toEqual([
      { kind: 'log', message: 'prepare for reconnect' },
      { kind: 'switchState', state: 'InitWait' },
    ]);
    expect(run.snapshot.value).toBe('InitWait');
  });

  it('blkback [2006-merged]: peer Initialising while own Closed prepares for reconnect (→ InitWait)', () => {
    const run = drive(blkbackMachine, input('kexec-merged-2006'), [
      ...toClosing,
      peer('Closed'),
      switched('Closed'),
      { type: 'ONLINE', value: true },
      peer('Initialising'),
    ]);
    expect(run.last).toContainEqual({ kind: 'switchState', state: 'InitWait' });
  });

  it('blkback [modern]: peer Initialising while own Closing does nothing', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [...toClosing, peer('Initialising')]);
    expect(run.last).toEqual([]);
    expect(run.snapshot.value).toBe('Closing');
  });

  it('blkback [2006-RFC]: peer Initialising while own Closing prepares for reconnect (→ InitWait)', () => {
    const run = drive(blkbackMachine, input('kexec-patch-2006'), [
      ...toClosing,
      peer('Initialising'),
      switched('InitWait'),
    ]);
    expect(run.steps[run.steps.length - 2]?.effects).toEqual([
      { kind: 'log', message: 'prepare for reconnect' },
      { kind: 'switchState', state: 'InitWait' },
    ]);
    expect(run.snapshot.value).toBe('InitWait');
  });

  it('blkback [2006]: peer Initialising while own Closing does nothing', () => {
    const run = drive(blkbackMachine, input('linux-2006'), [...toClosing, peer('Initialising')]);
    expect(run.last).toEqual([]);
  });

  it('blkback [modern]: peer Initialising while own InitWait does nothing', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [...toInitWait, peer('Initialising')]);
    expect(run.last).toEqual([]);
  });
});

describe('blkback frontend_changed(Initialised | Connected) (§3.6, §7.1)', () => {
  for (const id of ['linux-modern', 'linux-2006'] as const) {
    it(`blkback [${PROFILES[id].label}]: peer Connected while own Connected does nothing (two watches in close succession)`, () => {
      const run = drive(blkbackMachine, input(id), [...toConnected, peer('Connected')]);
      expect(run.last).toEqual([]);
    });
  }

  it('blkback [modern]: peer Connected while own InitWait connects the ring (the missed Initialised)', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [...toInitWait, peer('Connected')]);
    expect(run.last).toEqual([{ kind: 'blkifDisconnect' }, { kind: 'connectRing' }]);
  });

  it('blkback [modern]: in-flight I/O refuses the reconnect with fatal -EBUSY "pending I/O"', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toClosing,
      { type: 'IO_INFLIGHT', count: 3 },
      peer('Initialised'),
    ]);
    expect(run.last).toEqual([
      { kind: 'blkifDisconnect' },
      { kind: 'devFatal', errno: 16, message: 'pending I/O' },
    ]);
  });

  it('blkback [modern]: a failed connect_ring reports its fatal error and does not connect', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toInitWait,
      peer('Initialised'),
      { type: 'RING_FAILED', errno: 22, message: 'unknown fe protocol x86_99-abi' },
    ]);
    expect(run.last).toEqual([{ kind: 'devFatal', errno: 22, message: 'unknown fe protocol x86_99-abi' }]);
  });

  it('blkback [modern]: a failed connect() transaction is fatal', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toConnected.slice(0, -2),
      { type: 'CONNECT_FAILED', errno: 12, message: 'ending transaction' },
    ]);
    expect(run.last).toEqual([{ kind: 'devFatal', errno: 12, message: 'ending transaction' }]);
  });
});

describe('blkback frontend_changed(Closing | Closed | Unknown | other) (§7.1, §7.2)', () => {
  it('blkback [modern]: peer Closing switches Closing', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [...toConnected, peer('Closing')]);
    expect(run.last).toEqual([{ kind: 'switchState', state: 'Closing' }]);
  });

  for (const id of ['linux-2006', 'kexec-patch-2006'] as const) {
    it(`blkback [${PROFILES[id].label}]: peer Closing disconnects the blkif and switches Closing`, () => {
      const run = drive(blkbackMachine, input(id), [...toConnected, peer('Closing')]);
      expect(run.last).toEqual([{ kind: 'blkifDisconnect' }, { kind: 'switchState', state: 'Closing' }]);
    });
  }

  for (const id of ['linux-2006', 'kexec-patch-2006'] as const) {
    it(`blkback [${PROFILES[id].label}]: peer Closed unregisters the device`, () => {
      const run = drive(blkbackMachine, input(id), [...toClosing, peer('Closed')]);
      expect(run.last).toEqual([{ kind: 'deviceUnregister' }]);
    });
  }

  for (const id of ['linux-modern', 'kexec-merged-2006'] as const) {
    it(`blkback [${PROFILES[id].label}]: peer Closed with online=1 disconnects, goes Closed and keeps the device`, () => {
      const run = drive(blkbackMachine, input(id), [
        ...toClosing,
        peer('Closed'),
        switched('Closed'),
        { type: 'ONLINE', value: true },
      ]);
      expect(run.steps[run.steps.length - 3]?.effects).toEqual([
        { kind: 'blkifDisconnect' },
        { kind: 'switchState', state: 'Closed' },
        { kind: 'readOnline' },
      ]);
      expect(run.last).toEqual([]);
      expect(run.snapshot.value).toBe('Closed');
    });

    it(`blkback [${PROFILES[id].label}]: peer Closed with online=0 unregisters the device after going Closed`, () => {
      const run = drive(blkbackMachine, input(id), [
        ...toClosing,
        peer('Closed'),
        switched('Closed'),
        { type: 'ONLINE', value: false },
      ]);
      expect(run.last).toEqual([{ kind: 'deviceUnregister' }]);
    });
  }

  it('blkback [modern]: an ONLINE answer nobody asked for changes nothing', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toConnected,
      { type: 'ONLINE', value: false },
    ]);
    expect(run.last).toEqual([]);
  });

  it('blkback [modern]: peer Unknown (frontend dir gone) unregisters the device', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [...toConnected, peer('Unknown')]);
    expect(run.last).toEqual([{ kind: 'deviceUnregister' }]);
  });

  it('blkback [2006]: peer Unknown hits the default branch: fatal "saw state 0 at frontend"', () => {
    const run = drive(blkbackMachine, input('linux-2006'), [...toConnected, peer('Unknown')]);
    expect(run.last).toEqual([{ kind: 'devFatal', errno: 22, message: 'saw state 0 at frontend' }]);
  });

  for (const id of ['linux-modern', 'linux-2006'] as const) {
    it(`blkback [${PROFILES[id].label}]: peer InitWait is fatal -EINVAL "saw state 2 at frontend"`, () => {
      const run = drive(blkbackMachine, input(id), [...toInitWait, peer('InitWait')]);
      expect(run.last).toEqual([{ kind: 'devFatal', errno: 22, message: 'saw state 2 at frontend' }]);
    });
  }
});

describe('blkback backend_changed and remove', () => {
  it('blkback: the first physical-device firing before hotplug is ignored', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toInitWait,
      { type: 'PHYSICAL_DEVICE_ABSENT' },
    ]);
    expect(run.last).toEqual([]);
  });

  it('blkback: a changed physical-device is refused with a warning; the same one is ignored', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toConnected,
      { type: 'PHYSICAL_DEVICE', major: 0xfe, minor: 0 },
      { type: 'PHYSICAL_DEVICE', major: 8, minor: 1 },
    ]);
    expect(run.steps[run.steps.length - 2]?.effects).toEqual([]);
    expect(run.last).toEqual([
      { kind: 'log', message: 'changing physical device (from fe:0 to 8:1) not supported.' },
    ]);
  });

  it('blkback: a failed xen_vbd_create is fatal and forgets the device', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [
      ...toInitWait,
      { type: 'PHYSICAL_DEVICE', major: 0xfe, minor: 0 },
      { type: 'VBD_FAILED', errno: 6 },
      { type: 'PHYSICAL_DEVICE', major: 0xfe, minor: 0 },
    ]);
    expect(run.steps[3]?.effects).toEqual([
      { kind: 'devFatal', errno: 6, message: 'creating vbd structure' },
    ]);
    expect(run.last).toEqual([{ kind: 'createVbd', major: 0xfe, minor: 0 }]);
  });

  it('blkback: REMOVE runs xen_blkbk_remove and ends the machine', () => {
    const run = drive(blkbackMachine, input('linux-modern'), [...toConnected, { type: 'REMOVE' }]);
    expect(run.last).toEqual([{ kind: 'blkbackRemove' }]);
    expect(run.snapshot.value).toBe('Removed');
    expect(run.snapshot.status).toBe('done');
  });
});

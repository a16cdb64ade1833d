import { describe, expect, it } from 'vitest';
import { PROFILES, type ProfileId } from '../sim/profiles';
import { drive } from './drive.test-support';
import { netbackMachine, type NetbackEvent } from './netbackMachine';
import { getBackendStatePath } from './setBackendState';
import type { XenbusStateName } from './xenbusState';

const input = (id: ProfileId) => ({ profile: PROFILES[id] });
const peer = (state: XenbusStateName): NetbackEvent => ({ type: 'OTHEREND_CHANGED', state });
const switched = (state: XenbusStateName): NetbackEvent => ({ type: 'SWITCHED', state });
const hotplug = (value: string): NetbackEvent => ({ type: 'HOTPLUG_STATUS', value });
const sw = (state: XenbusStateName) => ({ kind: 'switchState', state });

const toInitWait: NetbackEvent[] = [{ type: 'PROBE' }, switched('InitWait')];
/** S2 from the backend's side, [modern]: the Connected write waits for hotplug-status=connected */
const modernConnect: NetbackEvent[] = [
  ...toInitWait,
  peer('Connected'),
  { type: 'CONNECT_DONE' },
  hotplug(''),
  hotplug('connected'),
  switched('Connected'),
];
const connected2006: NetbackEvent[] = [
  ...toInitWait,
  peer('Connected'),
  { type: 'CONNECT_DONE' },
  switched('Connected'),
];

describe('netback set_backend_state() paths (xenbus.md §7.3)', () => {
  it('Initialising → Closed is one hop; every other target goes through InitWait', () => {
    expect(getBackendStatePath('Initialising', 'Closed').map((h) => h.to)).toEqual(['Closed']);
    expect(getBackendStatePath('Initialising', 'Connected').map((h) => h.to)).toEqual([
      'InitWait',
      'Connected',
    ]);
  });

  it('InitWait → Connected connects; InitWait → Closed goes via Closing', () => {
    expect(getBackendStatePath('InitWait', 'Connected')).toEqual([
      { to: 'Connected', connect: true, disconnect: false },
    ]);
    expect(getBackendStatePath('InitWait', 'Closed').map((h) => h.to)).toEqual(['Closing', 'Closed']);
  });

  it('leaving Connected always disconnects first, and Connected → InitWait is Closing → Closed → InitWait', () => {
    const path = getBackendStatePath('Connected', 'InitWait');
    expect(path.map((h) => h.to)).toEqual(['Closing', 'Closed', 'InitWait']);
    expect(path.map((h) => h.disconnect)).toEqual([true, false, false]);
  });

  it('Closing → InitWait and Closing → Connected go through Closed', () => {
    expect(getBackendStatePath('Closing', 'InitWait').map((h) => h.to)).toEqual(['Closed', 'InitWait']);
    expect(getBackendStatePath('Closing', 'Connected').map((h) => h.to)).toEqual([
      'Closed',
      'InitWait',
      'Connected',
    ]);
  });

  it('Closed → Closing is one hop; Closed → Connected goes through InitWait; the same state is no hop', () => {
    expect(getBackendStatePath('Closed', 'Closing').map((h) => h.to)).toEqual(['Closing']);
    expect(getBackendStatePath('Closed', 'Connected').map((h) => h.to)).toEqual(['InitWait', 'Connected']);
    expect(getBackendStatePath('Connected', 'Connected')).toEqual([]);
  });
});

describe('netback vif handshake (xenbus.md §5)', () => {
  it('netback [modern]: S2 connect keeps BE InitWait until hotplug-status reads connected', () => {
    const run = drive(netbackMachine, input('linux-modern'), modernConnect);
    expect(run.steps.map((s) => s.effects)).toEqual([
      [{ kind: 'writeNetbackFeatures' }, sw('InitWait'), { kind: 'createVif' }],
      [],
      [{ kind: 'netbackConnect' }],
      [{ kind: 'watchHotplugStatus' }],
      [],
      [sw('Connected'), { kind: 'unwatchHotplugStatus' }],
      [],
    ]);
    expect(run.steps.map((s) => s.value)).toEqual([
      'Initialising',
      'InitWait',
      'InitWait',
      'InitWait',
      'InitWait',
      'InitWait',
      'Connected',
    ]);
  });

  it('netback [2006]: S2 connect writes Connected straight after connect(), with no hotplug gate', () => {
    const run = drive(netbackMachine, input('linux-2006'), connected2006);
    expect(run.steps.map((s) => s.effects)).toEqual([
      [{ kind: 'writeNetbackFeatures' }, { kind: 'createVif' }, sw('InitWait')],
      [],
      [{ kind: 'netbackConnect' }],
      [sw('Connected')],
      [],
    ]);
    expect(run.snapshot.value).toBe('Connected');
  });

  it('netback [modern]: a hotplug-status event without a watch is ignored', () => {
    const run = drive(netbackMachine, input('linux-modern'), [...toInitWait, hotplug('connected')]);
    expect(run.last).toEqual([]);
  });

  it('netback [modern]: a failed connect() is fatal, and set_backend_state still records Connected', () => {
    const run = drive(netbackMachine, input('linux-modern'), [
      ...toInitWait,
      peer('Connected'),
      { type: 'CONNECT_FAILED', errno: 22, message: 'reading ring references' },
    ]);
    expect(run.last).toEqual([
      { kind: 'devFatal', errno: 22, message: 'reading ring references' },
      sw('Connected'),
    ]);
  });

  it('netback [2006]: a failed connect() is fatal and does not switch Connected', () => {
    const run = drive(netbackMachine, input('linux-2006'), [
      ...toInitWait,
      peer('Connected'),
      { type: 'CONNECT_FAILED', errno: 22, message: 'mapping shared-frames' },
    ]);
    expect(run.last).toEqual([{ kind: 'devFatal', errno: 22, message: 'mapping shared-frames' }]);
  });
});

describe('netback [modern] frontend_changed() targets (§7.3)', () => {
  const modern = input('linux-modern');

  it('netback [modern]: peer Closing while Connected disconnects, then Closing', () => {
    const run = drive(netbackMachine, modern, [...modernConnect, peer('Closing')]);
    expect(run.last).toEqual([{ kind: 'backendDisconnect' }, sw('Closing')]);
  });

  it('netback [modern]: peer Closed while InitWait walks Closing → Closed and reads online', () => {
    const run = drive(netbackMachine, modern, [...toInitWait, peer('Closed')]);
    expect(run.last).toEqual([sw('Closing'), sw('Closed'), { kind: 'readOnline' }]);
  });

  it('netback [modern]: peer Closed with online=1 keeps the device', () => {
    const run = drive(netbackMachine, modern, [
      ...toInitWait,
      peer('Closed'),
      { type: 'ONLINE', value: true },
    ]);
    expect(run.last).toEqual([]);
  });

  it('netback [modern]: peer Closed with online=0 unregisters the device', () => {
    const run = drive(netbackMachine, modern, [
      ...toInitWait,
      peer('Closed'),
      { type: 'ONLINE', value: false },
    ]);
    expect(run.last).toEqual([{ kind: 'deviceUnregister' }]);
  });

  it('netback [modern]: peer Unknown walks to Closed and unregisters', () => {
    const run = drive(netbackMachine, modern, [...modernConnect, peer('Unknown')]);
    expect(run.last).toEqual([
      { kind: 'backendDisconnect' },
      sw('Closing'),
      sw('Closed'),
      { kind: 'deviceUnregister' },
    ]);
  });

  it('netback [modern]: peer Initialising after kexec takes BE Closed → InitWait (reconnect)', () => {
    const run = drive(netbackMachine, modern, [
      ...modernConnect,
      peer('Closing'),
      switched('Closing'),
      peer('Closed'),
      switched('Closed'),
      { type: 'ONLINE', value: true },
      peer('Initialising'),
    ]);
    expect(run.last).toEqual([sw('InitWait')]);
  });

  it('netback [modern]: peer Connected while own Connected does nothing', () => {
    const run = drive(netbackMachine, modern, [...modernConnect, peer('Connected')]);
    expect(run.last).toEqual([]);
  });

  it('netback [modern]: peer Initialising while Connected walks down to InitWait via Closing and Closed', () => {
    const run = drive(netbackMachine, modern, [...modernConnect, peer('Initialising')]);
    expect(run.last).toEqual([{ kind: 'backendDisconnect' }, sw('Closing'), sw('Closed'), sw('InitWait')]);
  });

  it('netback [modern]: peer Initialised does nothing', () => {
    const run = drive(netbackMachine, modern, [...toInitWait, peer('Initialised')]);
    expect(run.last).toEqual([]);
  });

  it('netback [modern]: peer InitWait is fatal "saw state 2 at frontend"', () => {
    const run = drive(netbackMachine, modern, [...toInitWait, peer('InitWait')]);
    expect(run.last).toEqual([{ kind: 'devFatal', errno: 22, message: 'saw state 2 at frontend' }]);
  });

  it('netback [modern]: hops while the hotplug-status watch exists are deferred, then the last one is written', () => {
    const run = drive(netbackMachine, modern, [
      ...toInitWait,
      peer('Connected'),
      { type: 'CONNECT_DONE' },
      peer('Closing'),
      hotplug('connected'),
    ]);
    expect(run.steps[run.steps.length - 2]?.effects).toEqual([{ kind: 'backendDisconnect' }]);
    expect(run.last).toEqual([sw('Closing'), { kind: 'unwatchHotplugStatus' }]);
  });
});

describe('netback [2006 trees] frontend_changed() (§5.2, §7.3; kexec-handover.md §2)', () => {
  const closing = (id: ProfileId) => drive(netbackMachine, input(id), [...connected2006, peer('Closing')]);

  for (const id of ['linux-2006', 'kexec-patch-2006', 'kexec-merged-2006'] as const) {
    it(`netback [${PROFILES[id].label}]: peer Closing switches Closing`, () => {
      expect(closing(id).last).toEqual([sw('Closing')]);
    });

    it(`netback [${PROFILES[id].label}]: peer Initialised does nothing`, () => {
      expect(drive(netbackMachine, input(id), [...toInitWait, peer('Initialised')]).last).toEqual([]);
    });
  }

  for (const id of ['linux-2006', 'kexec-patch-2006'] as const) {
    it(`netback [${PROFILES[id].label}]: peer Closed unregisters the device at once`, () => {
      const run = drive(netbackMachine, input(id), [...connected2006, peer('Closed')]);
      expect(run.last).toEqual([{ kind: 'deviceUnregister' }]);
    });
  }

  it('netback [2006-merged]: peer Closed switches Closed and unregisters only when offline', () => {
    const run = drive(netbackMachine, input('kexec-merged-2006'), [
      ...connected2006,
      peer('Closed'),
      { type: 'ONLINE', value: false },
    ]);
    expect(run.steps[run.steps.length - 2]?.effects).toEqual([sw('Closed'), { kind: 'readOnline' }]);
    expect(run.last).toEqual([{ kind: 'deviceUnregister' }]);
  });

  it('netback [2006]: peer Initialising while own Closing does nothing', () => {
    const run = drive(netbackMachine, input('linux-2006'), [
      ...connected2006,
      peer('Closing'),
      switched('Closing'),
      peer('Initialising'),
    ]);
    expect(run.last).toEqual([]);
  });

  it('netback [2006-RFC]: peer Initialising while own Closing drops the interface and recreates it on Connected', () => {
    const run = drive(netbackMachine, input('kexec-patch-2006'), [
      ...connected2006,
      peer('Closing'),
      switched('Closing'),
      peer('Initialising'),
      switched('InitWait'),
      peer('Connected'),
    ]);
    expect(run.steps[run.steps.length - 3]?.effects).toEqual([
      { kind: 'log', message: 'prepare for reconnect' },
      { kind: 'destroyVif' },
      sw('InitWait'),
    ]);
    expect(run.last).toEqual([{ kind: 'createVif' }, { kind: 'netbackConnect' }]);
  });

  it('netback [2006-merged]: peer Initialising while own Closed prepares for reconnect', () => {
    const run = drive(netbackMachine, input('kexec-merged-2006'), [
      ...connected2006,
      peer('Closed'),
      switched('Closed'),
      { type: 'ONLINE', value: true },
      peer('Initialising'),
    ]);
    expect(run.last).toEqual([
      { kind: 'log', message: 'prepare for reconnect' },
      { kind: 'destroyVif' },
      sw('InitWait'),
    ]);
  });

  it('netback [2006]: peer Connected while own Connected does nothing', () => {
    expect(drive(netbackMachine, input('linux-2006'), [...connected2006, peer('Connected')]).last).toEqual(
      [],
    );
  });

  it('netback [2006]: peer Reconfiguring is fatal "saw state 7 at frontend"', () => {
    const run = drive(netbackMachine, input('linux-2006'), [...toInitWait, peer('Reconfiguring')]);
    expect(run.last).toEqual([{ kind: 'devFatal', errno: 22, message: 'saw state 7 at frontend' }]);
  });

  it('netback [2006]: REMOVE frees the device and nothing revives it', () => {
    const run = drive(netbackMachine, input('linux-2006'), [
      ...connected2006,
      { type: 'REMOVE' },
      peer('Closing'),
    ]);
    expect(run.steps[run.steps.length - 2]?.effects).toEqual([{ kind: 'netbackRemove' }]);
    expect(run.last).toEqual([]);
    expect(run.snapshot.value).toBe('Removed');
  });
});

import { describe, expect, it } from 'vitest';
import { PROFILES } from '../sim/profiles';
import { blkbackMachine, type BlkbackEvent } from './blkbackMachine';
import { blkfrontMachine, type BlkfrontEvent } from './blkfrontMachine';
import { drive } from './drive.test-support';
import { netbackMachine, type NetbackEvent } from './netbackMachine';
import { netfrontMachine, type NetfrontEvent } from './netfrontMachine';
import { runMachineStep } from './runStep';

const backendEvents: BlkbackEvent[] = [
  { type: 'PROBE' },
  { type: 'SWITCHED', state: 'InitWait' },
  { type: 'OTHEREND_CHANGED', state: 'Initialised' },
  { type: 'PHYSICAL_DEVICE', major: 0xfe, minor: 0 },
  { type: 'VBD_CREATED' },
  { type: 'RING_CONNECTED' },
  { type: 'CONNECTED_TX_DONE' },
  { type: 'SWITCHED', state: 'Connected' },
  { type: 'OTHEREND_CHANGED', state: 'Closing' },
  { type: 'SWITCHED', state: 'Closing' },
  { type: 'OTHEREND_CHANGED', state: 'Closed' },
  { type: 'SWITCHED', state: 'Closed' },
  { type: 'ONLINE', value: true },
  { type: 'OTHEREND_CHANGED', state: 'Initialising' },
];
const netbackEvents: NetbackEvent[] = [
  { type: 'PROBE' },
  { type: 'SWITCHED', state: 'InitWait' },
  { type: 'OTHEREND_CHANGED', state: 'Connected' },
  { type: 'CONNECT_DONE' },
  { type: 'HOTPLUG_STATUS', value: 'connected' },
  { type: 'SWITCHED', state: 'Connected' },
  { type: 'OTHEREND_CHANGED', state: 'Closing' },
  { type: 'SWITCHED', state: 'Closing' },
  { type: 'OTHEREND_CHANGED', state: 'Closed' },
  { type: 'SWITCHED', state: 'Closed' },
  { type: 'ONLINE', value: true },
  { type: 'OTHEREND_CHANGED', state: 'Initialising' },
];
const frontendEvents: BlkfrontEvent[] = [
  { type: 'PROBE' },
  { type: 'TALK_DONE' },
  { type: 'SWITCHED', state: 'Initialised' },
  { type: 'OTHEREND_CHANGED', state: 'Connected' },
  { type: 'DISK_READY' },
  { type: 'SWITCHED', state: 'Connected' },
  { type: 'DISK_OPENED' },
  { type: 'SHUTDOWN' },
  { type: 'SWITCHED', state: 'Closing' },
  { type: 'OTHEREND_CHANGED', state: 'Closing' },
  { type: 'SWITCHED', state: 'Initialising' },
  { type: 'DOWN_COMPLETED' },
];
const netfrontEvents: NetfrontEvent[] = [
  { type: 'PROBE' },
  { type: 'OTHEREND_CHANGED', state: 'InitWait' },
  { type: 'CONNECT_DONE' },
  { type: 'SWITCHED', state: 'Connected' },
  { type: 'OTHEREND_CHANGED', state: 'Connected' },
  { type: 'SHUTDOWN' },
  { type: 'SWITCHED', state: 'Closing' },
  { type: 'OTHEREND_CHANGED', state: 'Closing' },
  { type: 'SWITCHED', state: 'Initialising' },
  { type: 'DOWN_COMPLETED' },
  { type: 'OTHEREND_CHANGED', state: 'InitWait' },
];

describe('determinism', () => {
  it('the same event list twice gives identical snapshots and effects (blkback, every profile)', () => {
    for (const profile of Object.values(PROFILES)) {
      const a = drive(blkbackMachine, { profile }, backendEvents);
      const b = drive(blkbackMachine, { profile }, backendEvents);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('the same event list twice gives identical snapshots and effects (blkfront, every profile)', () => {
    for (const profile of Object.values(PROFILES)) {
      const a = drive(blkfrontMachine, { profile }, frontendEvents);
      const b = drive(blkfrontMachine, { profile }, frontendEvents);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('the same event list twice gives identical snapshots and effects (netback, every profile)', () => {
    for (const profile of Object.values(PROFILES)) {
      const a = drive(netbackMachine, { profile }, netbackEvents);
      const b = drive(netbackMachine, { profile }, netbackEvents);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('the same event list twice gives identical snapshots and effects (netfront, every profile)', () => {
    for (const profile of Object.values(PROFILES)) {
      const a = drive(netfrontMachine, { profile }, netfrontEvents);
      const b = drive(netfrontMachine, { profile }, netfrontEvents);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('a persisted snapshot survives a JSON round trip and continues identically', () => {
    const profile = PROFILES['linux-modern'];
    const half = drive(blkbackMachine, { profile }, backendEvents.slice(0, 7));
    const revived = JSON.parse(JSON.stringify(half.snapshot)) as typeof half.snapshot;
    const direct = runMachineStep(blkbackMachine, half.snapshot, { type: 'SWITCHED', state: 'Connected' });
    const viaJson = runMachineStep(blkbackMachine, revived, { type: 'SWITCHED', state: 'Connected' });
    expect(viaJson).toEqual(direct);
  });

  it('runMachineStep refuses to start an actor without input', () => {
    expect(() => runMachineStep(blkbackMachine, null, { type: 'PROBE' })).toThrow(TypeError);
  });
});

import { describe, expect, it } from 'vitest';
import { PROFILES, type ProfileId } from '../sim/profiles';
import { blkfrontMachine, type BlkfrontEvent } from './blkfrontMachine';
import { drive } from './drive.test-support';

const input = (id: ProfileId) => ({ profile: PROFILES[id] });
type StateName = Extract<BlkfrontEvent, { type: 'SWITCHED' }>['state'];
const peer = (state: StateName): BlkfrontEvent => ({ type: 'OTHEREND_CHANGED', state });
const switched = (state: StateName): BlkfrontEvent => ({ type: 'SWITCHED', state });

/** S1 from the frontend's side, [modern]: probe, wait for InitWait, talk, Initialised, Connected */
const modernToConnected: BlkfrontEvent[] = [
  { type: 'PROBE' },
  peer('InitWait'),
  { type: 'TALK_DONE' },
  switched('Initialised'),
  peer('Connected'),
  { type: 'DISK_READY' },
  switched('Connected'),
];
/** S1 from the frontend's side, [2006]: talk straight from probe */
const oldToConnected: BlkfrontEvent[] = [
  { type: 'PROBE' },
  { type: 'TALK_DONE' },
  switched('Initialised'),
  peer('InitWait'),
  peer('Connected'),
  { type: 'DISK_READY' },
  switched('Connected'),
];
const toConnected = (id: ProfileId): BlkfrontEvent[] =>
  PROFILES[id].blkfront.waitsForInitWait ? modernToConnected : oldToConnected;

describe('blkfront handshake (xenbus.md §4.1, §4.2)', () => {
  it('blkfront [modern]: S1 handshake waits for InitWait, talks, connects', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), modernToConnected);
    expect(run.steps.map((s) => s.effects)).toEqual([
      [],
      [{ kind: 'talkToBlkback' }],
      [{ kind: 'switchState', state: 'Initialised' }],
      [],
      [{ kind: 'blkfrontConnect', resize: false }],
      [{ kind: 'switchState', state: 'Connected' }, { kind: 'addDisk' }],
      [],
    ]);
    expect(run.snapshot.value).toBe('Connected');
  });

  it('blkfront [2006]: S1 handshake talks to the backend straight from probe and ignores InitWait', () => {
    const run = drive(blkfrontMachine, input('linux-2006'), oldToConnected);
    expect(run.steps.map((s) => s.effects)).toEqual([
      [{ kind: 'talkToBlkback' }],
      [{ kind: 'switchState', state: 'Initialised' }],
      [],
      [],
      [{ kind: 'blkfrontConnect', resize: false }],
      [{ kind: 'switchState', state: 'Connected' }, { kind: 'addDisk' }],
      [],
    ]);
    expect(run.snapshot.value).toBe('Connected');
  });

  it('blkfront [modern]: probe alone writes nothing', () => {
    expect(drive(blkfrontMachine, input('linux-modern'), [{ type: 'PROBE' }]).last).toEqual([]);
  });
});

describe('blkfront blkback_changed (§7.4)', () => {
  it('blkfront [modern]: peer InitWait while own Initialised does nothing', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [
      ...modernToConnected.slice(0, 4),
      peer('InitWait'),
    ]);
    expect(run.last).toEqual([]);
  });

  it('blkfront [modern]: peer Connected while own Initialising talks first, then connects (missed InitWait)', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [
      { type: 'PROBE' },
      peer('Connected'),
      { type: 'TALK_DONE' },
    ]);
    expect(run.steps[1]?.effects).toEqual([{ kind: 'talkToBlkback' }]);
    expect(run.last).toEqual([
      { kind: 'switchState', state: 'Initialised' },
      { kind: 'blkfrontConnect', resize: false },
    ]);
  });

  it('blkfront [modern]: peer Connected while own Connected re-reads the size (online resize)', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [...modernToConnected, peer('Connected')]);
    expect(run.last).toEqual([{ kind: 'blkfrontConnect', resize: true }]);
  });

  it('blkfront [2006]: peer Connected while own Connected does nothing', () => {
    const run = drive(blkfrontMachine, input('linux-2006'), [...oldToConnected, peer('Connected')]);
    expect(run.last).toEqual([]);
  });

  for (const state of ['Initialising', 'Initialised', 'Reconfiguring', 'Reconfigured', 'Unknown'] as const) {
    it(`blkfront [modern]: peer ${state} does nothing`, () => {
      const run = drive(blkfrontMachine, input('linux-modern'), [...modernToConnected, peer(state)]);
      expect(run.last).toEqual([]);
    });
  }

  it('blkfront [modern]: peer Closing closes with xenbus_frontend_closed', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [
      ...modernToConnected,
      peer('Closing'),
      switched('Closed'),
    ]);
    expect(run.steps[run.steps.length - 2]?.effects).toEqual([
      { kind: 'blkfrontClosing' },
      { kind: 'frontendClosed' },
    ]);
    expect(run.snapshot.value).toBe('Closed');
  });

  it('blkfront [modern]: peer Closing closes even while the disk is open', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [
      ...modernToConnected,
      { type: 'DISK_OPENED' },
      peer('Closing'),
    ]);
    expect(run.last).toEqual([{ kind: 'blkfrontClosing' }, { kind: 'frontendClosed' }]);
  });

  it('blkfront [modern]: peer Closed is treated as Closing unless own Closed', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [...modernToConnected, peer('Closed')]);
    expect(run.last).toEqual([{ kind: 'blkfrontClosing' }, { kind: 'frontendClosed' }]);
    const after = drive(blkfrontMachine, input('linux-modern'), [
      ...modernToConnected,
      peer('Closing'),
      switched('Closed'),
      peer('Closed'),
    ]);
    expect(after.last).toEqual([]);
  });

  it('blkfront [2006]: peer Closed does nothing', () => {
    const run = drive(blkfrontMachine, input('linux-2006'), [...oldToConnected, peer('Closed')]);
    expect(run.last).toEqual([]);
  });

  it('blkfront [2006]: peer Closing with the disk closed switches Closed', () => {
    const run = drive(blkfrontMachine, input('linux-2006'), [...oldToConnected, peer('Closing')]);
    expect(run.last).toEqual([{ kind: 'blkfrontClosing' }, { kind: 'switchState', state: 'Closed' }]);
  });

  for (const id of ['linux-2006', 'kexec-patch-2006', 'kexec-merged-2006'] as const) {
    it(`blkfront [${PROFILES[id].label}]: peer Closing while in use refuses (-EBUSY) and the last close finishes it`, () => {
      const run = drive(blkfrontMachine, input(id), [
        ...toConnected(id),
        { type: 'DISK_OPENED' },
        peer('Closing'),
        switched('Closing'),
        { type: 'DISK_RELEASED' },
      ]);
      expect(run.steps[run.steps.length - 3]?.effects).toEqual([
        { kind: 'devError', errno: 16, message: 'Device in use; refusing to close' },
        { kind: 'switchState', state: 'Closing' },
      ]);
      expect(run.last[0]).toEqual({ kind: 'blkfrontClosing' });
      expect(run.last).toHaveLength(2);
    });
  }

  it('blkfront [2006-RFC]: peer Closing outside shutdown ends in Closed (xenbus_closing_done)', () => {
    const run = drive(blkfrontMachine, input('kexec-patch-2006'), [...oldToConnected, peer('Closing')]);
    expect(run.last).toEqual([{ kind: 'blkfrontClosing' }, { kind: 'closingDone', state: 'Closed' }]);
  });

  it('blkfront: a failed talk_to_blkback or blkfront_connect is fatal', () => {
    const run = drive(blkfrontMachine, input('linux-2006'), [
      { type: 'PROBE' },
      { type: 'TALK_FAILED', errno: 28, message: 'allocating event channel' },
    ]);
    expect(run.last).toEqual([{ kind: 'devFatal', errno: 28, message: 'allocating event channel' }]);
  });

  it('blkfront: REMOVE runs blkfront_remove, switches Closed and ends the machine', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [...modernToConnected, { type: 'REMOVE' }]);
    expect(run.last).toEqual([{ kind: 'blkfrontRemove' }, { kind: 'switchState', state: 'Closed' }]);
    expect(run.snapshot.status).toBe('done');
  });
});

describe('frontend bus shutdown hook (§3.7, kexec-handover.md §2, §3)', () => {
  it('blkfront [2006]: there is no shutdown hook', () => {
    const run = drive(blkfrontMachine, input('linux-2006'), [...oldToConnected, { type: 'SHUTDOWN' }]);
    expect(run.last).toEqual([{ kind: 'shutdownDone', outcome: 'no-hook' }]);
  });

  it('blkfront [modern]: shutdown of a device not Connected logs and skips it', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [{ type: 'PROBE' }, { type: 'SHUTDOWN' }]);
    expect(run.last).toEqual([
      { kind: 'log', message: 'Initialising != Connected, skipping' },
      { kind: 'shutdownDone', outcome: 'skipped' },
    ]);
  });

  it('blkfront [2006-RFC]: peer Closing during shutdown ends in Initialising', () => {
    const run = drive(blkfrontMachine, input('kexec-patch-2006'), [
      ...oldToConnected,
      { type: 'DISK_OPENED' },
      { type: 'SHUTDOWN' },
      switched('Closing'),
      peer('Closing'),
      switched('Initialising'),
      { type: 'DOWN_COMPLETED' },
    ]);
    const effects = run.steps.slice(-5).map((s) => s.effects);
    expect(effects[0]).toEqual([
      { kind: 'switchState', state: 'Closing' },
      { kind: 'armShutdownTimeout', ms: 5000 },
    ]);
    expect(effects[2]).toEqual([{ kind: 'blkfrontClosing' }, { kind: 'closingDone', state: 'Initialising' }]);
    expect(run.last).toEqual([
      { kind: 'cancelShutdownTimeout' },
      { kind: 'shutdownDone', outcome: 'closed' },
    ]);
    expect(run.snapshot.value).toBe('Initialising');
  });

  for (const id of ['linux-modern', 'kexec-merged-2006'] as const) {
    it(`blkfront [${PROFILES[id].label}]: shutdown switches Closing, the core's xenbus_frontend_closed ends it in Closed`, () => {
      const run = drive(blkfrontMachine, input(id), [
        ...toConnected(id),
        { type: 'SHUTDOWN' },
        switched('Closing'),
        switched('Closed'),
        { type: 'DOWN_COMPLETED' },
      ]);
      expect(run.steps[run.steps.length - 4]?.effects).toEqual([
        { kind: 'switchState', state: 'Closing' },
        { kind: 'armShutdownTimeout', ms: 5000 },
      ]);
      expect(run.last).toEqual([
        { kind: 'cancelShutdownTimeout' },
        { kind: 'shutdownDone', outcome: 'closed' },
      ]);
      expect(run.snapshot.value).toBe('Closed');
    });
  }

  it('blkfront [modern]: a backend that never answers costs the 5 s timeout and leaves the device Closing', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [
      ...modernToConnected,
      { type: 'SHUTDOWN' },
      switched('Closing'),
      { type: 'SHUTDOWN_TIMEOUT' },
      { type: 'DOWN_COMPLETED' },
    ]);
    expect(run.steps[run.steps.length - 2]?.effects).toEqual([
      { kind: 'log', message: 'timeout closing device' },
      { kind: 'shutdownDone', outcome: 'timeout' },
    ]);
    expect(run.last).toEqual([]);
    expect(run.snapshot.value).toBe('Closing');
  });
});

describe('blkfront PM restore (kexec jump, kexec-handover.md §7.3)', () => {
  it("[modern] resume from Connected: new ring, FE→Initialised, then blkif_recover on the backend's Connected", () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [
      ...modernToConnected,
      { type: 'RESUME' },
      { type: 'TALK_DONE' },
      switched('Initialised'),
      peer('Connected'),
      switched('Connected'),
    ]);
    const tail = run.steps.slice(-5);
    expect(tail.map((s) => s.value)).toEqual([
      'Initialising',
      'Initialising',
      'Initialised',
      'Initialised',
      'Connected',
    ]);
    expect(tail.map((s) => s.effects)).toEqual([
      [{ kind: 'blkfrontResume' }, { kind: 'talkToBlkback' }],
      [{ kind: 'switchState', state: 'Initialised' }],
      [],
      [{ kind: 'blkifRecover' }],
      [],
    ]);
  });

  it('resume from a state other than Connected connects normally afterwards (no recover)', () => {
    const run = drive(blkfrontMachine, input('linux-modern'), [
      { type: 'PROBE' },
      { type: 'RESUME' },
      { type: 'TALK_DONE' },
      switched('Initialised'),
      peer('Connected'),
    ]);
    expect(run.last).toEqual([{ kind: 'blkfrontConnect', resize: false }]);
  });
});

import type { Snapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import { PROFILES, type ProfileId } from '../sim/profiles';
import { kexecMachine, type KexecContext, type KexecEffect, type KexecEvent } from './kexecMachine';
import { getKexecEffectKind, runKexecStep, type KexecStepResult } from './kexecStep';
import type { JumpPolicy, KexecInput } from './kexecTypes';

const input = (jumpPolicy: JumpPolicy, id: ProfileId = 'linux-modern'): KexecInput => ({
  profile: PROFILES[id],
  jumpPolicy,
});

interface Run {
  snapshot: Snapshot<unknown> & { value?: unknown; context?: unknown; status?: string };
  values: unknown[];
  effects: KexecEffect[][];
}

/** Drive the kexec machine from a fresh actor, one runKexecStep per event (JSON round trip in between). */
function drive(kexecInput: KexecInput, events: readonly KexecEvent[]): Run {
  let snapshot: Snapshot<unknown> | null = null;
  const values: unknown[] = [];
  const effects: KexecEffect[][] = [];
  for (const event of events) {
    const revived: Snapshot<unknown> | null =
      snapshot === null ? null : (JSON.parse(JSON.stringify(snapshot)) as Snapshot<unknown>);
    const result: KexecStepResult = runKexecStep(kexecMachine, revived, event, kexecInput);
    snapshot = result.snapshot;
    values.push((result.snapshot as { value?: unknown }).value);
    effects.push(result.effects);
  }
  if (snapshot === null) throw new TypeError('drive: no events');
  return { snapshot, values, effects };
}
const contextOf = (run: Run): KexecContext => run.snapshot.context as KexecContext;

const load = (kind: 'kexec' | 'kdump' | 'jump'): KexecEvent => ({ type: 'LOAD', image: 'K2', kind });
const EXECUTE: KexecEvent = { type: 'EXECUTE' };
const DEVICES_DOWN: KexecEvent = { type: 'DEVICES_DOWN' };
const BOOTED: KexecEvent = { type: 'BOOTED' };
const FROZEN: KexecEvent = { type: 'FROZEN' };
const JUMP_BACK: KexecEvent = { type: 'JUMP_BACK' };
const RESTORED: KexecEvent = { type: 'RESTORED' };
const REATTACHED: KexecEvent = { type: 'REATTACHED' };
const PANIC: KexecEvent = { type: 'PANIC', message: 'Fatal exception' };

const jumpTo = (image: string): KexecEffect[] => [
  { kind: 'log', message: `kexec: jumping to ${image}` },
  { kind: 'machineKexec', image, preserveContext: true },
];
const freeze: KexecEffect[] = [{ kind: 'freezeProcesses' }, { kind: 'dpmSuspend', msg: 'PMSG_FREEZE' }];

describe('plain kexec (kexec -l, kexec -e; kexec-handover.md §7.1, S9 a)', () => {
  it('shuts the devices down, then starts the new kernel and hands the domain over', () => {
    const run = drive(input('pm-freeze'), [load('kexec'), EXECUTE, DEVICES_DOWN, BOOTED]);
    expect(run.values).toEqual(['loaded', 'shuttingDown', 'bootingSuccessor', 'handedOver']);
    expect(run.effects).toEqual([
      [],
      [{ kind: 'kernelRestartPrepare' }, { kind: 'deviceShutdown' }],
      [
        { kind: 'log', message: 'Starting new kernel' },
        { kind: 'machineShutdown' },
        { kind: 'machineKexec', image: 'K2', preserveContext: false },
      ],
      [],
    ]);
    expect(run.snapshot.status).toBe('done');
  });

  it('[2006-RFC] unwatches everything with xs_suspend before machine_kexec', () => {
    const run = drive(input('pm-freeze', 'kexec-patch-2006'), [load('kexec'), EXECUTE, DEVICES_DOWN]);
    expect(run.effects[2]).toEqual([
      { kind: 'xsSuspend' },
      { kind: 'log', message: 'Starting new kernel' },
      { kind: 'machineShutdown' },
      { kind: 'machineKexec', image: 'K2', preserveContext: false },
    ]);
  });

  it('does not depend on the jump policy', () => {
    const events = [load('kexec'), EXECUTE, DEVICES_DOWN, BOOTED];
    const base = drive(input('pm-freeze'), events);
    for (const policy of ['fail-early', 'unplug-replug'] as const) {
      const run = drive(input(policy), events);
      expect([run.values, run.effects]).toEqual([base.values, base.effects]);
    }
  });

  it('the successor only takes over after BOOTED', () => {
    const run = drive(input('pm-freeze'), [load('kexec'), EXECUTE, DEVICES_DOWN, DEVICES_DOWN, JUMP_BACK]);
    expect(run.values.slice(2)).toEqual(['bootingSuccessor', 'bootingSuccessor', 'bootingSuccessor']);
    expect(run.effects.slice(3)).toEqual([[], []]);
  });
});

describe('kdump (kexec -p, panic; S9 b)', () => {
  it('panic goes through machine_crash_shutdown to the crash kernel without device_shutdown', () => {
    const run = drive(input('pm-freeze'), [load('kdump'), PANIC, BOOTED]);
    expect(run.values).toEqual(['loaded', 'bootingCrashKernel', 'handedOver']);
    expect(run.effects).toEqual([
      [],
      [
        { kind: 'log', message: 'Kernel panic - not syncing: Fatal exception' },
        { kind: 'machineCrashShutdown' },
        { kind: 'machineKexec', image: 'K2', preserveContext: false },
      ],
      [],
    ]);
    expect(run.snapshot.status).toBe('done');
  });

  it('kexec -e with only a crash kernel loaded does nothing', () => {
    const run = drive(input('pm-freeze'), [load('kdump'), EXECUTE]);
    expect(run.values[1]).toBe('loaded');
    expect(run.effects[1]).toEqual([]);
  });

  it('a panic without a crash kernel loaded does not kexec', () => {
    for (const kind of ['kexec', 'jump'] as const) {
      const run = drive(input('pm-freeze'), [load(kind), PANIC]);
      expect(run.values[1]).toBe('loaded');
      expect(run.effects[1]).toEqual([]);
    }
  });
});

describe('kexec jump, pm-freeze (Linux today; S14)', () => {
  it('freezes, jumps, and on the way back restores, thaws and keeps the image loaded', () => {
    const run = drive(input('pm-freeze'), [load('jump'), EXECUTE, FROZEN, BOOTED, JUMP_BACK, RESTORED]);
    expect(run.values).toEqual([
      'loaded',
      'freezing',
      { inSuccessor: 'booting' },
      { inSuccessor: 'running' },
      'restoring',
      'loaded',
    ]);
    expect(run.effects).toEqual([
      [],
      freeze,
      jumpTo('K2'),
      [],
      [{ kind: 'dpmResume', msg: 'PMSG_RESTORE' }],
      [{ kind: 'thawProcesses' }],
    ]);
    expect(contextOf(run)).toMatchObject({ image: 'K2', kind: 'jump', lastError: null });
  });

  it('can jump again after returning', () => {
    const run = drive(input('pm-freeze'), [
      load('jump'),
      EXECUTE,
      FROZEN,
      BOOTED,
      JUMP_BACK,
      RESTORED,
      EXECUTE,
    ]);
    expect(run.values[6]).toBe('freezing');
    expect(run.effects[6]).toEqual(freeze);
  });
});

describe('kexec jump, fail-early (Biederman a; S14)', () => {
  it('refuses when a device cannot be reattached: logs the device, nothing else changes', () => {
    const run = drive(input('fail-early'), [
      load('jump'),
      EXECUTE,
      { type: 'REATTACH_CHECKED', ok: false, blocker: 'vbd-51712' },
    ]);
    expect(run.values).toEqual(['loaded', 'checkingReattach', 'loaded']);
    expect(run.effects).toEqual([
      [],
      [{ kind: 'checkReattach' }],
      [{ kind: 'log', message: 'kexec: vbd-51712 cannot be reattached after a jump; kexec jump refused' }],
    ]);
    expect(contextOf(run)).toMatchObject({
      image: 'K2',
      kind: 'jump',
      lastError: 'vbd-51712 cannot be reattached',
    });
  });

  it('the next attempt clears the last error', () => {
    const run = drive(input('fail-early'), [
      load('jump'),
      EXECUTE,
      { type: 'REATTACH_CHECKED', ok: false, blocker: 'vif-0' },
      EXECUTE,
    ]);
    expect(run.values[3]).toBe('checkingReattach');
    expect(contextOf(run).lastError).toBeNull();
  });

  it('when every device can be reattached it continues as pm-freeze', () => {
    const run = drive(input('fail-early'), [
      load('jump'),
      EXECUTE,
      { type: 'REATTACH_CHECKED', ok: true },
      FROZEN,
      BOOTED,
      JUMP_BACK,
      RESTORED,
    ]);
    expect(run.values).toEqual([
      'loaded',
      'checkingReattach',
      'freezing',
      { inSuccessor: 'booting' },
      { inSuccessor: 'running' },
      'restoring',
      'loaded',
    ]);
    expect(run.effects).toEqual([
      [],
      [{ kind: 'checkReattach' }],
      freeze,
      jumpTo('K2'),
      [],
      [{ kind: 'dpmResume', msg: 'PMSG_RESTORE' }],
      [{ kind: 'thawProcesses' }],
    ]);
  });
});

describe('kexec jump, unplug-replug (Biederman b; S14)', () => {
  it('detaches every device, jumps, and reattaches them on return', () => {
    const run = drive(input('unplug-replug'), [
      load('jump'),
      EXECUTE,
      DEVICES_DOWN,
      BOOTED,
      JUMP_BACK,
      REATTACHED,
    ]);
    expect(run.values).toEqual([
      'loaded',
      'detaching',
      { inSuccessor: 'booting' },
      { inSuccessor: 'running' },
      'reattaching',
      'loaded',
    ]);
    expect(run.effects).toEqual([
      [],
      [{ kind: 'deviceDetach' }],
      jumpTo('K2'),
      [],
      [{ kind: 'deviceReattach' }],
      [],
    ]);
    expect(contextOf(run)).toMatchObject({ image: 'K2', kind: 'jump' });
  });

  it('does not freeze or use the PM callbacks', () => {
    const run = drive(input('unplug-replug'), [load('jump'), EXECUTE, DEVICES_DOWN, BOOTED, JUMP_BACK]);
    const kinds = run.effects.flat().map((e) => e.kind);
    expect(kinds).not.toContain('dpmSuspend');
    expect(kinds).not.toContain('dpmResume');
    expect(kinds).not.toContain('freezeProcesses');
  });
});

describe('loading and unloading', () => {
  it('kexec -u forgets the image', () => {
    const run = drive(input('pm-freeze'), [load('kexec'), { type: 'UNLOAD' }]);
    expect(run.values).toEqual(['loaded', 'running']);
    expect(run.effects).toEqual([[], []]);
    expect(contextOf(run)).toMatchObject({ image: null, kind: null });
  });

  it('a second load replaces the image, and its kind decides what EXECUTE does', () => {
    const run = drive(input('pm-freeze'), [
      load('kdump'),
      { type: 'LOAD', image: 'K3', kind: 'kexec' },
      EXECUTE,
    ]);
    expect(contextOf(run)).toMatchObject({ image: 'K3', kind: 'kexec' });
    expect(run.values[2]).toBe('shuttingDown');
  });
});

describe('events that make no sense in a state are ignored', () => {
  const cases: Array<[string, JumpPolicy, KexecEvent[], KexecEvent]> = [
    ['EXECUTE with nothing loaded', 'pm-freeze', [], EXECUTE],
    ['PANIC with nothing loaded', 'pm-freeze', [], PANIC],
    ['UNLOAD with nothing loaded', 'pm-freeze', [], { type: 'UNLOAD' }],
    ['JUMP_BACK while loaded', 'pm-freeze', [load('jump')], JUMP_BACK],
    ['RESTORED while loaded', 'pm-freeze', [load('jump')], RESTORED],
    ['DEVICES_DOWN while loaded', 'unplug-replug', [load('jump')], DEVICES_DOWN],
    ['BOOTED while loaded', 'pm-freeze', [load('kexec')], BOOTED],
    ['JUMP_BACK while the successor still boots', 'pm-freeze', [load('jump'), EXECUTE, FROZEN], JUMP_BACK],
    ['EXECUTE during device shutdown', 'pm-freeze', [load('kexec'), EXECUTE], EXECUTE],
    ['LOAD during device shutdown', 'pm-freeze', [load('kexec'), EXECUTE], load('jump')],
    ['JUMP_BACK after a plain kexec', 'pm-freeze', [load('kexec'), EXECUTE, DEVICES_DOWN], JUMP_BACK],
    ['FROZEN under unplug-replug', 'unplug-replug', [load('jump'), EXECUTE], FROZEN],
    ['DEVICES_DOWN while freezing', 'pm-freeze', [load('jump'), EXECUTE], DEVICES_DOWN],
    [
      'UNLOAD while in the successor',
      'pm-freeze',
      [load('jump'), EXECUTE, FROZEN, BOOTED],
      { type: 'UNLOAD' },
    ],
    [
      'REATTACHED while restoring',
      'pm-freeze',
      [load('jump'), EXECUTE, FROZEN, BOOTED, JUMP_BACK],
      REATTACHED,
    ],
  ];
  for (const [name, policy, before, event] of cases) {
    it(name, () => {
      const run = drive(input(policy), [...before, event]);
      const n = before.length;
      const previous = n === 0 ? 'running' : run.values[n - 1];
      expect(run.values[n]).toEqual(previous);
      expect(run.effects[n]).toEqual([]);
      if (n > 0) expect(contextOf(run)).toEqual(contextOf(drive(input(policy), before)));
    });
  }
});

describe('effects', () => {
  it('every effect action of the machine is emitted on one of the paths', () => {
    const paths: Array<[KexecInput, KexecEvent[]]> = [
      [input('pm-freeze', 'kexec-patch-2006'), [load('kexec'), EXECUTE, DEVICES_DOWN, BOOTED]],
      [input('pm-freeze'), [load('kdump'), PANIC, BOOTED]],
      [input('pm-freeze'), [load('jump'), EXECUTE, FROZEN, BOOTED, JUMP_BACK, RESTORED]],
      [input('fail-early'), [load('jump'), EXECUTE, { type: 'REATTACH_CHECKED', ok: false }]],
      [input('unplug-replug'), [load('jump'), EXECUTE, DEVICES_DOWN, BOOTED, JUMP_BACK, REATTACHED]],
    ];
    const seen = new Set(
      paths.flatMap(([i, events]) =>
        drive(i, events)
          .effects.flat()
          .map((e) => e.kind),
      ),
    );
    const kinds = Object.values(kexecMachine.implementations.actions)
      .map(getKexecEffectKind)
      .filter((kind) => kind !== undefined)
      .sort();
    expect(kinds).toHaveLength(14);
    expect([...seen].sort()).toEqual(kinds);
  });

  it('a refusal without a named blocker still logs', () => {
    const run = drive(input('fail-early'), [load('jump'), EXECUTE, { type: 'REATTACH_CHECKED', ok: false }]);
    expect(run.effects[2]).toEqual([
      { kind: 'log', message: 'kexec: a device cannot be reattached after a jump; kexec jump refused' },
    ]);
  });
});

/** Scenarios that hinge on an interleaving: coalesced watches (S11), transaction EAGAIN (S12), suspend gating (S15). */
import { describe, expect, it } from 'vitest';
import type { TraceEffect } from '../world/trace';
import type { World } from '../world/world';
import { runScenario } from './run';
import { BE_VBD, deviceStates, FE_VBD, logs, play, scenario, stateWrites } from './scenarios.test-support';

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

describe('S11 missed intermediate state (watch coalescing)', () => {
  it('[modern] the frontend never sees Connected: both held events read 5, FE 3→6 without connecting', () => {
    const w = play('S11', 'linux-modern');
    expect(stateWrites(w.trace, BE_VBD)).toEqual(['1', '2', '4', '5', '6']);
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3', '6']);
    const held = w.trace.findIndex((e) => e.summary.includes('hold-xenwatch domid=1 held=true'));
    const released = w.trace.findIndex((e) => e.summary.includes('hold-xenwatch domid=1 held=false'));
    expect(held).toBeGreaterThan(0);
    // BE wrote 4 and then 5 while dom1's xenwatch was held
    const beWrites = w.trace.filter(
      (e) =>
        e.seq > held &&
        e.seq < released &&
        e.effects.some((f) => f.k === 'node-write' && f.path === `${BE_VBD}/state`),
    );
    expect(
      beWrites.map((e) => e.effects.find((f) => f.k === 'node-write' && f.path === `${BE_VBD}/state`)),
    ).toMatchObject([{ value: '4' }, { value: '5' }]);
    // after the release, every read of BE/state by dom1 up to its own Closed answers 5
    const closedAt = w.trace.find(
      (e) => e.seq > released && e.effects.some((f) => f.k === 'node-write' && f.path === `${FE_VBD}/state`),
    )!.seq;
    const reads = w.trace.filter(
      (e) => e.seq > released && e.seq < closedAt && e.summary.startsWith(`dom1.K1: READ ${BE_VBD}/state`),
    );
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads.every((e) => e.summary.endsWith('→ "5"'))).toBe(true);
    const callbacks = w.trace.filter(
      (e) => e.seq > released && e.summary === `dom1.K1 xenwatch: xenbus.otherendChanged(${BE_VBD}/state)`,
    );
    expect(callbacks.length).toBeGreaterThanOrEqual(2);
    expect(logs(w.trace)).not.toContain('blkfront: xvda: barrier or flush: enabled');
    expect(
      w.trace.some((e) =>
        e.effects.some((f) => f.k === 'transition' && f.to === 'Connected' && f.device.startsWith('dom1')),
      ),
    ).toBe(false);
  });

  it('without the hold the frontend connects before the backend fails', () => {
    const w = runScenario(scenario('S11'), { profile: 'linux-modern' });
    const unheld = runScenario(
      { ...scenario('S11'), script: scenario('S11').script.filter((e) => !('when' in e)) },
      { profile: 'linux-modern' },
    );
    expect(stateWrites(w.trace, FE_VBD)).not.toContain('4');
    expect(stateWrites(unheld.trace, FE_VBD)).toContain('4');
  });
});

describe('S12 transaction EAGAIN retry in blkback connect()', () => {
  /** dom0's transaction ends once the block script has written physical-device (connect() and later) */
  const ends = (w: World) => {
    const from = w.trace.find(
      (e) => e.summary.startsWith('dom0.hotplug: WRITE') && e.summary.includes('/physical-device ='),
    )!.seq;
    return w.trace.filter(
      (e) => e.seq > from && e.kind === 'xenstored' && e.summary.startsWith('dom0.kernel: TRANSACTION_END'),
    );
  };

  it('[read-set] the hotplug script adds a child of the BE dir inside the transaction: EAGAIN, redo, BE 2→4', () => {
    const w = play('S12', 'linux-modern');
    const [first, ...rest] = ends(w);
    expect(first?.summary).toMatch(/EAGAIN$/);
    expect(rest.every((e) => e.summary.endsWith('→ OK'))).toBe(true);
    // the conflicting write happened between the transaction's start and its end
    const startAt = w.trace.findLast(
      (e) => e.seq < first!.seq && /dom0\.kernel: TRANSACTION_START/.test(e.summary),
    )!.seq;
    const hp = w.trace.find(
      (e) => e.seq > startAt && e.seq < first!.seq && e.summary.startsWith('dom0.hotplug: WRITE'),
    );
    expect(hp?.summary).toMatch(/hotplug-status|physical-device-path/);
    // the trace names the node that conflicted, which the transaction had read and the script changed
    const end = first!.effects.find((f) => f.k === 'tx' && f.outcome === 'eagain');
    const conflict = end?.k === 'tx' ? end.conflictPath : undefined;
    expect(conflict).toBeDefined();
    expect(end?.k === 'tx' ? end.reads : []).toContain(conflict);
    // a node changes when written, and when a child is created or removed (its list of children)
    const changes = (f: TraceEffect) =>
      (f.k === 'node-write' && (f.path === conflict || (f.old === null && parentOf(f.path) === conflict))) ||
      (f.k === 'node-remove' && (f.path === conflict || parentOf(f.path) === conflict));
    const changed = w.trace.some((e) => e.seq > startAt && e.seq < first!.seq && e.effects.some(changes));
    expect(changed).toBe(true);
    // nothing from the failed transaction is visible, and it fired no watch
    expect(first!.effects.filter((f) => f.k === 'watch-fire' || f.k === 'node-write')).toEqual([]);
    const commit = rest[0]!;
    const written = commit.effects
      .filter((f) => f.k === 'node-write')
      .map((f) => (f as { path: string }).path);
    expect(written).toContain(`${BE_VBD}/sectors`);
    expect(
      commit.effects.some((f) => f.k === 'watch-fire' && f.path.endsWith('backend/vbd/1/51712/sectors')),
    ).toBe(true);
    expect(stateWrites(w.trace, BE_VBD)).toEqual(['1', '2', '4']);
    expect(Object.values(deviceStates(w))).toEqual(['Connected', 'Connected']);
  });

  it("the same seed under fifo gives no conflict: the interleaving is the scheduler's choice", () => {
    const w = runScenario(scenario('S12'), { profile: 'linux-modern', policy: 'fifo' });
    expect(ends(w).every((e) => e.summary.endsWith('→ OK'))).toBe(true);
  });

  it('[global] a conflict the read-set rule would not see', () => {
    const g = play('S12-global', 'linux-modern');
    expect(ends(g).some((e) => e.summary.endsWith('EAGAIN'))).toBe(true);
    expect(g.trace.some((e) => e.summary.startsWith('dom1.K1: WRITE data/foo = "bar" → OK'))).toBe(true);
    const r = runScenario(scenario('S12-global'), {
      profile: 'linux-modern',
      options: { conflictPolicy: 'read-set' },
    });
    expect(ends(r).some((e) => e.summary.endsWith('EAGAIN'))).toBe(false);
    expect(Object.values(deviceStates(g))).toEqual(['Connected', 'Connected']);
  });
});

describe('S15 xs_suspend while a transaction is open', () => {
  const users = (w: World) =>
    w.trace.flatMap((e) =>
      e.effects.flatMap((f) =>
        f.k === 'guest' && f.actor === 'dom1.K1' && f.e.kind === 'xs-users' ? [[e.seq, f.e.to] as const] : [],
      ),
    );
  const phases = (w: World) =>
    w.trace.flatMap((e) =>
      e.effects.flatMap((f) =>
        f.k === 'guest' && f.actor === 'dom1.K1' && f.e.kind === 'suspend'
          ? [[e.seq, f.e.phase] as const]
          : [],
      ),
    );
  const seqOf = (w: World, text: string, after = -1) =>
    w.trace.find((e) => e.seq > after && e.summary.includes(text))?.seq ?? -1;

  it('[modern] the suspend waits for the open transactions; new requests get in meanwhile, later ones block', () => {
    const w = play('S15', 'linux-modern');
    const ph = phases(w);
    const draining = ph.find(([, p]) => p === 'draining')![0];
    const suspended = ph.find(([, p]) => p === 'suspended')![0];
    // T2's READ and T4's TRANSACTION_START were admitted while draining
    const save = seqOf(w, 'user: save-domain');
    expect(seqOf(w, 'dom1.K1: READ device/vbd/51712/state', save)).toBeGreaterThan(draining);
    expect(seqOf(w, 'dom1.K1: READ device/vbd/51712/state', save)).toBeLessThan(suspended);
    expect(seqOf(w, 'dom1.K1: TRANSACTION_START', save)).toBeLessThan(suspended);
    // the suspend completed only when T1 and T4 had ended their transactions: users reached 0 there
    const ends = w.trace.filter(
      (e) => e.seq > save && e.seq < suspended && e.summary.startsWith('dom1.K1: TRANSACTION_END'),
    );
    expect(ends).toHaveLength(2);
    expect(
      users(w)
        .filter(([s]) => s <= suspended)
        .at(-1)?.[1],
    ).toBe(0);
    // T3 and T5 ran only after xs_resume; every watch was re-sent and fired once; T5 after them
    const resumed = seqOf(w, 'kernel.doSuspend woken');
    expect(seqOf(w, 'dom1.K1: READ device/vbd/51712/backend')).toBeGreaterThan(resumed);
    const rewatch = w.trace
      .filter((e) => e.seq > resumed && e.summary.startsWith('dom1.K1: WATCH'))
      .map((e) => e.summary);
    expect(rewatch).toHaveLength(4);
    expect(rewatch.slice(0, 3).every((s) => s.endsWith('→ OK'))).toBe(true);
    expect(rewatch[3]).toBe('dom1.K1: WATCH data dom1.K1:user:data → OK');
    expect(logs(w.trace)).toContain('T1: transaction 4 ended: ok');
    expect(logs(w.trace)).toContain('resumed, restarting tasks');
  });

  it('[2006] the waiting writer queues new transaction starts; plain reads still pass', () => {
    const w = play('S15', 'linux-2006');
    const resumed = seqOf(w, 'kernel.doSuspend woken');
    // T2's read ran before the resume, T4's TRANSACTION_START only after it
    expect(seqOf(w, 'dom1.K1: READ device/vbd/51712/state', seqOf(w, 'user: save-domain'))).toBeLessThan(
      resumed,
    );
    const t4 = w.trace.find(
      (e) =>
        e.seq > seqOf(w, 'guest-tx-start domid=1 name=T4') &&
        e.summary.startsWith('dom1.K1: TRANSACTION_START'),
    )!;
    expect(t4.seq).toBeGreaterThan(resumed);
  });

  it('a checkpoint (xl save -c) cancels the suspend: nothing re-sent', () => {
    const s = scenario('S15');
    const script = s.script.map((e) =>
      'type' in e && e.type === 'save-domain' ? { ...e, checkpoint: true } : e,
    );
    const w = runScenario({ ...s, script }, { profile: 'linux-modern' });
    const resumed = seqOf(w, 'kernel.doSuspend woken');
    const rewatch = w.trace.filter((e) => e.seq > resumed && e.summary.startsWith('dom1.K1: WATCH'));
    expect(rewatch.map((e) => e.summary)).toEqual(['dom1.K1: WATCH data dom1.K1:user:data → OK']);
    expect(logs(w.trace)).toContain('suspend cancelled, restarting tasks');
  });
});

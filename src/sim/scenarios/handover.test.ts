/** Handover scenarios: kexec and kdump (S6–S9), shutdown timeouts (S13), kexec jump (S14), stale watches (S16). */
import { describe, expect, it } from 'vitest';
import type { World } from '../world/world';
import {
  BE_VBD,
  BE_VIF,
  deviceStates,
  FE_VBD,
  FE_VIF,
  logs,
  node,
  play,
  stateWrites,
} from './scenarios.test-support';

describe('kexec handover (S6–S9)', () => {
  it('S6 [2006]: nothing is shut down; K2 ignores the Connected devices; K1 fe_watch token collides', () => {
    const w = play('S6', 'linux-2006');
    expect(node(w, `${FE_VBD}/state`)).toBe('4');
    expect(node(w, `${BE_VBD}/state`)).toBe('4');
    expect(logs(w.trace)).toContain('device/vbd/51712: state 4, device is not new, ignored');
    expect([...w.devices.keys()].filter((k) => k.startsWith('dom1.K2'))).toEqual([]);
    const eexist = w.trace.some((e) =>
      e.effects.some(
        (f) => f.k === 'guest' && f.e.kind === 'watch-register-failed' && f.e.error === 'EEXIST',
      ),
    );
    expect(eexist).toBe(true);
  });

  it('S7 [2006-RFC]: FE 4→5→1, BE 5→2 "prepare for reconnect", K2 reconnects both devices', () => {
    const w = play('S7', 'kexec-patch-2006');
    expect(stateWrites(w.trace, FE_VBD).slice(-4)).toEqual(['5', '1', '3', '4']);
    expect(stateWrites(w.trace, BE_VBD).slice(-3)).toEqual(['5', '2', '4']);
    expect(stateWrites(w.trace, FE_VIF).slice(-3)).toEqual(['5', '1', '4']);
    expect(logs(w.trace)).toContain('0 released ok, 64 gnttab errs, 192 unused slots');
    expect(deviceStates(w)).toMatchObject({
      'dom1.K2|device/vbd/51712': 'Connected',
      'dom1.K2|device/vif/0': 'Connected',
    });
    // the 64 flipped pages are still owed to the guest
    expect(w.hv.domains.get(1)!.balloon.driverPages).toBeGreaterThanOrEqual(64);
  });

  it('S8 [2006-merged]: FE 4→5→6, BE 6 kept; K2 sees no device', () => {
    const w = play('S8', 'kexec-merged-2006');
    expect(stateWrites(w.trace, FE_VBD).slice(-2)).toEqual(['5', '6']);
    expect(node(w, `${BE_VBD}/state`)).toBe('6');
    expect(logs(w.trace)).toContain('device/vbd/51712: state 6, device is not new, ignored');
    expect(deviceStates(w)).toEqual({
      'dom0.kernel|backend/vbd/1/51712': 'Closed',
      'dom0.kernel|backend/vif/1/0': 'Closed',
    });
  });

  it('S9 [modern] HVM: RESET_WATCHES, reset FE 6→1 (BE 6→2), then both reconnect on new rings', () => {
    const w = play('S9', 'linux-modern');
    expect(stateWrites(w.trace, FE_VBD).slice(-5)).toEqual(['5', '6', '1', '3', '4']);
    expect(stateWrites(w.trace, BE_VBD).slice(-4)).toEqual(['5', '6', '2', '4']);
    const reset = w.trace.find((e) => e.summary.includes('RESET_WATCHES'));
    expect(reset?.actor).toBe('xenstored');
    expect(deviceStates(w)).toMatchObject({
      'dom1.K2|device/vbd/51712': 'Connected',
      'dom1.K2|device/vif/0': 'Connected',
    });
  });
});

describe('S6b kexec after closing the frontends by hand [2006]', () => {
  it('the close destroys the backends, xen-hotplug-cleanup removes both dirs, K2 finds device/ empty', () => {
    const w = play('S6b', 'linux-2006');
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3', '4', '5', '6']);
    expect(stateWrites(w.trace, BE_VBD)).toEqual(['1', '2', '4', '5']);
    const rms = w.trace.filter((e) => e.summary.startsWith('dom0.hotplug: RM')).map((e) => e.summary);
    expect(rms).toEqual([
      `dom0.hotplug: RM ${FE_VBD} → OK`,
      `dom0.hotplug: RM ${BE_VBD} → OK`,
      `dom0.hotplug: RM ${FE_VIF} → OK`,
      `dom0.hotplug: RM ${BE_VIF} → OK`,
    ]);
    expect(w.store.getNode('/local/domain/1/device')?.children).toEqual(['vbd', 'vif']);
    expect(w.store.getNode('/local/domain/1/device/vbd')?.children).toEqual([]);
    expect(Object.keys(deviceStates(w))).toEqual([]);
    expect(w.actors.get('dom1.K2')?.alive).toBe(true);
  });
});

describe('S9b modern kdump', () => {
  it('no device_shutdown; the crash kernel walks FE 4→5→6→1 with the backend, then connects', () => {
    const w = play('S9b', 'linux-modern');
    expect(logs(w.trace)).toContain('Kernel panic - not syncing: sysrq triggered crash');
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3', '4', '5', '6', '1', '3', '4']);
    expect(stateWrites(w.trace, BE_VBD)).toEqual(['1', '2', '4', '5', '6', '2', '4']);
    expect(w.deviceState('dom1.K2|device/vbd/51712')).toBe('Connected');
    expect(w.deviceState('dom1.K2|device/vif/0')).toBe('Connected');
    expect(w.kexecState('dom1.K1')).toBe('handedOver');
  });
});

describe('S9c modern kexec with soft reset', () => {
  it('the toolstack destroys and re-creates the devices in state 1; K2 has nothing to reset', () => {
    const w = play('S9c', 'linux-modern');
    expect(logs(w.trace)).toContain('xen: SHUTDOWN_soft_reset');
    expect(logs(w.trace).some((l) => l.startsWith('XENBUS: triggering reconnect'))).toBe(false);
    // K1: 1 (created), 3, 4, shutdown 5, 6; re-created 1 by the toolstack; K2: 3, 4
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3', '4', '5', '6', '1', '3', '4']);
    const freed = w.trace.flatMap((e) =>
      e.effects.flatMap((f) =>
        f.k === 'device' && f.change === 'freed' && f.device.startsWith('dom0') ? [f.device] : [],
      ),
    );
    expect(freed.sort()).toEqual(['dom0.kernel|backend/vbd/1/51712', 'dom0.kernel|backend/vif/1/0']);
    expect(w.deviceState('dom1.K2|device/vbd/51712')).toBe('Connected');
    expect(w.deviceState('dom1.K2|device/vif/0')).toBe('Connected');
    // the reset came before K2 started
    const resetDone = w.trace.findIndex((e) =>
      e.effects.some((f) => f.k === 'log' && f.text.includes('soft reset done')),
    );
    const k2 = w.trace.findIndex((e) => e.effects.some((f) => f.k === 'actor' && f.actor === 'dom1.K2'));
    expect(resetDone).toBeGreaterThan(0);
    expect(k2).toBeGreaterThan(resetDone);
  });
});

describe('S13 shutdown timeout', () => {
  it('each frontend waits 5 s in turn; FE=5 is left and the successor cannot reset it', () => {
    const w = play('S13', 'linux-modern');
    expect(logs(w.trace).filter((l) => l.endsWith('timeout closing device'))).toHaveLength(2);
    expect(node(w, `${FE_VBD}/state`)).toBe('5');
    expect(node(w, `${BE_VBD}/state`)).toBe('4');
    expect(w.sched.now).toBeGreaterThanOrEqual(2000 + 10000);
  });
});

describe('S14 kexec jump and return', () => {
  const K1_VBD = 'dom1.K1|device/vbd/51712';
  /** state writes made after the jump back was given */
  const afterBack = (w: World, dir: string) => {
    const at = w.inputs.find((i) => i.action.type === 'kexec-jump-back')!.step;
    return stateWrites(w.trace.slice(at), dir);
  };
  const ringOf = (w: World, key: string) => {
    const ring = w.devices.get(key)?.priv['ring'] as { ringId: string; refs: number[] } | undefined;
    return ring ? w.hv.rings.get(ring.ringId) : undefined;
  };

  it('pm-freeze: K2 resets and reconnects; back in K1 the frontend re-talks on a ring blkback never maps', () => {
    const w = play('S14', 'linux-modern');
    // K2: reset FE 4→5→6→1, BE →2, then the normal handshake on ring B
    expect(stateWrites(w.trace, FE_VBD).slice(3, 9)).toEqual(['5', '6', '1', '3', '4', '3']);
    expect(afterBack(w, FE_VBD)).toEqual(['3', '4']);
    expect(afterBack(w, BE_VBD)).toEqual([]);
    expect(w.deviceState(K1_VBD)).toBe('Connected');
    expect(ringOf(w, K1_VBD)?.back).toBeNull();
    expect(ringOf(w, 'dom1.K2|device/vbd/51712')?.back?.domid).toBe(0);
    expect(w.deviceState('dom1.K1|device/vif/0')).toBe('Initialising');
    expect(afterBack(w, FE_VIF)).toEqual([]);
    expect(w.kexecState('dom1.K1')).toBe('loaded');
    expect(w.actors.get('dom1.K2')?.frozen).toBe(true);
    expect(logs(w.trace)).toContain('device/vbd/51712: freeze: no driver suspend hook');
  });

  it('fail-early: the jump is refused before anything changes', () => {
    const w = play('S14-fail-early', 'linux-modern');
    const at = w.inputs.find((i) => i.action.type === 'kexec-jump')!.step;
    expect(stateWrites(w.trace.slice(at), FE_VBD)).toEqual([]);
    expect(logs(w.trace)).toContain(
      'kexec: device/vbd/51712 cannot be reattached after a jump; kexec jump refused',
    );
    expect(w.actors.has('dom1.K2')).toBe(false);
    expect(Object.values(deviceStates(w))).toEqual(['Connected', 'Connected', 'Connected', 'Connected']);
  });

  it('unplug-replug: detach closes the pair, reattach resets and reconnects K1 on a mapped ring', () => {
    const w = play('S14-unplug-replug', 'linux-modern');
    // K2 detaches (5, 6), then K1 resets and reconnects (1, 3, 4)
    expect(afterBack(w, FE_VBD)).toEqual(['5', '6', '1', '3', '4']);
    expect(afterBack(w, BE_VBD)).toEqual(['5', '6', '2', '4']);
    expect(w.deviceState(K1_VBD)).toBe('Connected');
    expect(w.deviceState('dom1.K1|device/vif/0')).toBe('Connected');
    expect(ringOf(w, K1_VBD)?.back?.domid).toBe(0);
    expect(w.kexecState('dom1.K1')).toBe('loaded');
  });
});

describe('S16 stale watches after kexec', () => {
  const guest = (w: World, kind: string) =>
    w.trace.flatMap((e) =>
      e.effects.flatMap((f) => (f.k === 'guest' && f.actor === 'dom1.K2' && f.e.kind === kind ? [f.e] : [])),
    );
  const dom1Watches = (w: World) =>
    w.store
      .listWatches()
      .filter((x) => w.connActor.get(x.conn)?.startsWith('dom1'))
      .map((x) => x.token)
      .sort();

  it("[2006] K2 meets K1's watches: EEXIST for the static ones (kept), K1's otherend events dropped", () => {
    const w = play('S16', 'linux-2006');
    expect(guest(w, 'watch-register-failed')).toEqual([
      {
        kind: 'watch-register-failed',
        path: 'device',
        token: 'vmlinuz-guest:fe_watch',
        error: 'EEXIST',
        kept: true,
      },
      {
        kind: 'watch-register-failed',
        path: 'control/shutdown',
        token: 'vmlinuz-guest:shutdown_watch',
        error: 'EEXIST',
        kept: true,
      },
    ]);
    const dropped = guest(w, 'watch-event-dropped') as Array<{ token: string; reason: string }>;
    expect(dropped.length).toBeGreaterThan(0);
    expect(
      dropped.every((d) => d.token === 'dom1.K1:otherend:device/vbd/51712' && d.reason === 'unknown-token'),
    ).toBe(true);
    expect(dom1Watches(w)).toEqual([
      'dom1.K1:otherend:device/vbd/51712',
      'dom1.K1:otherend:device/vif/0',
      'vmlinuz-guest:fe_watch',
      'vmlinuz-guest:shutdown_watch',
    ]);
  });

  it('[2006-RFC] K1 unwatched everything before the jump: no EEXIST, no stale events', () => {
    const w = play('S16', 'kexec-patch-2006');
    const unwatched = w.trace.filter(
      (e) => e.kind === 'xenstored' && e.summary.startsWith('dom1.K1: UNWATCH'),
    );
    expect(unwatched).toHaveLength(4);
    expect(guest(w, 'watch-register-failed')).toEqual([]);
    expect(guest(w, 'watch-event-dropped')).toEqual([]);
  });

  it("[modern] RESET_WATCHES at K2's xs_init clears them first", () => {
    const w = play('S16', 'linux-modern');
    expect(w.trace.some((e) => e.summary === 'dom1.K2: RESET_WATCHES  → OK')).toBe(true);
    expect(guest(w, 'watch-register-failed')).toEqual([]);
    expect(guest(w, 'watch-event-dropped')).toEqual([]);
    expect(dom1Watches(w).filter((t) => t.startsWith('dom1.K1'))).toEqual([]);
  });

  it("[modern] without the feature node: EEXIST drops K2's fe_watch, so it misses the disk's removal", () => {
    const w = play('S16-no-feature', 'linux-modern');
    expect(w.trace.some((e) => e.summary.includes('RESET_WATCHES'))).toBe(false);
    expect(guest(w, 'watch-register-failed').map((f) => (f as { kept: boolean }).kept)).toEqual([
      false,
      false,
    ]);
    const client = w.actors.get('dom1.K2')!.client;
    expect(client.watches.some((x) => x.token === 'vmlinuz-guest:fe_watch')).toBe(false);
    expect(w.store.getNode(FE_VBD)).toBeUndefined();
    // the removal event went to K1's token, which K2 does not know: the device object lingers
    expect(w.deviceState('dom1.K2|device/vbd/51712')).toBe('Closed');
  });
});

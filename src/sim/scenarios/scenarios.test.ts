import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../world/trace';
import type { World } from '../world/world';
import { findScenario, SCENARIOS, type Scenario } from './catalogue';
import { runScenario } from './run';
import type { ProfileId } from '../profiles';

const FE_VBD = '/local/domain/1/device/vbd/51712';
const BE_VBD = '/local/domain/0/backend/vbd/1/51712';
const FE_VIF = '/local/domain/1/device/vif/0';
const BE_VIF = '/local/domain/0/backend/vif/1/0';

function scenario(id: string): Scenario {
  const s = findScenario(id);
  if (!s) throw new Error(id);
  return s;
}

function play(id: string, profile: ProfileId, seed?: number): World {
  const w = runScenario(scenario(id), { profile, seed });
  expect(w.idle).toBe(true);
  return w;
}

function node(w: World, path: string): string | null {
  const n = w.store.getNode(path);
  return n ? new TextDecoder().decode(n.value) : null;
}

/** The values written to `<dir>/state`, in trace order. */
function stateWrites(trace: readonly TraceEntry[], dir: string): string[] {
  const out: string[] = [];
  for (const e of trace)
    for (const f of e.effects) if (f.k === 'node-write' && f.path === `${dir}/state`) out.push(f.value);
  return out;
}

function logs(trace: readonly TraceEntry[]): string[] {
  return trace.flatMap((e) => e.effects.flatMap((f) => (f.k === 'log' ? [f.text] : [])));
}

function deviceStates(w: World): Record<string, string> {
  return Object.fromEntries([...w.devices.keys()].map((k) => [k, w.deviceState(k)]));
}

describe('S1 normal vbd connect', () => {
  it('[modern] BE 1→2→4, FE 1→3→4; ring granted by dom1 and mapped by dom0; an interdomain port', () => {
    const w = play('S1', 'linux-modern');
    expect(stateWrites(w.trace, BE_VBD)).toEqual(['1', '2', '4']);
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3', '4']);
    expect(node(w, `${BE_VBD}/sectors`)).toBe('20971520');
    expect(node(w, `${BE_VBD}/max-ring-page-order`)).toBe('4');
    expect(node(w, `${FE_VBD}/protocol`)).toBe('x86_64-abi');
    expect(deviceStates(w)).toEqual({
      'dom0.kernel|backend/vbd/1/51712': 'Connected',
      'dom1.K1|device/vbd/51712': 'Connected',
    });
    const ref = Number(node(w, `${FE_VBD}/ring-ref`));
    const port = Number(node(w, `${FE_VBD}/event-channel`));
    const dom1 = w.hv.domains.get(1)!;
    expect(dom1.gnttab.entries.get(ref)?.mapper).toBe(0);
    expect(dom1.evtchn.ports[port]?.state).toBe('interdomain');
    const ring = [...w.hv.rings.values()].find((r) => r.refs[0] === ref)!;
    expect(ring.nrEnts).toBe(32);
    expect(ring.back?.domid).toBe(0);
  });

  it('[2006] the frontend talks to the backend from probe: no protocol, no negotiation nodes', () => {
    const w = play('S1', 'linux-2006');
    expect(stateWrites(w.trace, FE_VBD).slice(-2)).toEqual(['3', '4']);
    expect(node(w, `${FE_VBD}/protocol`)).toBeNull();
    expect(node(w, `${BE_VBD}/max-ring-page-order`)).toBeNull();
    expect(node(w, `${BE_VBD}/state`)).toBe('4');
  });
});

describe('S2 vif connect with the hotplug-status gate', () => {
  it('FE goes 1→4 without Initialised; BE stays 2 until the script says connected at 2 s', () => {
    const w = play('S2', 'linux-modern');
    expect(stateWrites(w.trace, FE_VIF)).toEqual(['1', '4']);
    expect(stateWrites(w.trace, BE_VIF)).toEqual(['1', '2', '4']);
    const connectedAt = w.trace.find((e) =>
      e.effects.some((f) => f.k === 'node-write' && f.path === `${BE_VIF}/state` && f.value === '4'),
    );
    expect(connectedAt?.time).toBe(2000);
    expect(node(w, `${BE_VIF}/hotplug-status`)).toBe('connected');
    const rx = [...w.hv.rings.values()].find((r) => r.protocol === 'netif-rx')!;
    expect(rx.nrEnts).toBe(256);
    expect(rx.sring.reqProd).toBe(256);
  });
});

describe('S3 toolstack-initiated detach', () => {
  it('BE 5 requested, FE 6, BE 6, then the directories and device objects are gone', () => {
    const w = play('S3', 'linux-modern');
    expect(stateWrites(w.trace, BE_VBD).slice(-2)).toEqual(['5', '6']);
    expect(stateWrites(w.trace, FE_VBD).slice(-1)).toEqual(['6']);
    expect(node(w, FE_VBD)).toBeNull();
    expect(node(w, BE_VBD)).toBeNull();
    expect(w.devices.size).toBe(0);
  });
});

describe('S4 guest shutdown', () => {
  it('both pairs close to 6/6 and the backends are kept (online=1)', () => {
    const w = play('S4', 'linux-modern');
    for (const [fe, be] of [
      [FE_VBD, BE_VBD],
      [FE_VIF, BE_VIF],
    ] as const) {
      expect(node(w, `${fe}/state`)).toBe('6');
      expect(node(w, `${be}/state`)).toBe('6');
      expect(node(w, `${be}/online`)).toBe('1');
    }
    expect(deviceStates(w)).toEqual({
      'dom0.kernel|backend/vbd/1/51712': 'Closed',
      'dom0.kernel|backend/vif/1/0': 'Closed',
    });
  });
});

describe('S5 bad grant reference', () => {
  it('blkback cannot map the ring, writes its error node and closes; the frontend follows', () => {
    const w = play('S5', 'linux-modern');
    const ref = node(w, `${FE_VBD}/ring-ref`);
    expect(node(w, '/local/domain/0/error/backend/vbd/1/51712/error')).toBe(
      `2 mapping in shared page ${ref} from domain 1`,
    );
    expect(node(w, `${BE_VBD}/state`)).toBe('6');
    expect(node(w, `${FE_VBD}/state`)).toBe('6');
    expect(node(w, `${BE_VBD}/online`)).toBe('1');
  });
});

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

describe('S13 shutdown timeout', () => {
  it('each frontend waits 5 s in turn; FE=5 is left and the successor cannot reset it', () => {
    const w = play('S13', 'linux-modern');
    expect(logs(w.trace).filter((l) => l.endsWith('timeout closing device'))).toHaveLength(2);
    expect(node(w, `${FE_VBD}/state`)).toBe('5');
    expect(node(w, `${BE_VBD}/state`)).toBe('4');
    expect(w.sched.now).toBeGreaterThanOrEqual(2000 + 10000);
  });
});

describe('S17 multi-page ring', () => {
  it('order min(4, 2) = 2: four ring-refs and a 128-entry ring', () => {
    const w = play('S17', 'linux-modern');
    expect(node(w, `${FE_VBD}/ring-page-order`)).toBe('2');
    expect(node(w, `${FE_VBD}/ring-ref3`)).not.toBeNull();
    expect(node(w, `${BE_VBD}/state`)).toBe('4');
    const ring = [...w.hv.rings.values()].find((r) => r.protocol === 'blkif')!;
    expect(ring.pages).toBe(4);
    expect(ring.nrEnts).toBe(128);
  });

  it('a frontend ignoring the backend max is refused: EINVAL, BE 2→5', () => {
    const w = runScenario(scenario('S17'), {
      profile: 'linux-modern',
      seed: 1,
      options: { frontendIgnoresMax: true, frontendMaxOrder: 3 },
    });
    expect(node(w, '/local/domain/0/error/backend/vbd/1/51712/error')).toBe(
      '22 requested ring page order 3 exceed max:2',
    );
    expect(stateWrites(w.trace, BE_VBD)).toEqual(['1', '2', '5', '6']);
  });
});

describe('determinism', () => {
  const all = SCENARIOS.flatMap((s) => s.profiles.map((p) => [s.id, p] as const));
  it.each(all)(
    '%s under %s: one seed gives the same trace twice (its own policy, and seeded)',
    (id, profile) => {
      const s = scenario(id);
      for (const policy of [s.policy ?? 'fifo', 'seeded'] as const) {
        const a = runScenario(s, { profile, seed: 7, policy });
        const b = runScenario(s, { profile, seed: 7, policy });
        expect(a.trace.length).toBeGreaterThan(0);
        expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
      }
    },
  );

  it('the seeded policy reorders steps and still converges', () => {
    const s = scenario('S1');
    const fifo = runScenario(s, { profile: 'linux-modern', seed: 3, policy: 'fifo' });
    const seeded = runScenario(s, { profile: 'linux-modern', seed: 3, policy: 'seeded' });
    expect(seeded.trace.map((e) => e.summary)).not.toEqual(fifo.trace.map((e) => e.summary));
    expect(deviceStates(seeded)).toEqual(deviceStates(fifo));
  });
});

describe('S10 netfront teardown with the interface up', () => {
  const driverPages = (w: World) => w.hv.domains.get(1)!.balloon.driverPages;
  // per cycle: 128 buffers out at detach, 2 of them transferred and not yet consumed
  const expected: Array<[ProfileId, number, string | null]> = [
    ['linux-2006', 64 + 128 * 3, null],
    ['kexec-patch-2006', 64 + 126 * 3, '2 released ok, 126 gnttab errs, 128 unused slots'],
    ['kexec-merged-2006', 64, 'xfer 2, noxfer 126, unused 128'],
    ['linux-modern', 0, null],
  ];
  for (const [profile, pages, line] of expected) {
    it(`${profile}: driver_pages ${pages} after three detach/attach cycles`, () => {
      const w = play('S10', profile);
      expect(driverPages(w)).toBe(pages);
      const released = logs(w.trace).filter((l) => /released ok|xfer/.test(l));
      expect(released).toEqual(line === null ? [] : [line, line, line]);
      expect(logs(w.trace).filter((l) => l.includes('rx_target 128'))).toHaveLength(
        profile === 'linux-modern' ? 0 : 3,
      );
      expect(Object.values(deviceStates(w))).toEqual(['Connected', 'Connected']);
      expect(stateWrites(w.trace, FE_VIF).filter((v) => v === '4')).toHaveLength(4);
    });
  }

  it('2006: the leaked frames are gone from the domain; merged hands them to the balloon', () => {
    const start = 65536;
    const leak = play('S10', 'linux-2006').hv.domains.get(1)!;
    // 64 posted now; per cycle 126 frames owed by Xen (the 2 transferred ones are the domain's, unmapped)
    expect(leak.memory.totPages).toBe(start - 64 - 126 * 3);
    const merged = play('S10', 'kexec-merged-2006').hv.domains.get(1)!;
    expect(merged.balloon.driverPages).toBe(64);
  });

  it('[modern] grants end on every teardown: no grant of a removed vif is left', () => {
    const w = play('S10', 'linux-modern');
    const dom1 = w.hv.domains.get(1)!;
    const live = [...dom1.gnttab.entries.values()].filter((e) => e.type !== 'invalid');
    // the connected vif's 256 rx buffers and its two ring pages (plus deferred, still mapped ones)
    expect(live.length).toBe(256 + 2);
    expect(dom1.gnttab.deferred).toEqual([]);
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

describe('S3 variants: a mounted disk and an older blkfront', () => {
  it('older blkfront refuses (-EBUSY, FE 4→5); libxl times out after 10 s and forces; the guest drops the device', () => {
    const w = play('S3-older', 'linux-modern');
    expect(node(w, '/local/domain/1/error/device/vbd/51712/error')).toBe(
      '16 Device in use; refusing to close',
    );
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3', '4', '5']);
    expect(logs(w.trace)).toContain(`${BE_VBD}: timeout reached, initiating forced remove`);
    const forced = w.trace.find(
      (e) => e.summary.startsWith(`dom0.xl: RM [tx`) && e.summary.includes(FE_VBD),
    )!;
    expect(forced.time).toBe(10000);
    // blkback reads the frontend's state as Unknown and unregisters; blkfront is removed by the cleanup
    expect(w.trace.some((e) => e.summary === `dom0.kernel: READ ${FE_VBD}/state → ENOENT`)).toBe(true);
    expect(deviceStates(w)).toEqual({});
    expect(w.store.getNode(FE_VBD)).toBeUndefined();
    expect(w.store.getNode(BE_VBD)).toBeUndefined();
  });

  it('forced from the start: the FE dir goes in the first transaction, no refusal, no 10 s wait for the guest', () => {
    const w = play('S3-forced', 'linux-modern');
    const first = w.trace.find((e) => e.summary.startsWith('dom0.xl: RM [tx') && e.summary.includes(FE_VBD))!;
    const detach = w.inputs.find((i) => i.action.type === 'detach-disk')!.step;
    expect(w.trace[detach]!.time).toBe(first.time);
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3', '4']);
    expect(deviceStates(w)).toEqual({});
  });
});

describe('S2 variant: the hotplug script fails', () => {
  it('BE stays 2 (netback defers every state change while its hotplug-status watch exists); libxl removes the device', () => {
    const w = play('S2-script-fails', 'linux-modern');
    expect(stateWrites(w.trace, BE_VIF).filter((v) => v !== '5')).toEqual(['1', '2']);
    expect(w.trace.some((e) => e.summary.includes(`${BE_VIF}/hotplug-status = "error"`))).toBe(true);
    expect(logs(w.trace).some((l) => l.includes('vif-bridge online failed'))).toBe(true);
    expect(stateWrites(w.trace, FE_VIF)).toEqual(['1', '4', '6']);
    expect(deviceStates(w)).toEqual({});
    expect(w.store.getNode(BE_VIF)).toBeUndefined();
    expect(w.store.getNode(FE_VIF)).toBeUndefined();
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

describe('S3 variant: I/O in flight at detach', () => {
  it("[modern] blkback cannot disconnect (-EBUSY): the ring stays mapped, so the guest's end of access is deferred", () => {
    const w = play('S3-inflight', 'linux-modern');
    expect(logs(w.trace)).toContain('blkback.1.xvda: 1 in flight, ring kept mapped (-EBUSY)');
    expect(stateWrites(w.trace, BE_VBD)).toEqual(['1', '2', '4', '5', '6']);
    expect(deviceStates(w)).toEqual({});
    const dom0 = w.hv.domains.get(0)!;
    const mapped = [...dom0.maptrack.mappings.values()].filter((m) => m.granter === 1);
    expect(mapped).toHaveLength(1);
    expect(w.hv.domains.get(1)!.gnttab.deferred.length).toBeGreaterThan(0);
    // without the fault the same detach leaves nothing mapped
    const clean = play('S3', 'linux-modern');
    expect([...clean.hv.domains.get(0)!.maptrack.mappings.values()].filter((m) => m.granter === 1)).toEqual(
      [],
    );
  });
});

describe('watch-event faults', () => {
  it("a lost event for the backend's Connected leaves the frontend Initialised for good", () => {
    const w = play('S1-lost-event', 'linux-modern');
    expect(stateWrites(w.trace, BE_VBD)).toEqual(['1', '2', '4']);
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3']);
    expect(logs(w.trace)).toContain(
      `fault: watch event ${BE_VBD}/state (dom1.K1:otherend:device/vbd/51712) for dom1.K1 lost`,
    );
    expect(w.deviceState('dom1.K1|device/vbd/51712')).toBe('Initialised');
  });

  it('a delayed event only holds the connection up: the frontend connects 500 ms later', () => {
    const s = scenario('S1-lost-event');
    const script = s.script.map((e) =>
      'when' in e ? { ...e, action: { type: 'fault', name: 'watchFault', value: 'delay' } as const } : e,
    );
    const w = runScenario(
      { ...s, script: [{ type: 'fault', name: 'watchFaultDelayMs', value: 500 }, ...script] },
      { profile: 'linux-modern' },
    );
    const connected = w.trace.find((e) =>
      e.effects.some((f) => f.k === 'node-write' && f.path === `${FE_VBD}/state` && f.value === '4'),
    )!;
    expect(connected.time).toBeGreaterThanOrEqual(500);
    expect(w.deviceState('dom1.K1|device/vbd/51712')).toBe('Connected');
  });

  it('a fault naming an unknown option is refused with the reason, the world unchanged', () => {
    const s = scenario('S1');
    const w = runScenario(
      { ...s, script: [{ type: 'fault', name: 'turbo', value: true }, ...s.script] },
      { profile: 'linux-modern' },
    );
    expect(logs(w.trace).some((l) => l.startsWith('unknown option "turbo"'))).toBe(true);
    expect(w.options['turbo']).toBeUndefined();
    expect(stateWrites(w.trace, FE_VBD)).toEqual(['1', '3', '4']);
  });
});

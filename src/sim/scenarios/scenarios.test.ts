/** Scenarios S1–S5, S10, S17, their fault variants and determinism: trace points and end states (spec scenarios.md). */
import { describe, expect, it } from 'vitest';
import type { ProfileId } from '../profiles';
import type { World } from '../world/world';
import { SCENARIOS } from './catalogue';
import { runScenario } from './run';
import {
  BE_VBD,
  BE_VIF,
  deviceStates,
  FE_VBD,
  FE_VIF,
  logs,
  node,
  play,
  scenario,
  stateWrites,
} from './scenarios.test-support';

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

import { describe, expect, it } from 'vitest';
import type { HvEffect } from '../../hypervisor';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import type { TraceEntry } from '../../sim/world/trace';
import { createLedger, LEDGER_RESOURCES, stepPolyline } from './ledger';

const hv = (seq: number, ...es: HvEffect[]): TraceEntry => ({
  seq,
  time: seq,
  actor: 'hypervisor',
  kind: 'wakeup',
  summary: `step ${seq}`,
  effects: es.map((e) => ({ k: 'hv', e })),
  code: null,
});
const user = (seq: number, summary: string): TraceEntry => ({
  ...hv(seq),
  actor: 'user',
  kind: 'user',
  summary,
});
const slot = (
  ringId: string,
  old: 'free' | 'request-written',
  next: 'free' | 'request-written',
): HvEffect => ({
  kind: 'ring-slot',
  ringId,
  slot: 0,
  idx: 0,
  old,
  new: next,
  payload: null,
});

describe('resource ledger', () => {
  it('counts grants, mappings, event channels, ring slots and driver pages, one point per changing step', () => {
    const trace = [
      hv(0, { kind: 'domain-create', domid: 1, domKind: 'PV', name: 'd' }),
      hv(
        1,
        { kind: 'grant-ref-alloc', domid: 1, refs: [8, 9, 10] },
        { kind: 'grant-ref-free', domid: 1, refs: [10] },
      ),
      hv(2, { kind: 'evtchn-alloc-unbound', domid: 1, port: 1, remoteDomid: 0 }),
      hv(3, {
        kind: 'ring-init',
        ringId: 'r',
        label: 'r',
        domid: 1,
        protocol: 'blkif',
        nrEnts: 32,
        startIndex: 0,
      }),
      hv(4, slot('r', 'free', 'request-written'), slot('r', 'free', 'request-written')),
      hv(5, { kind: 'ring-attach', ringId: 'r', domid: 0, side: 'back', startIndex: 0 }),
      hv(6, { kind: 'ring-detach', ringId: 'r', domid: 1, side: 'front', cause: 'release' }),
      hv(7, { kind: 'ring-detach', ringId: 'r', domid: 0, side: 'back', cause: 'unmap' }),
      hv(8, { kind: 'balloon-counter', domid: 1, counter: 'driverPages', old: 0, new: 64 }),
      hv(9, { kind: 'grant-ref-alloc', domid: 1, refs: [] }),
      hv(10, { kind: 'domain-destroy', domid: 1 }),
    ];
    const l = createLedger(trace);
    expect(l.domains).toEqual([1]);
    expect(l.series(1, 'grants')).toEqual([
      { seq: 1, value: 2 },
      { seq: 10, value: 0 },
    ]);
    expect(l.series(1, 'ringSlots')).toEqual([
      { seq: 4, value: 2 },
      { seq: 7, value: 0 },
    ]);
    expect(l.valueAt(1, 'ringSlots', 7)).toBe(2);
    expect(l.valueAt(1, 'evtchns', 3)).toBe(1);
    expect(l.valueAt(1, 'driverPages', 10)).toBe(64);
    for (const r of LEDGER_RESOURCES) expect(l.valueAt(1, r, 11)).toBe(0);
  });

  it('baseline is the count before the first teardown; a later teardown with another count is flagged', () => {
    const trace = [
      hv(0, { kind: 'grant-ref-alloc', domid: 1, refs: [1, 2] }),
      user(1, 'user: detach-nic domid=1'),
      hv(2, { kind: 'grant-ref-free', domid: 1, refs: [1] }),
      user(3, 'user: attach-nic domid=1'),
      hv(4, { kind: 'grant-ref-alloc', domid: 1, refs: [3, 4] }),
      user(5, 'user: detach-nic domid=1'),
    ];
    const l = createLedger(trace);
    expect(l.baseline(1, 'grants')).toBe(2);
    expect(l.baseline(2, 'grants')).toBeNull();
    expect(l.flags(5)).toEqual([]);
    expect(l.flags(6)).toEqual([{ domid: 1, resource: 'grants', baseline: 2, value: 3, delta: 1, at: 5 }]);
  });

  it('draws a step line from 0 to the cursor, scaled to the largest count', () => {
    const points = [
      { seq: 0, value: 2 },
      { seq: 4, value: 4 },
    ];
    expect(stepPolyline(points, 10, 100, 10)).toBe('0,10 10,10 10,5 50,5 50,0 100,0');
    expect(stepPolyline([], 0, 100, 10)).toBe('0,10 100,10');
  });

  it.each(['kexec-patch-2006', 'linux-2006'] as const)(
    'S10 %s: rx buffers leak, grants and driver pages are not back to baseline at the next detach',
    (profile) => {
      const trace = runScenario(findScenario('S10')!, { profile }).trace;
      const l = createLedger(trace);
      const flagged = l.flags(trace.length).filter((f) => f.domid === 1);
      expect(flagged.map((f) => f.resource).sort()).toEqual(['driverPages', 'grants']);
      for (const f of flagged) expect(f.delta).toBeGreaterThan(100);
      expect(l.sparkPoints(1, 'grants', trace.length, 60, 16)).toMatch(/^0,16 .* 60,\d/);
    },
  );

  it('S10 linux-modern: every count is back to baseline at each detach', () => {
    const trace = runScenario(findScenario('S10')!, { profile: 'linux-modern' }).trace;
    expect(createLedger(trace).flags(trace.length)).toEqual([]);
  });

  it('S1: nothing is flagged at any cursor, and the guest holds its ring grant and port', () => {
    const trace = runScenario(findScenario('S1')!, { profile: 'linux-modern' }).trace;
    const l = createLedger(trace);
    for (let c = 0; c <= trace.length; c += 11) expect(l.flags(c)).toEqual([]);
    expect(l.valueAt(1, 'grants', trace.length)).toBe(1);
    expect(l.valueAt(1, 'evtchns', trace.length)).toBe(1);
    expect(l.valueAt(0, 'mappedGrants', trace.length)).toBe(1);
  });
});

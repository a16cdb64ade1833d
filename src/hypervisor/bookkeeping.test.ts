import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditGrants, checkInvariants } from './audit';
import { decreaseReservation } from './balloon';
import { cloneHypervisor } from './clone';
import { createDomain } from './domains';
import type { HvEffect } from './effects';
import {
  allocUnbound,
  bindInterdomain,
  clearEvtchn,
  closeEvtchn,
  notifyRemoteViaEvtchn,
} from './eventChannel';
import { gnttabTransfer, mapGrantRef, unmapGrantRef } from './grantOps';
import {
  endForeignAccess,
  endForeignTransfer,
  gnttabHandleDeferred,
  grantForeignAccess,
  grantForeignTransfer,
} from './grantTable';
import { createHypervisor } from './state';
import type { HypervisorState } from './types';

const DOMS = [0, 1, 2];

/** One guest or backend action; numbers pick among domains and existing objects modulo their count. */
type Op =
  | { k: 'grant'; a: number; b: number; ro: boolean }
  | { k: 'slot'; a: number; b: number }
  /** the grantee maps it (or, with `stranger`, another domain tries) */
  | { k: 'map'; a: number; pick: number; ro: boolean; stranger: boolean }
  | { k: 'unmap'; a: number; pick: number }
  | { k: 'end'; pick: number; leak: boolean }
  | { k: 'transfer'; a: number; pick: number }
  | { k: 'deferred'; a: number }
  | { k: 'alloc'; a: number; b: number }
  /** bind an unbound port, as the domain it expects (or, with `stranger`, as another one) */
  | { k: 'bind'; a: number; pick: number; stranger: boolean }
  | { k: 'send'; pick: number }
  | { k: 'clear'; pick: number }
  | { k: 'close'; pick: number };

const d = fc.nat({ max: 2 });
const n = fc.nat({ max: 50 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('grant' as const), a: d, b: d, ro: fc.boolean() }),
  fc.record({ k: fc.constant('slot' as const), a: d, b: d }),
  fc.record({
    k: fc.constant('map' as const),
    a: d,
    pick: n,
    ro: fc.boolean(),
    stranger: fc.nat({ max: 4 }).map((x) => x === 0),
  }),
  fc.record({ k: fc.constant('unmap' as const), a: d, pick: n }),
  fc.record({ k: fc.constant('end' as const), pick: n, leak: fc.boolean() }),
  fc.record({ k: fc.constant('transfer' as const), a: d, pick: n }),
  fc.record({ k: fc.constant('deferred' as const), a: d }),
  fc.record({ k: fc.constant('alloc' as const), a: d, b: d }),
  fc.record({
    k: fc.constant('bind' as const),
    a: d,
    pick: n,
    stranger: fc.nat({ max: 4 }).map((x) => x === 0),
  }),
  fc.record({ k: fc.constant('send' as const), pick: n }),
  fc.record({ k: fc.constant('clear' as const), pick: n }),
  fc.record({ k: fc.constant('close' as const), pick: n }),
);

/** What the test itself remembers about each grant it made: the reference model. */
interface Granted {
  granter: number;
  ref: number;
  kind: 'access' | 'slot';
  fate: 'open' | 'deferred' | 'leaked';
}

function world(): HypervisorState {
  const hv = createHypervisor();
  for (const domid of DOMS) createDomain(hv, { kind: 'PV', domid, memoryPages: 500 });
  return hv;
}

/** Every unbound or interdomain port, with its domain. */
function livePorts(hv: HypervisorState) {
  return [...hv.domains.values()].flatMap((dom) =>
    dom.evtchn.ports
      .filter((p) => p.state === 'unbound' || p.state === 'interdomain')
      .map((p) => ({ ...p, domid: dom.domid })),
  );
}

function pick<T>(xs: T[], i: number): T | undefined {
  return xs.length === 0 ? undefined : xs[i % xs.length];
}

/** Applies one op, updating the reference model; returns the effects. */
function apply(hv: HypervisorState, op: Op, model: Granted[]): HvEffect[] {
  switch (op.k) {
    case 'grant': {
      const r = grantForeignAccess(hv, op.a, { grantee: op.b, frame: 1, readonly: op.ro });
      if (r.ok) model.push({ granter: op.a, ref: r.ref, kind: 'access', fate: 'open' });
      return r.effects;
    }
    case 'slot': {
      decreaseReservation(hv, op.a, 1);
      const r = grantForeignTransfer(hv, op.a, { grantee: op.b, pfn: 2 });
      if (r.ok) model.push({ granter: op.a, ref: r.ref, kind: 'slot', fate: 'open' });
      return r.effects;
    }
    case 'map': {
      const g = pick(model, op.pick);
      if (!g) return [];
      const grantee = hv.domains.get(g.granter)!.gnttab.entries.get(g.ref)?.domid ?? op.a;
      const mapper = op.stranger ? op.a : grantee;
      return mapGrantRef(hv, mapper, { granter: g.granter, ref: g.ref, readonly: op.ro }).effects;
    }
    case 'unmap': {
      const handle = pick([...hv.domains.get(op.a)!.maptrack.mappings.keys()], op.pick);
      return handle === undefined ? [] : unmapGrantRef(hv, op.a, handle).effects;
    }
    case 'end': {
      const open = model.filter((g) => g.fate === 'open');
      const g = pick(open, op.pick);
      if (!g) return [];
      if (g.kind === 'slot') {
        const r = endForeignTransfer(hv, g.granter, g.ref);
        model.splice(model.indexOf(g), 1);
        return r.effects;
      }
      const r = endForeignAccess(hv, g.granter, g.ref, op.leak ? 'leak' : 'defer');
      if (!r.ok) return r.effects;
      const outcome = r.outcome;
      if (outcome === 'freed') model.splice(model.indexOf(g), 1);
      else g.fate = outcome;
      return r.effects;
    }
    case 'transfer': {
      const g = pick(
        model.filter((x) => x.kind === 'slot' && x.fate === 'open'),
        op.pick,
      );
      return g ? gnttabTransfer(hv, op.a, { frame: 9, to: g.granter, ref: g.ref }).effects : [];
    }
    case 'deferred': {
      const r = gnttabHandleDeferred(hv, op.a);
      if (r.ok)
        for (const ref of r.freed)
          model.splice(
            model.findIndex((g) => g.granter === op.a && g.ref === ref),
            1,
          );
      return r.effects;
    }
    case 'alloc':
      return allocUnbound(hv, op.a, op.b).effects;
    case 'bind': {
      const p = pick(
        livePorts(hv).filter((x) => x.state === 'unbound'),
        op.pick,
      );
      if (!p) return [];
      return bindInterdomain(hv, op.stranger ? op.a : p.remoteDomid!, p.domid, p.port).effects;
    }
    case 'send': {
      const p = pick(livePorts(hv), op.pick);
      return p ? notifyRemoteViaEvtchn(hv, p.domid, p.port).effects : [];
    }
    case 'clear': {
      const p = pick(livePorts(hv), op.pick);
      return p ? clearEvtchn(hv, p.domid, p.port).effects : [];
    }
    case 'close': {
      const p = pick(livePorts(hv), op.pick);
      return p ? closeEvtchn(hv, p.domid, p.port).effects : [];
    }
  }
}

const opsArb = fc.array(opArb, { maxLength: 150, size: 'max' });

describe('grant and event-channel bookkeeping under random operation sequences', () => {
  it('pin counts, maptrack, free lists and port pairs stay consistent after every step', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const hv = world();
        const model: Granted[] = [];
        for (const op of ops) {
          apply(hv, op, model);
          expect(checkInvariants(hv)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('everything granted is eventually either ended or reported as leaked', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const hv = world();
        const model: Granted[] = [];
        for (const op of ops) apply(hv, op, model);
        // Teardown: every backend unmaps, every guest's deferred-free timer runs once more.
        for (const domid of DOMS) {
          for (const h of [...hv.domains.get(domid)!.maptrack.mappings.keys()]) unmapGrantRef(hv, domid, h);
        }
        for (const domid of DOMS) apply(hv, { k: 'deferred', a: domid }, model);
        expect(model.filter((g) => g.fate === 'deferred')).toEqual([]);
        const reported = auditGrants(hv).map((g) => `${g.granter}:${g.ref}`);
        const expected = model.map((g) => `${g.granter}:${g.ref}`);
        expect(reported.sort()).toEqual(expected.sort());
        for (const g of auditGrants(hv)) expect(g.holding).not.toBe('mapped');
      }),
      { numRuns: 300 },
    );
  });

  it('the same operations on two snapshots give the same effects and the same states', () => {
    fc.assert(
      fc.property(opsArb, opsArb, (prefix, rest) => {
        const hv = world();
        const model: Granted[] = [];
        for (const op of prefix) apply(hv, op, model);
        const a = cloneHypervisor(hv);
        const b = cloneHypervisor(hv);
        const modelA = model.map((g) => ({ ...g }));
        const modelB = model.map((g) => ({ ...g }));
        const effA = rest.flatMap((op) => apply(a, op, modelA));
        const effB = rest.flatMap((op) => apply(b, op, modelB));
        expect(effA).toEqual(effB);
        expect(a).toEqual(b);
      }),
      { numRuns: 100 },
    );
  });
});

import type { AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { blkbackMachine } from '../../drivers/blkbackMachine';
import { blkfrontMachine } from '../../drivers/blkfrontMachine';
import { kexecMachine } from '../../drivers/kexecMachine';
import { netbackMachine } from '../../drivers/netbackMachine';
import { netfrontMachine } from '../../drivers/netfrontMachine';
import { XENBUS_STATE_NAMES } from '../../drivers/xenbusState';
import { PROFILE_IDS } from '../../sim/profiles';
import { findScenario } from '../../sim/scenarios/catalogue';
import { runScenario } from '../../sim/scenarios/run';
import { WORLD_DEPS } from '../../sim/world/createWorld';
import { machineGraph, stateIdOf, takenEdges, type MachineGraph } from './machineGraph';

const MACHINES: Record<string, AnyStateMachine> = {
  blkfront: blkfrontMachine,
  blkback: blkbackMachine,
  netfront: netfrontMachine,
  netback: netbackMachine,
  kexec: kexecMachine,
};

const edge = (g: MachineGraph, id: string) => g.edges.find((e) => e.id === id);
const numbers = (d: string) => (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);

describe('machine graph', () => {
  for (const [name, machine] of Object.entries(MACHINES)) {
    it(`${name}: gives every box a finite place inside the drawing, no two overlapping`, () => {
      const g = machineGraph(machine);
      expect(g.nodes.length).toBeGreaterThan(3);
      for (const n of g.nodes) {
        for (const v of [n.x, n.y, n.width, n.height]) expect(Number.isFinite(v)).toBe(true);
        expect(n.x).toBeGreaterThanOrEqual(0);
        expect(n.x + n.width).toBeLessThanOrEqual(g.width);
        expect(n.y + n.height).toBeLessThanOrEqual(g.height);
        // the box fits its label
        expect(n.width).toBeGreaterThan(n.label.length * 6);
      }
      for (const a of g.nodes)
        for (const b of g.nodes) {
          if (a === b) continue;
          const apart =
            a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
        }
    });

    it(`${name}: draws one edge per pair of distinct states, between boxes, inside the drawing`, () => {
      const g = machineGraph(machine);
      const ids = new Set(g.nodes.map((n) => n.id));
      expect(g.edges.length).toBeGreaterThan(3);
      expect(new Set(g.edges.map((e) => e.id)).size).toBe(g.edges.length);
      for (const e of g.edges) {
        expect(ids.has(e.from) && ids.has(e.to), e.id).toBe(true);
        expect(e.from).not.toBe(e.to);
        expect(e.events.length).toBeGreaterThan(0);
        expect(e.d).toMatch(/^M [\d.]+ [\d.]+ C /);
        for (const v of [...numbers(e.d), e.labelX, e.labelY]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(Math.max(g.width, g.height));
        }
      }
    });

    it(`${name}: is computed once per machine and options`, () => {
      expect(machineGraph(machine)).toBe(machineGraph(machine));
      expect(machineGraph(machine, { charWidth: 6 })).toBe(machineGraph(machine, { charWidth: 6 }));
      expect(machineGraph(machine, { charWidth: 6 })).not.toBe(machineGraph(machine));
    });
  }

  it('puts XenbusStates top to bottom in enum order, forward edges on the right, back edges on the left', () => {
    for (const machine of [blkfrontMachine, blkbackMachine, netfrontMachine, netbackMachine]) {
      const g = machineGraph(machine);
      const ys = g.nodes.filter((n) => (XENBUS_STATE_NAMES as readonly string[]).includes(n.id));
      const order = ys.map((n) => n.id);
      expect(order).toEqual(XENBUS_STATE_NAMES.filter((s) => order.includes(s)));
      for (let i = 1; i < ys.length; i++) expect(ys[i]!.y).toBeGreaterThan(ys[i - 1]!.y);
      // the freed device object comes last
      expect(g.nodes.at(-1)!.id).toBe('Removed');
      for (const e of g.edges) {
        const [from, to] = [g.nodes.find((n) => n.id === e.from)!, g.nodes.find((n) => n.id === e.to)!];
        expect(e.direction).toBe(to.y > from.y ? 'forward' : 'back');
        if (e.direction === 'back') expect(numbers(e.d)[2]).toBeLessThan(from.x);
        else expect(numbers(e.d)[2]).toBeGreaterThan(from.x + from.width);
      }
    }
  });

  it('draws the backends’ "prepare for reconnect" (Closing or Closed → InitWait) as back edges', () => {
    for (const machine of [blkbackMachine, netbackMachine]) {
      const g = machineGraph(machine);
      for (const id of ['Closing->InitWait', 'Closed->InitWait']) {
        expect(edge(g, id)?.direction, `${machine.id} ${id}`).toBe('back');
        expect(edge(g, id)?.events).toContain('OTHEREND_CHANGED');
      }
    }
  });

  it('draws the frontends’ xenbus_closing_done() return to Initialising as a back edge', () => {
    for (const machine of [blkfrontMachine, netfrontMachine]) {
      const e = edge(machineGraph(machine), 'Closing->Initialising');
      expect(e?.direction).toBe('back');
      expect(e?.events).toEqual(expect.arrayContaining(['OTHEREND_CHANGED', 'RESUME']));
    }
  });

  it('reads state changes from their cause, not from the SWITCHED echo', () => {
    const g = machineGraph(blkbackMachine);
    expect(g.edges.flatMap((e) => e.events)).not.toContain('SWITCHED');
    // xen_blkbk_probe() switches InitWait; only blkback's own Closing/Closed reconnect to InitWait
    expect(edge(g, 'Initialising->InitWait')?.events).toEqual(['PROBE']);
    expect(edge(g, 'Connected->InitWait')).toBeUndefined();
    // a removed device is gone: nothing leaves it
    expect(g.edges.filter((e) => e.from === 'Removed')).toEqual([]);
  });

  it('shows kexec in definition order, with the nested inSuccessor states as their own boxes', () => {
    const g = machineGraph(kexecMachine);
    expect(g.nodes.map((n) => n.id)).toEqual([
      'running',
      'loaded',
      'shuttingDown',
      'bootingSuccessor',
      'bootingCrashKernel',
      'handedOver',
      'checkingReattach',
      'freezing',
      'detaching',
      'inSuccessor.booting',
      'inSuccessor.running',
      'restoring',
      'reattaching',
    ]);
    // entering the compound state enters its initial child
    expect(edge(g, 'freezing->inSuccessor.booting')?.events).toEqual(['FROZEN']);
    expect(edge(g, 'inSuccessor.running->reattaching')?.events).toEqual(['JUMP_BACK']);
    expect(edge(g, 'restoring->loaded')?.direction).toBe('back');
    expect(edge(g, 'loaded->freezing')?.events).toEqual(['EXECUTE']);
  });

  it('maps snapshot values to node ids', () => {
    expect(stateIdOf('Connected')).toBe('Connected');
    expect(stateIdOf({ inSuccessor: 'booting' })).toBe('inSuccessor.booting');
    expect(stateIdOf({ a: { b: 'c' } })).toBe('a.b.c');
    const ids = machineGraph(kexecMachine).nodes.map((n) => n.id);
    expect(ids).toContain(stateIdOf({ inSuccessor: 'running' }));
  });

  it('ignores self-transitions and unknown pairs when collecting taken edges', () => {
    const g = machineGraph(blkbackMachine);
    const taken = takenEdges(g, [
      { from: 'Initialising', to: 'InitWait' },
      { from: 'Connected', to: 'Connected' },
      { from: 'Removed', to: 'Connected' },
      { from: 'Initialising', to: 'InitWait' },
    ]);
    expect([...taken]).toEqual(['Initialising->InitWait']);
  });

  for (const profile of PROFILE_IDS) {
    it(`maps every state change of S7 [${profile}] to an edge of its device's machine`, () => {
      const world = runScenario(findScenario('S7')!, { profile });
      const changes = world.trace.flatMap((entry) =>
        entry.effects.flatMap((e) => (e.k === 'transition' && e.from !== e.to ? [e] : [])),
      );
      const devices = new Set<string>();
      for (const t of changes) {
        // device keys are `${actor}|${nodename}`: device/vbd/51712, backend/vbd/1/51712, kexec
        const [, nodename = ''] = t.device.split('|');
        const [dir, type] = nodename.split('/');
        const machine =
          nodename === 'kexec'
            ? kexecMachine
            : WORLD_DEPS.machines[`${type}-${dir === 'backend' ? 'backend' : 'frontend'}`];
        expect(machine, t.device).toBeDefined();
        expect([...takenEdges(machineGraph(machine!), [t])], `${t.device} ${t.from}→${t.to}`).toEqual([
          `${t.from}->${t.to}`,
        ]);
        devices.add(nodename.replace(/\/\d+$/, ''));
      }
      expect([...devices].filter((d) => d.includes('vbd')).length).toBe(2);
    });
  }
});

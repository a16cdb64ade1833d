import { describe, expect, it } from 'vitest';
import { getAdjacencyMap } from 'xstate/graph';
import { PROFILE_IDS, PROFILES } from '../sim/profiles';
import { blkbackMachine, type BlkbackEvent } from './blkbackMachine';
import { blkfrontMachine, type BlkfrontEvent } from './blkfrontMachine';
import { kexecMachine, type KexecEvent } from './kexecMachine';
import { JUMP_POLICIES, type JumpPolicy } from './kexecTypes';
import { netbackMachine, type NetbackEvent } from './netbackMachine';
import { netfrontMachine, type NetfrontEvent } from './netfrontMachine';
import { XENBUS_STATE_NAMES } from './xenbusState';

const peerEvents = XENBUS_STATE_NAMES.map((state) => ({ type: 'OTHEREND_CHANGED', state }) as const);
const switchedEvents = XENBUS_STATE_NAMES.map((state) => ({ type: 'SWITCHED', state }) as const);

const blkbackEvents: BlkbackEvent[] = [
  { type: 'PROBE' },
  ...peerEvents,
  ...switchedEvents,
  { type: 'PHYSICAL_DEVICE', major: 0xfe, minor: 0 },
  { type: 'PHYSICAL_DEVICE_ABSENT' },
  { type: 'VBD_CREATED' },
  { type: 'RING_CONNECTED' },
  { type: 'CONNECTED_TX_DONE' },
  { type: 'ONLINE', value: true },
  { type: 'IO_INFLIGHT', count: 1 },
  { type: 'IO_INFLIGHT', count: 0 },
  { type: 'REMOVE' },
];
const netbackEvents: NetbackEvent[] = [
  { type: 'PROBE' },
  ...peerEvents,
  ...switchedEvents,
  { type: 'HOTPLUG_STATUS', value: 'connected' },
  { type: 'CONNECT_DONE' },
  { type: 'CONNECT_FAILED', errno: 22, message: 'reading ring references' },
  { type: 'ONLINE', value: true },
  { type: 'ONLINE', value: false },
  { type: 'REMOVE' },
];
const netfrontEvents: NetfrontEvent[] = [
  { type: 'PROBE' },
  ...peerEvents,
  ...switchedEvents,
  { type: 'CONNECT_DONE' },
  { type: 'CONNECT_FAILED', errno: 19, message: '' },
  { type: 'SHUTDOWN' },
  { type: 'SHUTDOWN_TIMEOUT' },
  { type: 'DOWN_COMPLETED' },
  { type: 'REMOVE' },
];
const blkfrontEvents: BlkfrontEvent[] = [
  { type: 'PROBE' },
  ...peerEvents,
  ...switchedEvents,
  { type: 'TALK_DONE' },
  { type: 'DISK_READY' },
  { type: 'DISK_OPENED' },
  { type: 'DISK_RELEASED' },
  { type: 'SHUTDOWN' },
  { type: 'SHUTDOWN_TIMEOUT' },
  { type: 'DOWN_COMPLETED' },
  { type: 'REMOVE' },
];

const kexecEvents: KexecEvent[] = [
  ...(['kexec', 'kdump', 'jump'] as const).map((kind) => ({ type: 'LOAD', image: 'K2', kind }) as const),
  { type: 'UNLOAD' },
  { type: 'EXECUTE' },
  { type: 'PANIC', message: 'Fatal exception' },
  { type: 'DEVICES_DOWN' },
  { type: 'REATTACH_CHECKED', ok: true },
  { type: 'REATTACH_CHECKED', ok: false, blocker: 'vbd-51712' },
  { type: 'FROZEN' },
  { type: 'BOOTED' },
  { type: 'JUMP_BACK' },
  { type: 'RESTORED' },
  { type: 'REATTACHED' },
];

interface Entry {
  state: unknown;
  transitions: Record<string, { state: unknown }>;
}
/** A state value as a dotted path: 'Connected', 'inSuccessor.booting'. */
const pathOf = (value: unknown): string =>
  typeof value === 'object' && value !== null
    ? Object.entries(value)
        .map(([key, child]) => `${key}.${pathOf(child)}`)
        .join(',')
    : String(value);
const valueOf = (state: unknown): string => pathOf((state as { value: unknown }).value);

/**
 * State values reached (dotted paths for nested states), the dead ends: values whose every snapshot has
 * no event leading to another value, and the stuck values: some snapshot of the value has none.
 */
function analyse(adjacency: object): { reached: string[]; deadEnds: string[]; stuck: string[] } {
  const entries = Object.values(adjacency) as Entry[];
  const reached = [...new Set(entries.map((e) => valueOf(e.state)))].sort();
  const leavesTo = (e: Entry): boolean =>
    Object.values(e.transitions).some((t) => valueOf(t.state) !== valueOf(e.state));
  const deadEnds = reached.filter((value) => !entries.some((e) => valueOf(e.state) === value && leavesTo(e)));
  const stuck = reached.filter((value) => entries.some((e) => valueOf(e.state) === value && !leavesTo(e)));
  return { reached, deadEnds, stuck };
}

// context serialised without what no guard reads: the profile is fixed per traversal and only
// blkfront's TALK_DONE looks at the last peer state (is it Connected?)
const serializeState = (state: unknown): string => {
  const s = state as { value: unknown; context: Record<string, unknown> };
  const { profile: _profile, peerState, ...rest } = s.context;
  return JSON.stringify([s.value, peerState === 'Connected', rest]);
};

describe('state graphs (xstate/graph)', () => {
  for (const id of PROFILE_IDS) {
    it(`blkback [${PROFILES[id].label}]: every state is reachable and only Removed is a dead end`, () => {
      const adjacency = getAdjacencyMap(blkbackMachine, {
        input: { profile: PROFILES[id] },
        events: blkbackEvents,
        serializeState,
        limit: 20000,
      });
      const { reached, deadEnds } = analyse(adjacency);
      expect(reached).toEqual(['Closed', 'Closing', 'Connected', 'InitWait', 'Initialising', 'Removed']);
      // device_unregister frees the device object (xenbus.md §3.7)
      expect(deadEnds).toEqual(['Removed']);
    });

    it(`netback [${PROFILES[id].label}]: every state is reachable and only Removed is a dead end`, () => {
      const adjacency = getAdjacencyMap(netbackMachine, {
        input: { profile: PROFILES[id] },
        events: netbackEvents,
        serializeState,
        limit: 20000,
      });
      const { reached, deadEnds } = analyse(adjacency);
      expect(reached).toEqual(['Closed', 'Closing', 'Connected', 'InitWait', 'Initialising', 'Removed']);
      expect(deadEnds).toEqual(['Removed']);
    });

    it(`netfront [${PROFILES[id].label}]: every state is reachable and only Removed is a dead end`, () => {
      const adjacency = getAdjacencyMap(netfrontMachine, {
        input: { profile: PROFILES[id] },
        events: netfrontEvents,
        serializeState,
        limit: 20000,
      });
      const { reached, deadEnds } = analyse(adjacency);
      expect(reached).toEqual(['Closed', 'Closing', 'Connected', 'Initialising', 'Removed']);
      expect(deadEnds).toEqual(['Removed']);
    });

    it(`blkfront [${PROFILES[id].label}]: every state is reachable and only Removed is a dead end`, () => {
      const adjacency = getAdjacencyMap(blkfrontMachine, {
        input: { profile: PROFILES[id] },
        events: blkfrontEvents,
        serializeState,
        limit: 20000,
        // bound the open count so the traversal is finite
        filterEvents: (state, event) =>
          event.type !== 'DISK_OPENED' || (state.context as { users: number }).users < 2,
      });
      const { reached, deadEnds } = analyse(adjacency);
      expect(reached).toEqual(['Closed', 'Closing', 'Connected', 'Initialised', 'Initialising', 'Removed']);
      expect(deadEnds).toEqual(['Removed']);
    });
  }

  // the kexec machine reads the profile for one effect only ([2006-RFC] xs_suspend), not for transitions
  const kexecAdjacency = (jumpPolicy: JumpPolicy) =>
    getAdjacencyMap(kexecMachine, {
      input: { profile: PROFILES['linux-modern'], jumpPolicy },
      events: kexecEvents,
      serializeState,
      limit: 20000,
    });
  const kexecStates: Record<JumpPolicy, string[]> = {
    'pm-freeze': ['freezing', 'restoring'],
    'fail-early': ['checkingReattach', 'freezing', 'restoring'],
    'unplug-replug': ['detaching', 'reattaching'],
  };
  const kexecCommon = [
    'bootingCrashKernel',
    'bootingSuccessor',
    'handedOver',
    'inSuccessor.booting',
    'inSuccessor.running',
    'loaded',
    'running',
    'shuttingDown',
  ];
  for (const jumpPolicy of JUMP_POLICIES) {
    it(`kexec [${jumpPolicy}]: every state of the policy is reachable and only handedOver is a dead end`, () => {
      const { reached, deadEnds, stuck } = analyse(kexecAdjacency(jumpPolicy));
      expect(reached).toEqual([...kexecCommon, ...kexecStates[jumpPolicy]].sort());
      // the old kernel is gone once its successor booted
      expect(deadEnds).toEqual(['handedOver']);
      // and every reachable snapshot of any other state (whatever image kind is loaded) has a way out
      expect(stuck).toEqual(['handedOver']);
    });
  }

  it('kexec: the three jump policies together reach every state of the machine', () => {
    const all = new Set(JUMP_POLICIES.flatMap((jumpPolicy) => analyse(kexecAdjacency(jumpPolicy)).reached));
    // leaf state nodes of the machine definition, as dotted paths
    interface Node {
      key: string;
      states: Record<string, Node>;
    }
    const leaves = (states: Record<string, Node>, prefix: string): string[] =>
      Object.values(states).flatMap((node) =>
        Object.keys(node.states).length === 0
          ? [prefix + node.key]
          : leaves(node.states, `${prefix}${node.key}.`),
      );
    expect([...all].sort()).toEqual(leaves(kexecMachine.root.states, '').sort());
  });
});

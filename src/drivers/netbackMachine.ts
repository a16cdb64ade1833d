import { and, assign, enqueueActions, not, or, setup, stateIn } from 'xstate';
import { getNetbackTraits } from './driverTraits';
import { createEffectAction, EINVAL } from './effects';
import type { NetbackContext, NetbackEvent, NetbackInput } from './netbackTypes';
import { getBackendStatePath, type NetbackTarget } from './setBackendState';
import { switchedTo, switchedTransitions } from './switched';
import { XenbusState, type XenbusStateName } from './xenbusState';

export type { NetbackContext, NetbackEvent, NetbackInput } from './netbackTypes';

type PeerEvent = Extract<NetbackEvent, { type: 'OTHEREND_CHANGED' }>;
const peerIs = (event: NetbackEvent, ...states: XenbusStateName[]): boolean =>
  event.type === 'OTHEREND_CHANGED' && states.includes(event.state);
const traits = ({ context }: { context: NetbackContext }) => getNetbackTraits(context.profile);

/** An effect action named by string, with its params */
type NamedEffect =
  | 'backendDisconnect'
  | 'netbackConnect'
  | 'unwatchHotplugStatus'
  | {
      type: 'switchState';
      params: { state: XenbusStateName };
    };
// actions declared in setup() cannot name their siblings in the types; xstate resolves the names at run time
const named = (enqueue: unknown) => enqueue as (action: NamedEffect) => void;

/** netback frontend_changed(), set_backend_state() and the hotplug-status watch as a reaction table. */
export const netbackMachine = setup({
  types: {
    context: {} as NetbackContext,
    events: {} as NetbackEvent,
    input: {} as NetbackInput,
  },
  actions: {
    // effects (carried out by the simulator)
    switchState: createEffectAction('switchState'),
    devFatal: createEffectAction('devFatal'),
    deviceUnregister: createEffectAction('deviceUnregister'),
    log: createEffectAction('log'),
    readOnline: createEffectAction('readOnline'),
    writeNetbackFeatures: createEffectAction('writeNetbackFeatures'),
    createVif: createEffectAction('createVif'),
    destroyVif: createEffectAction('destroyVif'),
    netbackConnect: createEffectAction('netbackConnect'),
    backendDisconnect: createEffectAction('backendDisconnect'),
    watchHotplugStatus: createEffectAction('watchHotplugStatus'),
    unwatchHotplugStatus: createEffectAction('unwatchHotplugStatus'),
    netbackRemove: createEffectAction('netbackRemove'),
    // bookkeeping of what the kernel structures hold
    recordPeerState: assign({ peerState: ({ event }) => (event as PeerEvent).state }),
    recordVif: assign({ hasVif: true }),
    forgetVif: assign({ hasVif: false }),
    startConnect: assign({ connecting: true }),
    startOnlineRead: assign({ awaitingOnline: true }),
    finishOnlineRead: assign({ awaitingOnline: false }),
    /**
     * [modern] set_backend_state(be, target): each hop is backend_switch_state(), which sets be->state and
     * writes it unless the hotplug-status watch exists. The InitWait → Connected hop calls backend_connect()
     * first; connect() is a routine here, so the walk pauses there and CONNECT_DONE finishes the hop.
     */
    setBackendState: enqueueActions(({ context, enqueue }, params: { target: NetbackTarget }) => {
      const put = named(enqueue);
      let reached = context.backendState;
      for (const next of getBackendStatePath(context.backendState, params.target)) {
        if (next.disconnect) put('backendDisconnect');
        if (next.connect && context.hasVif) {
          put('netbackConnect');
          enqueue.assign({ connecting: true });
          break;
        }
        reached = next.to;
        if (!context.hotplugWatch) put({ type: 'switchState', params: { state: next.to } });
      }
      enqueue.assign({ backendState: reached });
    }),
    /** [modern] connect() returned (on failure after its own xenbus_dev_fatal): backend_switch_state(Connected) */
    finishConnectHop: enqueueActions(({ context, enqueue }) => {
      enqueue.assign({ backendState: 'Connected', connecting: false });
      if (!context.hotplugWatch) named(enqueue)({ type: 'switchState', params: { state: 'Connected' } });
    }),
    recordHotplugWatch: assign({ hotplugWatch: true }),
    /** hotplug_status_changed(): "Complete any pending state change", then unregister the watch */
    completePendingState: enqueueActions(({ context, enqueue }) => {
      const put = named(enqueue);
      put({ type: 'switchState', params: { state: context.backendState } });
      put('unwatchHotplugStatus');
      enqueue.assign({ hotplugWatch: false });
    }),
  },
  guards: {
    peerInitialising: ({ event }) => peerIs(event, 'Initialising'),
    peerInitialised: ({ event }) => peerIs(event, 'Initialised'),
    peerConnected: ({ event }) => peerIs(event, 'Connected'),
    peerClosing: ({ event }) => peerIs(event, 'Closing'),
    peerClosed: ({ event }) => peerIs(event, 'Closed'),
    peerUnknown: ({ event }) => peerIs(event, 'Unknown'),
    peerReconfiguring: ({ event }) => peerIs(event, 'Reconfiguring'),
    walksBackendState: (args) => traits(args).walksBackendState,
    hasHotplugStatusGate: (args) => traits(args).hotplugStatusGate,
    reconnectsFromClosing: (args) => traits(args).reconnectFrom === 'Closing',
    reconnectsFromClosed: (args) => traits(args).reconnectFrom === 'Closed',
    unregistersAlwaysOnPeerClosed: (args) => traits(args).unregisterOnPeerClosed === 'always',
    recreatesVifOnConnected: (args) => traits(args).recreatesVifOnConnected,
    hasVif: ({ context }) => context.hasVif,
    /** [2006 trees] "prepare for reconnect": own Closing (RFC point 3) or own Closed (xen@5182367c40) */
    isReconnectState: or([
      and(['reconnectsFromClosing', stateIn('#netback.Closing')]),
      and(['reconnectsFromClosed', stateIn('#netback.Closed')]),
    ]),
    isConnecting: ({ context }) => context.connecting,
    isHotplugConnected: ({ context, event }) =>
      context.hotplugWatch && event.type === 'HOTPLUG_STATUS' && event.value === 'connected',
    isAwaitingOnline: ({ context }) => context.awaitingOnline,
    isOnline: ({ event }) => event.type === 'ONLINE' && event.value,
    switchedTo,
  },
}).createMachine({
  id: 'netback',
  context: ({ input }) => ({
    profile: input.profile,
    peerState: null,
    backendState: 'Initialising',
    hasVif: false,
    hotplugWatch: false,
    connecting: false,
    awaitingOnline: false,
  }),
  // xenbus_probe_node() sets dev->state = Initialising before probing
  initial: 'Initialising',
  states: {
    Initialising: {
      on: {
        PROBE: [
          // [modern] netback_probe(): features, backend_switch_state(InitWait) (no watch yet: written), backend_create_xenvif
          {
            guard: 'walksBackendState',
            actions: [
              'writeNetbackFeatures',
              { type: 'setBackendState', params: { target: 'InitWait' } },
              'createVif',
              'recordVif',
            ],
          },
          // [2006] netback_probe(): features, watch `handle` (its handler creates the netif), switch InitWait
          {
            actions: [
              'writeNetbackFeatures',
              'createVif',
              'recordVif',
              { type: 'switchState', params: { state: 'InitWait' } },
            ],
          },
        ],
      },
    },
    InitWait: {},
    Connected: {},
    Closing: {},
    Closed: {},
    /** device_unregister() freed the device object: nothing of this driver instance is left */
    // the root-level handlers must not revive it: every event is swallowed here
    Removed: { type: 'final', on: { '*': {} } },
  },
  on: {
    SWITCHED: switchedTransitions(['InitWait', 'Connected', 'Closing', 'Closed']),
    OTHEREND_CHANGED: [
      // ---- [modern] frontend_changed() → set_backend_state(target), xenbus.md §7.3 ----
      // | Initialising | target InitWait |
      {
        guard: and(['walksBackendState', 'peerInitialising']),
        actions: ['recordPeerState', { type: 'setBackendState', params: { target: 'InitWait' } }],
      },
      // | Connected | target Connected |
      {
        guard: and(['walksBackendState', 'peerConnected']),
        actions: ['recordPeerState', { type: 'setBackendState', params: { target: 'Connected' } }],
      },
      // | Closing | target Closing |
      {
        guard: and(['walksBackendState', 'peerClosing']),
        actions: ['recordPeerState', { type: 'setBackendState', params: { target: 'Closing' } }],
      },
      // | Closed | target Closed; then `if (xenbus_dev_is_online(dev)) break;` else unregister |
      {
        guard: and(['walksBackendState', 'peerClosed']),
        actions: [
          'recordPeerState',
          { type: 'setBackendState', params: { target: 'Closed' } },
          'startOnlineRead',
          'readOnline',
        ],
      },
      // | Unknown | target Closed; device_unregister |
      {
        guard: and(['walksBackendState', 'peerUnknown']),
        actions: [
          'recordPeerState',
          { type: 'setBackendState', params: { target: 'Closed' } },
          'deviceUnregister',
        ],
      },
      // | Initialised | nothing |  | Reconfiguring | read xdp-headroom, switch Reconfigured (not modelled) |
      {
        guard: and(['walksBackendState', or(['peerInitialised', 'peerReconfiguring'])]),
        actions: 'recordPeerState',
      },
      // ---- [2006 trees] frontend_changed(), xenbus.md §5.2, §7.3; kexec-handover.md §2 point (3) ----
      // | Initialising | own = Closing [2006-RFC] / own = Closed [2006-merged] | "prepare for reconnect"; drop the netif; InitWait |
      {
        guard: and(['peerInitialising', 'isReconnectState', 'hasVif']),
        actions: ['recordPeerState', ...prepareForReconnect(['destroyVif', 'forgetVif'])],
      },
      {
        guard: and(['peerInitialising', 'isReconnectState']),
        actions: ['recordPeerState', ...prepareForReconnect([])],
      },
      // | Initialising, Initialised | otherwise | nothing |
      { guard: or(['peerInitialising', 'peerInitialised']), actions: 'recordPeerState' },
      // | Connected | own = Connected | nothing (netif_map finds the ring already mapped) |
      { guard: and(['peerConnected', stateIn('#netback.Connected')]), actions: 'recordPeerState' },
      // | Connected | interface exists | maybe_connect → connect (→ CONNECT_DONE) |
      {
        guard: and(['peerConnected', 'hasVif']),
        actions: ['recordPeerState', 'startConnect', 'netbackConnect'],
      },
      // | Connected | no interface, [2006-RFC] / [2006-merged] | re-run the `handle` watch handler, then connect |
      {
        guard: and(['peerConnected', 'recreatesVifOnConnected']),
        actions: ['recordPeerState', 'createVif', 'recordVif', 'startConnect', 'netbackConnect'],
      },
      // | Connected | no interface, [2006] | nothing |
      { guard: 'peerConnected', actions: 'recordPeerState' },
      // | Closing | switch Closing |
      {
        guard: 'peerClosing',
        actions: ['recordPeerState', { type: 'switchState', params: { state: 'Closing' } }],
      },
      // | Closed | [2006], [2006-RFC] | device_unregister (no `online` node yet) |
      {
        guard: and(['peerClosed', 'unregistersAlwaysOnPeerClosed']),
        actions: ['recordPeerState', 'deviceUnregister'],
      },
      // | Closed | [2006-merged] | switch Closed; online? stop : device_unregister |
      {
        guard: 'peerClosed',
        actions: [
          'recordPeerState',
          { type: 'switchState', params: { state: 'Closed' } },
          'startOnlineRead',
          'readOnline',
        ],
      },
      // | Unknown | device_unregister (xenbus.md §6.4) |
      { guard: 'peerUnknown', actions: ['recordPeerState', 'deviceUnregister'] },
      // | InitWait, Reconfigured ([2006 trees]: also Reconfiguring) | fatal EINVAL "saw state N at frontend" |
      {
        actions: [
          'recordPeerState',
          {
            type: 'devFatal',
            params: ({ event }) => ({
              errno: EINVAL,
              message: `saw state ${stateNumber(event)} at frontend`,
            }),
          },
        ],
      },
    ],
    CONNECT_DONE: [
      // [modern] connect() tail: watch hotplug-status (gate), then backend_switch_state(Connected)
      {
        guard: and(['isConnecting', 'walksBackendState', 'hasHotplugStatusGate']),
        actions: ['watchHotplugStatus', 'recordHotplugWatch', 'finishConnectHop'],
      },
      { guard: and(['isConnecting', 'walksBackendState']), actions: 'finishConnectHop' },
      // [2006] connect(): xenbus_switch_state(Connected)
      {
        guard: 'isConnecting',
        actions: [assign({ connecting: false }), { type: 'switchState', params: { state: 'Connected' } }],
      },
    ],
    CONNECT_FAILED: [
      // [modern] connect() returns after xenbus_dev_fatal; set_backend_state still switches Connected
      {
        guard: and(['isConnecting', 'walksBackendState']),
        actions: [{ type: 'devFatal', params: fatalParams }, 'finishConnectHop'],
      },
      // [2006] connect_rings() failed: xenbus_dev_fatal, no Connected
      {
        guard: 'isConnecting',
        actions: [assign({ connecting: false }), { type: 'devFatal', params: fatalParams }],
      },
    ],
    // [modern] hotplug_status_changed(): anything but `connected` (the registration firing with "") waits on
    HOTPLUG_STATUS: { guard: 'isHotplugConnected', actions: 'completePendingState' },
    ONLINE: [
      // frontend_changed(Closed): `if (xenbus_dev_is_online(dev)) break;` else fall through to device_unregister
      { guard: and(['isAwaitingOnline', 'isOnline']), actions: 'finishOnlineRead' },
      {
        guard: and(['isAwaitingOnline', not('isOnline')]),
        actions: ['finishOnlineRead', 'deviceUnregister'],
      },
    ],
    REMOVE: { target: '.Removed', actions: 'netbackRemove' },
  },
});

/** [2006 trees] frontend_changed(Initialising): log, netif_disconnect + be->netif = NULL when present, InitWait */
function prepareForReconnect<const A extends readonly string[]>(drop: A) {
  return [
    { type: 'log', params: { message: 'prepare for reconnect' } },
    ...drop,
    { type: 'switchState', params: { state: 'InitWait' } },
  ] as const;
}

function fatalParams({ event }: { event: NetbackEvent }): { errno: number; message: string } {
  return event.type === 'CONNECT_FAILED'
    ? { errno: event.errno, message: event.message }
    : { errno: 0, message: '' };
}

function stateNumber(event: NetbackEvent): number | string {
  return event.type === 'OTHEREND_CHANGED' ? XenbusState[event.state] : '?';
}

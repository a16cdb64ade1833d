import { and, assign, not, or, setup, stateIn } from 'xstate';
import type { BlkbackContext, BlkbackEvent, BlkbackInput } from './blkbackTypes';
import { getBlkbackTraits } from './driverTraits';
import { createEffectAction, EBUSY, EINVAL } from './effects';
import { switchedTo, switchedTransitions } from './switched';
import { XenbusState, type XenbusStateName } from './xenbusState';

export type { BlkbackContext, BlkbackEvent, BlkbackInput } from './blkbackTypes';

type PeerEvent = Extract<BlkbackEvent, { type: 'OTHEREND_CHANGED' }>;
const peerIs = (event: BlkbackEvent, ...states: XenbusStateName[]): boolean =>
  event.type === 'OTHEREND_CHANGED' && states.includes(event.state);

/** blkback frontend_changed() and friends as a reaction table. */
export const blkbackMachine = setup({
  types: {
    context: {} as BlkbackContext,
    events: {} as BlkbackEvent,
    input: {} as BlkbackInput,
  },
  actions: {
    // effects (carried out by the simulator)
    switchState: createEffectAction('switchState'),
    devFatal: createEffectAction('devFatal'),
    deviceUnregister: createEffectAction('deviceUnregister'),
    log: createEffectAction('log'),
    watchPhysicalDevice: createEffectAction('watchPhysicalDevice'),
    createVbd: createEffectAction('createVbd'),
    blkifDisconnect: createEffectAction('blkifDisconnect'),
    connectRing: createEffectAction('connectRing'),
    connect: createEffectAction('connect'),
    startIoThread: createEffectAction('startIoThread'),
    readOnline: createEffectAction('readOnline'),
    blkbackRemove: createEffectAction('blkbackRemove'),
    // bookkeeping of what the kernel structures hold
    recordPeerState: assign({ peerState: ({ event }) => (event as PeerEvent).state }),
    /** xen_blkif_disconnect() with nothing in flight: irq unbound, ring unmapped */
    forgetRing: assign({ ringConnected: false }),
    recordRing: assign({ ringConnected: true }),
    recordPhysicalDevice: assign({
      physicalDevice: ({ event }) =>
        event.type === 'PHYSICAL_DEVICE' ? { major: event.major, minor: event.minor } : null,
    }),
    recordBdevOpen: assign({ bdevOpen: true }),
    forgetPhysicalDevice: assign({ physicalDevice: null, bdevOpen: false }),
    recordInflight: assign({ inflight: ({ event }) => (event.type === 'IO_INFLIGHT' ? event.count : 0) }),
    startOnlineRead: assign({ awaitingOnline: true }),
    finishOnlineRead: assign({ awaitingOnline: false }),
  },
  guards: {
    peerInitialising: ({ event }) => peerIs(event, 'Initialising'),
    peerInitialisedOrConnected: ({ event }) => peerIs(event, 'Initialised', 'Connected'),
    peerClosing: ({ event }) => peerIs(event, 'Closing'),
    peerClosed: ({ event }) => peerIs(event, 'Closed'),
    peerUnknown: ({ event }) => peerIs(event, 'Unknown'),
    reconnectsFromClosing: ({ context }) => getBlkbackTraits(context.profile).reconnectFrom === 'Closing',
    reconnectsFromClosed: ({ context }) => getBlkbackTraits(context.profile).reconnectFrom === 'Closed',
    unregistersAlwaysOnPeerClosed: ({ context }) =>
      getBlkbackTraits(context.profile).unregisterOnPeerClosed === 'always',
    disconnectsOnPeerClosing: ({ context }) => getBlkbackTraits(context.profile).disconnectOnPeerClosing,
    disconnectsBeforeConnectRing: ({ context }) =>
      getBlkbackTraits(context.profile).disconnectBeforeConnectRing,
    unregistersOnPeerUnknown: ({ context }) => getBlkbackTraits(context.profile).unregisterOnPeerUnknown,
    hasInflightIo: ({ context }) => context.inflight > 0,
    hasPhysicalDevice: ({ context }) => context.physicalDevice !== null,
    isSamePhysicalDevice: ({ context, event }) =>
      event.type === 'PHYSICAL_DEVICE' &&
      context.physicalDevice?.major === event.major &&
      context.physicalDevice.minor === event.minor,
    /**
     * xen_update_blkif_status(): `blkif->irq && blkif->vbd.bdev` (own != Connected is a stateIn). Guards see
     * the context before the transition's assigns, so each completion checks the other half.
     */
    isReadyToConnectAfterVbd: ({ context }) => context.ringConnected,
    isReadyToConnectAfterRing: ({ context }) => context.bdevOpen,
    isAwaitingOnline: ({ context }) => context.awaitingOnline,
    isOnline: ({ event }) => event.type === 'ONLINE' && event.value,
    switchedTo,
  },
}).createMachine({
  id: 'blkback',
  context: ({ input }) => ({
    profile: input.profile,
    peerState: null,
    physicalDevice: null,
    bdevOpen: false,
    ringConnected: false,
    inflight: 0,
    awaitingOnline: false,
  }),
  // xenbus_probe_node() sets dev->state = Initialising before probing
  initial: 'Initialising',
  states: {
    Initialising: {
      on: {
        // xen_blkbk_probe(): alloc blkif, watch physical-device, switch InitWait
        PROBE: {
          actions: ['watchPhysicalDevice', { type: 'switchState', params: { state: 'InitWait' } }],
        },
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
    SWITCHED: [
      // connect() switched Connected → xen_update_blkif_status() starts the I/O thread
      {
        guard: { type: 'switchedTo', params: { state: 'Connected' } },
        target: '.Connected',
        actions: 'startIoThread',
      },
      ...switchedTransitions(['InitWait', 'Closing', 'Closed']),
    ],
    OTHEREND_CHANGED: [
      // ---- frontend_changed(), xenbus.md §7.1 (modern) and §7.2 (variants) ----
      // | Initialising | own = Closed  [2006-merged, modern] | "prepare for reconnect"; switch InitWait |
      // | Initialising | own = Closing [2006-RFC]            | "prepare for reconnect"; switch InitWait |
      {
        guard: and([
          'peerInitialising',
          or([
            and(['reconnectsFromClosed', stateIn('#blkback.Closed')]),
            and(['reconnectsFromClosing', stateIn('#blkback.Closing')]),
          ]),
        ]),
        actions: [
          'recordPeerState',
          { type: 'log', params: { message: 'prepare for reconnect' } },
          { type: 'switchState', params: { state: 'InitWait' } },
        ],
      },
      // | Initialising | otherwise ([2006]: always) | nothing |
      { guard: 'peerInitialising', actions: 'recordPeerState' },
      // | Initialised or Connected | own = Connected | nothing ("two watches fire in close succession") |
      {
        guard: and(['peerInitialisedOrConnected', stateIn('#blkback.Connected')]),
        actions: 'recordPeerState',
      },
      // | Initialised or Connected | otherwise, I/O in flight [modern] | xen_blkif_disconnect → -EBUSY → fatal "pending I/O" |
      {
        guard: and(['peerInitialisedOrConnected', 'disconnectsBeforeConnectRing', 'hasInflightIo']),
        actions: [
          'recordPeerState',
          'blkifDisconnect',
          { type: 'devFatal', params: { errno: EBUSY, message: 'pending I/O' } },
        ],
      },
      // | Initialised or Connected | otherwise [modern] | xen_blkif_disconnect; connect_ring (→ RING_CONNECTED) |
      {
        guard: and(['peerInitialisedOrConnected', 'disconnectsBeforeConnectRing']),
        actions: ['recordPeerState', 'blkifDisconnect', 'forgetRing', 'connectRing'],
      },
      // | Initialised or Connected | otherwise [2006 trees] | connect_ring (→ RING_CONNECTED) |
      { guard: 'peerInitialisedOrConnected', actions: ['recordPeerState', 'connectRing'] },
      // | Closing | [2006], [2006-RFC] | blkif_disconnect; switch Closing |
      {
        guard: and(['peerClosing', 'disconnectsOnPeerClosing', not('hasInflightIo')]),
        actions: [
          'recordPeerState',
          'blkifDisconnect',
          'forgetRing',
          { type: 'switchState', params: { state: 'Closing' } },
        ],
      },
      {
        guard: and(['peerClosing', 'disconnectsOnPeerClosing']),
        actions: [
          'recordPeerState',
          'blkifDisconnect',
          { type: 'switchState', params: { state: 'Closing' } },
        ],
      },
      // | Closing | [2006-merged], [modern] | switch Closing |
      {
        guard: 'peerClosing',
        actions: ['recordPeerState', { type: 'switchState', params: { state: 'Closing' } }],
      },
      // | Closed | [2006], [2006-RFC] | device_unregister (no `online` node yet) |
      {
        guard: and(['peerClosed', 'unregistersAlwaysOnPeerClosed']),
        actions: ['recordPeerState', 'deviceUnregister'],
      },
      // | Closed | [2006-merged], [modern] | xen_blkif_disconnect; switch Closed; online? stop : device_unregister |
      {
        guard: and(['peerClosed', 'hasInflightIo']),
        actions: [
          'recordPeerState',
          'blkifDisconnect',
          { type: 'switchState', params: { state: 'Closed' } },
          'startOnlineRead',
          'readOnline',
        ],
      },
      {
        guard: 'peerClosed',
        actions: [
          'recordPeerState',
          'blkifDisconnect',
          'forgetRing',
          { type: 'switchState', params: { state: 'Closed' } },
          'startOnlineRead',
          'readOnline',
        ],
      },
      // | Unknown | [2006-merged], [modern] | device_unregister |
      {
        guard: and(['peerUnknown', 'unregistersOnPeerUnknown']),
        actions: ['recordPeerState', 'deviceUnregister'],
      },
      // | InitWait, Reconfiguring, Reconfigured ([2006]: also Unknown) | fatal EINVAL "saw state N at frontend" |
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
    // backend_changed(): the watch fires once on registration, before hotplug wrote the node
    PHYSICAL_DEVICE_ABSENT: {},
    PHYSICAL_DEVICE: [
      // be->major|minor already set: a change is refused with a warning, the same value is ignored
      { guard: 'isSamePhysicalDevice' },
      {
        guard: 'hasPhysicalDevice',
        actions: {
          type: 'log',
          params: ({ context, event }) => ({ message: describeDeviceChange(context, event) }),
        },
      },
      {
        actions: [
          'recordPhysicalDevice',
          {
            type: 'createVbd',
            params: ({ event }) =>
              event.type === 'PHYSICAL_DEVICE'
                ? { major: event.major, minor: event.minor }
                : { major: 0, minor: 0 },
          },
        ],
      },
    ],
    VBD_CREATED: [
      // "We're potentially connected now": xen_update_blkif_status()
      {
        guard: and(['isReadyToConnectAfterVbd', not(stateIn('#blkback.Connected'))]),
        actions: ['recordBdevOpen', 'connect'],
      },
      { actions: 'recordBdevOpen' },
    ],
    VBD_FAILED: {
      actions: [
        'forgetPhysicalDevice',
        {
          type: 'devFatal',
          params: ({ event }) => ({
            errno: event.type === 'VBD_FAILED' ? event.errno : 0,
            message: 'creating vbd structure',
          }),
        },
      ],
    },
    RING_CONNECTED: [
      // frontend_changed() → xen_update_blkif_status(): irq and bdev present, own != Connected → connect()
      {
        guard: and(['isReadyToConnectAfterRing', not(stateIn('#blkback.Connected'))]),
        actions: ['recordRing', 'connect'],
      },
      { actions: 'recordRing' },
    ],
    RING_FAILED: {
      actions: {
        type: 'devFatal',
        params: ({ event }) =>
          event.type === 'RING_FAILED'
            ? { errno: event.errno, message: event.message }
            : { errno: 0, message: '' },
      },
    },
    // connect(): the transaction committed → xenbus_switch_state(Connected)
    CONNECTED_TX_DONE: { actions: { type: 'switchState', params: { state: 'Connected' } } },
    CONNECT_FAILED: {
      actions: {
        type: 'devFatal',
        params: ({ event }) =>
          event.type === 'CONNECT_FAILED'
            ? { errno: event.errno, message: event.message }
            : { errno: 0, message: '' },
      },
    },
    ONLINE: [
      // frontend_changed(Closed): `if (xenbus_dev_is_online(dev)) break;` else fall through to device_unregister
      { guard: and(['isAwaitingOnline', 'isOnline']), actions: 'finishOnlineRead' },
      { guard: 'isAwaitingOnline', actions: ['finishOnlineRead', 'deviceUnregister'] },
    ],
    IO_INFLIGHT: { actions: 'recordInflight' },
    REMOVE: { target: '.Removed', actions: 'blkbackRemove' },
  },
});

function stateNumber(event: BlkbackEvent): number | string {
  return event.type === 'OTHEREND_CHANGED' ? XenbusState[event.state] : '?';
}

function describeDeviceChange(context: BlkbackContext, event: BlkbackEvent): string {
  const from = context.physicalDevice;
  if (event.type !== 'PHYSICAL_DEVICE' || from === null) return 'changing physical device not supported.';
  const hex = (n: number): string => n.toString(16);
  return `changing physical device (from ${hex(from.major)}:${hex(from.minor)} to ${hex(event.major)}:${hex(event.minor)}) not supported.`;
}

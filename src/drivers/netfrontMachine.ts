import { and, assign, enqueueActions, not, setup, stateIn } from 'xstate';
import { getNetfrontTraits } from './driverTraits';
import { createEffectAction, ENODEV } from './effects';
import { closingDoneTarget, shutdownWaitEnds, skipShutdown, startShutdown } from './frontendShutdown';
import type { NetfrontContext, NetfrontEvent, NetfrontInput } from './netfrontTypes';
import { switchedTo, switchedTransitions } from './switched';
import type { XenbusStateName } from './xenbusState';

export type { NetfrontContext, NetfrontEvent, NetfrontInput } from './netfrontTypes';

type PeerEvent = Extract<NetfrontEvent, { type: 'OTHEREND_CHANGED' }>;
const peerIs = (event: NetfrontEvent, ...states: XenbusStateName[]): boolean =>
  event.type === 'OTHEREND_CHANGED' && states.includes(event.state);
const traits = ({ context }: { context: NetfrontContext }) => getNetfrontTraits(context.profile);

/** netfront netback_changed() and the frontend shutdown hook as a reaction table. */
export const netfrontMachine = setup({
  types: {
    context: {} as NetfrontContext,
    events: {} as NetfrontEvent,
    input: {} as NetfrontInput,
  },
  actions: {
    // effects (carried out by the simulator)
    switchState: createEffectAction('switchState'),
    devFatal: createEffectAction('devFatal'),
    log: createEffectAction('log'),
    xennetConnect: createEffectAction('xennetConnect'),
    notifyPeers: createEffectAction('notifyPeers'),
    closeNetdev: createEffectAction('closeNetdev'),
    releaseRxBufs: createEffectAction('releaseRxBufs'),
    netfrontResume: createEffectAction('netfrontResume'),
    frontendClosed: createEffectAction('frontendClosed'),
    closingDone: createEffectAction('closingDone'),
    armShutdownTimeout: createEffectAction('armShutdownTimeout'),
    cancelShutdownTimeout: createEffectAction('cancelShutdownTimeout'),
    shutdownDone: createEffectAction('shutdownDone'),
    netfrontRemove: createEffectAction('netfrontRemove'),
    /** netif_uninit() → netif_release_rx_bufs(), [2006] had none (the posted buffers leak, kexec-handover.md §4.2) */
    releaseRxBufsOnUninit: enqueueActions(({ context, enqueue }) => {
      const variant = getNetfrontTraits(context.profile).rxRelease;
      // actions declared in setup() cannot name their siblings in the types; xstate resolves the name at run time
      const put = enqueue as unknown as (action: {
        type: 'releaseRxBufs';
        params: { variant: typeof variant };
      }) => void;
      if (variant !== 'none') put({ type: 'releaseRxBufs', params: { variant } });
    }),
    // bookkeeping
    recordPeerState: assign({ peerState: ({ event }) => (event as PeerEvent).state }),
    recordNetdev: assign({ netdevRegistered: true }),
    forgetNetdev: assign({ netdevRegistered: false }),
    /** xenbus_dev_shutdown(): the RFC also sets shutdown_in_progress */
    startShutdownWait: assign({
      awaitingDown: true,
      shutdownInProgress: ({ context }) =>
        getNetfrontTraits(context.profile).frontendShutdown === 'rfc-closing-done',
    }),
    finishShutdownWait: assign({ awaitingDown: false }),
  },
  guards: {
    peerInitWait: ({ event }) => peerIs(event, 'InitWait'),
    peerConnected: ({ event }) => peerIs(event, 'Connected'),
    peerClosed: ({ event }) => peerIs(event, 'Closed'),
    /** backend Closing, or [modern] Closed ("missed the backend's Closing state"); own Closed is handled first */
    peerAsksClose: ({ context, event }) =>
      peerIs(event, 'Closing') ||
      (peerIs(event, 'Closed') && getNetfrontTraits(context.profile).closedActsAsClosing),
    /** [2006-RFC] netback's "prepare for reconnect" InitWait must not reconnect the dying kernel */
    isIgnoringInitWait: ({ context }) =>
      getNetfrontTraits(context.profile).ignoresInitWaitDuringShutdown && context.shutdownInProgress,
    notifiesPeersOnConnected: (args) => traits(args).notifiesPeersOnConnected,
    closesBySwitch: (args) => traits(args).closer === 'switch-closed',
    closesByClosingDone: (args) => traits(args).closer === 'closing-done',
    closesNetdevOnClosing: (args) => traits(args).closesNetdevOnClosing,
    hasNetdev: ({ context }) => context.netdevRegistered,
    hasNoShutdownHook: (args) => traits(args).frontendShutdown === 'none',
    isAwaitingDown: ({ context }) => context.awaitingDown,
    isNoRxCopy: ({ event }) => event.type === 'CONNECT_FAILED' && event.errno === ENODEV,
    switchedTo,
  },
}).createMachine({
  id: 'netfront',
  context: ({ input }) => ({
    profile: input.profile,
    peerState: null,
    netdevRegistered: false,
    shutdownInProgress: false,
    awaitingDown: false,
  }),
  // xenbus_probe_node() sets dev->state = Initialising before probing
  initial: 'Initialising',
  states: {
    Initialising: {
      on: {
        // netfront_probe(): create and register the netdev; no writes (connects on the backend's InitWait)
        PROBE: { actions: 'recordNetdev' },
        SHUTDOWN: skipShutdown('Initialising'),
      },
    },
    Connected: {
      on: {
        SHUTDOWN: startShutdown(),
      },
    },
    Closing: { on: { SHUTDOWN: skipShutdown('Closing') } },
    Closed: { on: { SHUTDOWN: skipShutdown('Closed') } },
    /** netfront_remove() freed the device: nothing of this driver instance is left */
    // the root-level handlers must not revive it: every event is swallowed here
    Removed: { type: 'final', on: { '*': {} } },
  },
  on: {
    SWITCHED: switchedTransitions(['Initialising', 'Connected', 'Closing', 'Closed']),
    OTHEREND_CHANGED: [
      // ---- netback_changed(), xenbus.md §7.5; kexec-handover.md §2 ----
      // | InitWait | own = Initialising, shutdown_in_progress [2006-RFC] | nothing |
      { guard: and(['peerInitWait', 'isIgnoringInitWait']), actions: 'recordPeerState' },
      // | InitWait | own = Initialising | xennet_connect / network_connect (→ CONNECT_DONE: Connected) |
      {
        guard: and(['peerInitWait', stateIn('#netfront.Initialising')]),
        actions: [
          'recordPeerState',
          { type: 'xennetConnect', params: ({ context }) => ({ rxMode: traits({ context }).rxMode }) },
        ],
      },
      // | Connected | [modern] | netdev_notify_peers |
      {
        guard: and(['peerConnected', 'notifiesPeersOnConnected']),
        actions: ['recordPeerState', 'notifyPeers'],
      },
      // | Closed | own = Closed | nothing |
      { guard: and(['peerClosed', stateIn('#netfront.Closed')]), actions: 'recordPeerState' },
      // | Closing | [2006] | netfront_closing: close_netdev; switch Closed |
      {
        guard: and(['peerAsksClose', 'closesBySwitch']),
        actions: ['recordPeerState', ...closeNetdev(), { type: 'switchState', params: { state: 'Closed' } }],
      },
      // | Closing | [2006-RFC] | netfront_closing: close_netdev (netif_uninit releases rx bufs); xenbus_closing_done |
      {
        guard: and(['peerAsksClose', 'closesByClosingDone']),
        actions: ['recordPeerState', ...closeNetdev(), { type: 'closingDone', params: closingDoneTarget }],
      },
      // | Closing | [2006-merged] | netfront_closing: close_netdev (netif_uninit releases rx bufs); xenbus_frontend_closed |
      {
        guard: and(['peerAsksClose', 'closesNetdevOnClosing', 'hasNetdev']),
        actions: ['recordPeerState', ...closeNetdev(), 'frontendClosed'],
      },
      // | Closing ([modern]: or Closed) | [modern] | xenbus_frontend_closed (the netdev goes in xennet_remove) |
      { guard: 'peerAsksClose', actions: ['recordPeerState', 'frontendClosed'] },
      // | others | nothing |
      { actions: 'recordPeerState' },
    ],
    // netback_changed(InitWait) after xennet_connect(): switch Connected; [2006] send_fake_arp
    CONNECT_DONE: [
      {
        guard: and([not(stateIn('#netfront.Connected')), 'notifiesPeersOnConnected']),
        actions: { type: 'switchState', params: { state: 'Connected' } },
      },
      {
        guard: not(stateIn('#netfront.Connected')),
        actions: [{ type: 'switchState', params: { state: 'Connected' } }, 'notifyPeers'],
      },
    ],
    CONNECT_FAILED: [
      // [modern] xennet_connect(): "backend does not support copying receive path", no fatal, stays Initialising
      {
        guard: 'isNoRxCopy',
        actions: { type: 'log', params: { message: 'backend does not support copying receive path' } },
      },
      { actions: { type: 'devFatal', params: fatalParams } },
    ],
    // xenbus_dev_shutdown(): the completion came first, or the 5 s wait ran out
    ...shutdownWaitEnds(),
    // xenbus_dev_resume(): cached Initialising; netfront_resume = xennet_disconnect_backend; talks again on InitWait
    RESUME: { target: '.Initialising', actions: [assign({ peerState: null }), 'netfrontResume'] },
    // xenbus_dev_remove(): netfront_remove (the netdev goes if still there), then switch Closed
    REMOVE: [
      {
        guard: 'hasNetdev',
        target: '.Removed',
        actions: ['netfrontRemove', ...closeNetdev(), { type: 'switchState', params: { state: 'Closed' } }],
      },
      {
        target: '.Removed',
        actions: ['netfrontRemove', { type: 'switchState', params: { state: 'Closed' } }],
      },
    ],
  },
});

/** close_netdev() → unregister_netdev → netif_uninit → netif_release_rx_bufs (when the profile has one) */
function closeNetdev() {
  return ['closeNetdev', 'releaseRxBufsOnUninit', 'forgetNetdev'] as const;
}

function fatalParams({ event }: { event: NetfrontEvent }): { errno: number; message: string } {
  return event.type === 'CONNECT_FAILED'
    ? { errno: event.errno, message: event.message }
    : { errno: 0, message: '' };
}

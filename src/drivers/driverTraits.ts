import type { Profile } from '../sim/profiles';

/**
 * Driver behaviour the reaction tables need, derived from the profile. Most come straight from
 * profile fields; the rest separate [modern] code from the 2006 trees and are keyed on the label,
 * each with its source. Pure.
 */
export interface BlkbackTraits {
  /** peer Initialising while own is this state → "prepare for reconnect", InitWait (xenbus.md §7.2) */
  reconnectFrom: Profile['blkback']['reconnectFrom'];
  /** peer Closed: device_unregister at once ([2006], RFC) or disconnect, Closed, unregister unless online */
  unregisterOnPeerClosed: Profile['blkback']['unregisterOnPeerClosed'];
  /** peer Closing: blkif_disconnect before switching Closing ([2006] and RFC, §7.2 "as 2006") */
  disconnectOnPeerClosing: boolean;
  /** peer Initialised|Connected: xen_blkif_disconnect() first, -EBUSY → fatal "pending I/O" (seed 002, [modern]) */
  disconnectBeforeConnectRing: boolean;
  /** peer Unknown: device_unregister (seed 002) instead of the default fatal "saw state 0" ([2006], §4.2) */
  unregisterOnPeerUnknown: boolean;
}

export function getBlkbackTraits(profile: Profile): BlkbackTraits {
  const merged = profile.blkback.reconnectFrom === 'Closed';
  return {
    reconnectFrom: profile.blkback.reconnectFrom,
    unregisterOnPeerClosed: profile.blkback.unregisterOnPeerClosed,
    disconnectOnPeerClosing: !merged,
    disconnectBeforeConnectRing: profile.label === '[modern]',
    // the spec gives Unknown → fatal for [2006] only; the merged tree is assumed to follow seed 002 here
    unregisterOnPeerUnknown: merged,
  };
}

export interface BlkfrontTraits {
  /** talk_to_blkback only on the backend's InitWait ([modern]); [2006] from blkfront_probe */
  waitsForInitWait: boolean;
  /** backend Closed is handled like Closing unless own is Closed ([modern] §7.4; [2006] ignored Closed) */
  closedActsAsClosing: boolean;
  /** backend Connected while own ∉ {Initialised, Connected} → talk_to_blkback first ([modern] §7.4) */
  talksOnConnected: boolean;
  /** backend Connected while own Connected → blkfront_connect re-reads `sectors` (online resize, [modern]) */
  resizesOnConnected: boolean;
  /** backend Closing while the disk is open: -EBUSY "Device in use; refusing to close" (older kernels, §6.1 3') */
  refusesCloseWhileInUse: boolean;
  /** how the close ends: plain switch Closed [2006], xenbus_closing_done (RFC), xenbus_frontend_closed */
  closer: 'switch-closed' | 'closing-done' | 'frontend-closed';
  /** bus .shutdown hook (xenbus_dev_shutdown) present and how it is answered */
  frontendShutdown: Profile['xenbus']['frontendShutdown'];
}

export function getBlkfrontTraits(profile: Profile): BlkfrontTraits {
  const modern = profile.label === '[modern]';
  const shutdown = profile.xenbus.frontendShutdown;
  return {
    waitsForInitWait: profile.blkfront.waitsForInitWait,
    closedActsAsClosing: modern,
    talksOnConnected: profile.blkfront.waitsForInitWait,
    resizesOnConnected: modern,
    refusesCloseWhileInUse: profile.blkfront.refusesCloseWhileInUse,
    closer:
      shutdown === 'none'
        ? 'switch-closed'
        : shutdown === 'rfc-closing-done'
          ? 'closing-done'
          : 'frontend-closed',
    frontendShutdown: shutdown,
  };
}

export interface NetbackTraits {
  /** frontend_changed() maps the peer state to a target and walks set_backend_state() ([modern], xenbus.md §7.3) */
  walksBackendState: boolean;
  /** the Connected write waits for hotplug-status=connected (have_hotplug_status_watch, [modern]) */
  hotplugStatusGate: boolean;
  /** [2006 trees] peer Initialising with own X → drop the vif, InitWait; the blkback commits changed netback too */
  reconnectFrom: Profile['blkback']['reconnectFrom'];
  /** [2006 trees] peer Closed: unregister at once, or switch Closed and unregister unless `online` */
  unregisterOnPeerClosed: Profile['blkback']['unregisterOnPeerClosed'];
  /** peer Connected with no vif: re-run the `handle` watch handler first (RFC point 3, merged as xen@7d0aeaacea) */
  recreatesVifOnConnected: boolean;
}

export function getNetbackTraits(profile: Profile): NetbackTraits {
  // xen@7d0aeaacea and xen@5182367c40 are "blk/netback" changes: both backends share these settings
  const { reconnectFrom, unregisterOnPeerClosed } = profile.blkback;
  return {
    walksBackendState: profile.label === '[modern]',
    hotplugStatusGate: profile.netback.hotplugStatusGate,
    reconnectFrom,
    unregisterOnPeerClosed,
    recreatesVifOnConnected: reconnectFrom !== 'none',
  };
}

export interface NetfrontTraits {
  /** xennet_connect(): receive path requested from the backend */
  rxMode: Profile['netfront']['rxMode'];
  /** what netif_uninit's netif_release_rx_bufs does ('none': not called, the buffers leak) */
  rxRelease: Profile['netfront']['rxRelease'];
  /** [2006-RFC] backend InitWait is ignored while shutdown_in_progress */
  ignoresInitWaitDuringShutdown: boolean;
  /** backend Closed is handled like Closing unless own is Closed ([modern] §7.5; the 2006 trees ignored it) */
  closedActsAsClosing: boolean;
  /** backend Connected → netdev_notify_peers ([modern]); [2006] sent the fake ARP right after connecting */
  notifiesPeersOnConnected: boolean;
  /** how backend Closing ends: netfront_closing + switch Closed [2006], + xenbus_closing_done (RFC), xenbus_frontend_closed */
  closer: BlkfrontTraits['closer'];
  /** backend Closing unregisters the netdev first (netfront_closing → close_netdev, all 2006 trees); [modern] keeps it until xennet_remove */
  closesNetdevOnClosing: boolean;
  /** bus .shutdown hook (xenbus_dev_shutdown) present and how it is answered */
  frontendShutdown: Profile['xenbus']['frontendShutdown'];
}

export function getNetfrontTraits(profile: Profile): NetfrontTraits {
  const modern = profile.label === '[modern]';
  return {
    rxMode: profile.netfront.rxMode,
    rxRelease: profile.netfront.rxRelease,
    ignoresInitWaitDuringShutdown: profile.netfront.ignoresInitWaitDuringShutdown,
    closedActsAsClosing: modern,
    notifiesPeersOnConnected: modern,
    closer: getBlkfrontTraits(profile).closer,
    closesNetdevOnClosing: !modern,
    frontendShutdown: profile.xenbus.frontendShutdown,
  };
}

import { effectActionRegistry, type EffectParamsOf } from './effectCollector';
import type { XenbusStateName } from './xenbusState';

/**
 * What a driver machine asks the simulator to do, as plain data. The machine never does I/O: each
 * effect names a kernel routine the simulator runs against the store and hypervisor, and the routine's
 * outcome comes back as an event (e.g. `connectRing` → RING_CONNECTED | RING_FAILED).
 */
export type DriverEffect =
  // ---- xenbus core (xenbus_client.c, xenbus_probe.c) ----
  /** xenbus_switch_state(): the routine applies §3.4 (cached-state check, missing node) and answers SWITCHED */
  | { kind: 'switchState'; state: XenbusStateName }
  /** xenbus_dev_fatal(): error node, then xenbus_switch_state(Closing) (answers SWITCHED) */
  | { kind: 'devFatal'; errno: number; message: string }
  /** xenbus_dev_error(): error node only */
  | { kind: 'devError'; errno: number; message: string }
  /** device_unregister(): the device model runs xenbus_dev_remove, which sends REMOVE */
  | { kind: 'deviceUnregister' }
  /** printk at the driver's call site */
  | { kind: 'log'; message: string }
  // ---- blkback (drivers/block/xen-blkback/xenbus.c) ----
  /** xen_blkbk_probe(): xenbus_watch_pathfmt(<BE>/physical-device, backend_changed) */
  | { kind: 'watchPhysicalDevice' }
  /** backend_changed(): read `mode` and FE `device-type`, xen_vbd_create() opens the bdev; answers VBD_CREATED | VBD_FAILED */
  | { kind: 'createVbd'; major: number; minor: number }
  /** xen_blkif_disconnect(): stop the I/O thread; if nothing is in flight unbind the irq, unmap the ring */
  | { kind: 'blkifDisconnect' }
  /** connect_ring(): read ring-ref/event-channel/protocol, map the ring, bind the evtchn; answers RING_CONNECTED | RING_FAILED */
  | { kind: 'connectRing' }
  /** connect(): one transaction writing sectors/info/features, redone on EAGAIN; answers CONNECTED_TX_DONE | CONNECT_FAILED */
  | { kind: 'connect' }
  /** xen_update_blkif_status() after Connected: kthread_run(xen_blkif_schedule, "blkback.<dom>.<dev>") */
  | { kind: 'startIoThread' }
  /** xenbus_dev_is_online(): read own `online`; answers ONLINE */
  | { kind: 'readOnline' }
  /** xen_blkbk_remove(): remove sysfs entries, unwatch physical-device, disconnect and free the blkif */
  | { kind: 'blkbackRemove' }
  // ---- blkfront (drivers/block/xen-blkfront.c) ----
  /** talk_to_blkback() / [2006] talk_to_backend(): setup_blkring + transaction (EAGAIN retry); answers TALK_DONE | TALK_FAILED */
  | { kind: 'talkToBlkback' }
  /** blkfront_connect(): read sectors/info/sector-size/features, create the gendisk (or, when `resize`, re-read sectors); answers DISK_READY | CONNECT_FAILED */
  | { kind: 'blkfrontConnect'; resize: boolean }
  /** blkfront_connect() tail: kick the request queues and device_add_disk() */
  | { kind: 'addDisk' }
  /** blkfront_closing(): stop the queues, delete the gendisk, free the ring */
  | { kind: 'blkfrontClosing' }
  /** xenbus_frontend_closed(): switch Closed, complete(&dev->down) (answers SWITCHED, then DOWN_COMPLETED if waited on) */
  | { kind: 'frontendClosed' }
  /** [2006-RFC] xenbus_closing_done(): switch `state` (Initialising if shutdown_in_progress, else Closed), complete(&dev->down) */
  | { kind: 'closingDone'; state: 'Initialising' | 'Closed' }
  /** xenbus_dev_shutdown(): wait_for_completion_timeout(&dev->down, 5*HZ) as a model-time timer; fires SHUTDOWN_TIMEOUT */
  | { kind: 'armShutdownTimeout'; ms: number }
  /** the completion arrived first: the simulator disarms the timer */
  | { kind: 'cancelShutdownTimeout' }
  /** the bus .shutdown hook returned; device_shutdown() moves on to the next device */
  | { kind: 'shutdownDone'; outcome: 'no-hook' | 'skipped' | 'closed' | 'timeout' }
  /** blkfront_resume(): blkif_free(info, suspend): end access to the old ring (deferred while mapped), free the port */
  | { kind: 'blkfrontResume' }
  /** blkfront_connect() on a suspended device → blkif_recover(): switch Connected, requeue the requests on the new ring */
  | { kind: 'blkifRecover' }
  /** blkfront_remove(): blkif_free, delete the gendisk */
  | { kind: 'blkfrontRemove' }
  // ---- netback (drivers/net/xen-netback/xenbus.c; [2006] netback/xenbus.c) ----
  /** netback_probe(): transaction (EAGAIN retry) writing feature-sg, feature-rx-copy, …; plain writes of queue/ring limits */
  | { kind: 'writeNetbackFeatures' }
  /** backend_create_xenvif() / [2006] the `handle` watch handler: read `handle`, allocate the vif netdev, ONLINE uevent */
  | { kind: 'createVif' }
  /** [2006-RFC], [2006-merged] "prepare for reconnect": netif_disconnect(be->netif), be->netif = NULL */
  | { kind: 'destroyVif' }
  /** connect() / [2006] connect_rings(): read queues, mac, rx-copy flags, map rings, bind evtchns; answers CONNECT_DONE | CONNECT_FAILED */
  | { kind: 'netbackConnect' }
  /** backend_disconnect(): unregister the vif watchers, xenvif_disconnect_data (unmap rings, unbind) */
  | { kind: 'backendDisconnect' }
  /** connect() tail [modern]: xenbus_watch_pathfmt(<BE>/hotplug-status), sets have_hotplug_status_watch; fires HOTPLUG_STATUS */
  | { kind: 'watchHotplugStatus' }
  /** unregister_hotplug_status_watch() */
  | { kind: 'unwatchHotplugStatus' }
  /** netback_remove(): unwatch hotplug-status, rm `hotplug-status`, OFFLINE uevent, disconnect and free the vif */
  | { kind: 'netbackRemove' }
  // ---- netfront (drivers/net/xen-netfront.c; [2006] netfront/netfront.c) ----
  /**
   * xennet_connect() / [2006] network_connect(): talk_to_netback (rings, evtchn, transaction), post rx buffers.
   * `copy`: [modern] ENODEV unless the backend offers feature-rx-copy; `flip`: grant-transfer rx buffers.
   * Answers CONNECT_DONE | CONNECT_FAILED.
   */
  | { kind: 'xennetConnect'; rxMode: 'flip' | 'copy' }
  /** netdev_notify_peers() / [2006] send_fake_arp(): gratuitous ARP */
  | { kind: 'notifyPeers' }
  /** close_netdev(): unregister_netdev, whose netif_uninit tears the interface down */
  | { kind: 'closeNetdev' }
  /** netif_release_rx_bufs() (kexec-handover.md §4.3, §4.4): give back the posted rx buffers; the variant picks the counters */
  | { kind: 'releaseRxBufs'; variant: 'rfc-2006' | 'merged-2006' | 'modern' }
  /** netfront_resume(): xennet_disconnect_backend (rings and rx buffers ended, port closed); talks again on InitWait */
  | { kind: 'netfrontResume' }
  /** netfront_remove() / [modern] xennet_remove(): bus close, unregister the netdev, disconnect the backend */
  | { kind: 'netfrontRemove' };

export type DriverEffectKind = DriverEffect['kind'];
/** The params of one effect action: the effect without its `kind` (undefined when nothing is left). */
export type EffectParams<K extends DriverEffectKind> = EffectParamsOf<DriverEffect, K>;

const registry = effectActionRegistry<DriverEffectKind>();

/**
 * The default implementation of a named effect action: does nothing, but is recognisable, so that
 * runMachineStep (or the simulator) can replace exactly the effect actions with collectors through
 * `machine.provide({ actions })` and leave the context-updating ones alone.
 */
export function createEffectAction<K extends DriverEffectKind>(
  kind: K,
): (args: unknown, params: EffectParams<K>) => void {
  return registry.create<EffectParams<K>>(kind);
}

/** The effect kind a default action implementation stands for, if it is one. */
export const getEffectKind: (implementation: unknown) => DriverEffectKind | undefined = registry.kindOf;

/** xenbus_dev_shutdown(): wait_for_completion_timeout(&dev->down, 5*HZ) */
export const SHUTDOWN_WAIT_MS = 5000;
/** errno values the drivers use (include/uapi/asm-generic/errno-base.h) */
export const EBUSY = 16;
export const ENODEV = 19;
export const EINVAL = 22;

import type { Profile } from '../sim/profiles';
import type { XenbusStateName } from './xenbusState';

/**
 * blkback's view of one vbd (drivers/block/xen-blkback/xenbus.c, seed 002 and the 2006 trees).
 * The state is the cached own XenbusState (`dev->state`); the context holds what frontend_changed(),
 * backend_changed() and xen_update_blkif_status() read. Actions are effects (effects.ts).
 */
export interface BlkbackContext {
  profile: Profile;
  /** the frontend state last read by xenbus_otherend_changed() */
  peerState: XenbusStateName | null;
  /** be->major/minor: set once backend_changed() accepted a physical-device */
  physicalDevice: { major: number; minor: number } | null;
  /** blkif->vbd.bdev: xen_vbd_create() opened the block device */
  bdevOpen: boolean;
  /** blkif->irq: connect_ring() mapped the ring and bound the event channel */
  ringConnected: boolean;
  /** atomic_read(&blkif->inflight) */
  inflight: number;
  /** a readOnline was issued by frontend_changed(Closed); ONLINE completes it */
  awaitingOnline: boolean;
}

export interface BlkbackInput {
  profile: Profile;
}

/** Events, each named after the kernel path that produces it. */
export type BlkbackEvent =
  /** xenbus_dev_probe() → xen_blkbk_probe(): xenbus_probe_node() found BE state 1 and bound the driver */
  | { type: 'PROBE' }
  /** xenbus_otherend_changed() → frontend_changed(): a fresh read of FE `state` (backends get none during shutdown) */
  | { type: 'OTHEREND_CHANGED'; state: XenbusStateName }
  /** __xenbus_switch_state() finished and set dev->state (modern: also when the node was missing, §3.4) */
  | { type: 'SWITCHED'; state: XenbusStateName }
  /** backend_changed(): `physical-device` parsed as %x:%x */
  | { type: 'PHYSICAL_DEVICE'; major: number; minor: number }
  /** backend_changed(): `physical-device` missing (the watch's first firing: "wait for hotplug") */
  | { type: 'PHYSICAL_DEVICE_ABSENT' }
  /** xen_vbd_create() + xenvbd_sysfs_addif() succeeded */
  | { type: 'VBD_CREATED' }
  /** xen_vbd_create() or xenvbd_sysfs_addif() failed */
  | { type: 'VBD_FAILED'; errno: number }
  /** connect_ring() returned 0 (xen_blkif_map done) */
  | { type: 'RING_CONNECTED' }
  /** connect_ring() failed; its own xenbus_dev_fatal message comes along */
  | { type: 'RING_FAILED'; errno: number; message: string }
  /** connect(): xenbus_transaction_end() committed (after any EAGAIN retries) */
  | { type: 'CONNECTED_TX_DONE' }
  /** connect(): a write or the commit failed with something other than EAGAIN */
  | { type: 'CONNECT_FAILED'; errno: number; message: string }
  /** xenbus_dev_is_online(): value of own `online` (0 if absent) */
  | { type: 'ONLINE'; value: boolean }
  /** the ring routines: requests taken off the ring and not yet answered (blkif->inflight) */
  | { type: 'IO_INFLIGHT'; count: number }
  /** xenbus_dev_remove() → xen_blkbk_remove(): device_unregister or own dir removed */
  | { type: 'REMOVE' };

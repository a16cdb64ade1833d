import type { Profile } from '../sim/profiles';
import type { XenbusStateName } from './xenbusState';

/**
 * blkfront's view of one vbd (drivers/block/xen-blkfront.c; [2006] blkfront.c) plus the frontend bus
 * shutdown hook of the xenbus core that runs on it. The state is the cached own XenbusState.
 */
export interface BlkfrontContext {
  profile: Profile;
  /** the backend state last read by xenbus_otherend_changed() */
  peerState: XenbusStateName | null;
  /** info->users / bd_openers: opens of the disk not yet released */
  users: number;
  /** [2006-RFC] dev->shutdown_in_progress, set by xenbus_dev_shutdown() */
  shutdownInProgress: boolean;
  /** xenbus_dev_shutdown() is waiting (≤ 5 s) for complete(&dev->down) */
  awaitingDown: boolean;
  /** backend Closing was refused with -EBUSY; the last release finishes the close */
  closeRefused: boolean;
  /** info->connected == BLKIF_STATE_SUSPENDED: resumed from Connected, blkif_recover on the next Connected */
  suspended: boolean;
}

export interface BlkfrontInput {
  profile: Profile;
}

/** Events, each named after the kernel path that produces it. */
export type BlkfrontEvent =
  /** xenbus_dev_probe() → blkfront_probe(): xenbus_probe_node() found FE state 1 */
  | { type: 'PROBE' }
  /** xenbus_otherend_changed() → blkback_changed(): a fresh read of BE `state` (not sent while the core filters shutdown) */
  | { type: 'OTHEREND_CHANGED'; state: XenbusStateName }
  /** __xenbus_switch_state() set dev->state (also from xenbus_frontend_closed / xenbus_closing_done) */
  | { type: 'SWITCHED'; state: XenbusStateName }
  /** talk_to_blkback(): ring granted, event channel allocated, transaction committed */
  | { type: 'TALK_DONE' }
  /** talk_to_blkback() failed (its xenbus_dev_fatal message comes along) */
  | { type: 'TALK_FAILED'; errno: number; message: string }
  /** blkfront_connect(): backend properties read, gendisk created (first connect only) */
  | { type: 'DISK_READY' }
  /** blkfront_connect() failed reading the backend's properties */
  | { type: 'CONNECT_FAILED'; errno: number; message: string }
  /** blkif_open() */
  | { type: 'DISK_OPENED' }
  /** blkif_release() */
  | { type: 'DISK_RELEASED' }
  /** device_shutdown() reached this device: the frontend bus .shutdown hook */
  | { type: 'SHUTDOWN' }
  /** the 5 s wait_for_completion_timeout() of the shutdown hook expired (model time) */
  | { type: 'SHUTDOWN_TIMEOUT' }
  /** complete(&dev->down): xenbus_frontend_closed / xenbus_closing_done ran (possibly from the core) */
  | { type: 'DOWN_COMPLETED' }
  /** xenbus_dev_remove() → blkfront_remove(): driver unbind or own dir removed */
  | { type: 'REMOVE' }
  /** xenbus_dev_resume() (PM restore): cached state := Initialising (not written), then blkfront_resume() */
  | { type: 'RESUME' };

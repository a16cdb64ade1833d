import type { Profile } from '../sim/profiles';
import type { XenbusStateName } from './xenbusState';

/**
 * netfront's view of one vif (drivers/net/xen-netfront.c; [2006] netfront/netfront.c) plus the frontend
 * bus shutdown hook of the xenbus core. The state is the cached own XenbusState (netfront skips Initialised).
 */
export interface NetfrontContext {
  profile: Profile;
  /** the backend state last read by xenbus_otherend_changed() */
  peerState: XenbusStateName | null;
  /** the netdev is registered (netif_uninit has not run yet) */
  netdevRegistered: boolean;
  /** [2006-RFC] dev->shutdown_in_progress, set by xenbus_dev_shutdown() */
  shutdownInProgress: boolean;
  /** xenbus_dev_shutdown() is waiting (≤ 5 s) for complete(&dev->down) */
  awaitingDown: boolean;
}

export interface NetfrontInput {
  profile: Profile;
}

/** Events, each named after the kernel path that produces it. */
export type NetfrontEvent =
  /** xenbus_dev_probe() → netfront_probe(): netdev created and registered */
  | { type: 'PROBE' }
  /** xenbus_otherend_changed() → netback_changed(): a fresh read of BE `state` */
  | { type: 'OTHEREND_CHANGED'; state: XenbusStateName }
  /** __xenbus_switch_state() set dev->state (also from xenbus_frontend_closed / xenbus_closing_done) */
  | { type: 'SWITCHED'; state: XenbusStateName }
  /** xennet_connect() / network_connect(): rings granted, transaction committed, rx buffers posted */
  | { type: 'CONNECT_DONE' }
  /** xennet_connect() failed: ENODEV (no feature-rx-copy, [modern]) or talk_to_netback's fatal error */
  | { type: 'CONNECT_FAILED'; errno: number; message: string }
  /** device_shutdown() reached this device: the frontend bus .shutdown hook */
  | { type: 'SHUTDOWN' }
  /** the 5 s wait_for_completion_timeout() of the shutdown hook expired (model time) */
  | { type: 'SHUTDOWN_TIMEOUT' }
  /** complete(&dev->down): xenbus_frontend_closed / xenbus_closing_done ran */
  | { type: 'DOWN_COMPLETED' }
  /** xenbus_dev_remove() → netfront_remove(): driver unbind or own dir removed */
  | { type: 'REMOVE' }
  /** xenbus_dev_resume() (PM restore): cached state := Initialising (not written), then netfront_resume() */
  | { type: 'RESUME' };

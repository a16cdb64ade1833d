import type { Profile } from '../sim/profiles';
import type { NetbackWalkState } from './setBackendState';
import type { XenbusStateName } from './xenbusState';

/**
 * netback's view of one vif (drivers/net/xen-netback/xenbus.c; [2006] netback/xenbus.c). The state is
 * the cached own XenbusState (`dev->state`); the context holds `be->state`, which set_backend_state()
 * walks and which runs ahead of `dev->state` while the hotplug-status watch defers the writes.
 */
export interface NetbackContext {
  profile: Profile;
  /** the frontend state last read by xenbus_otherend_changed() */
  peerState: XenbusStateName | null;
  /** [modern] be->state: where set_backend_state() believes the backend is */
  backendState: NetbackWalkState;
  /** be->vif / [2006] be->netif exists */
  hasVif: boolean;
  /** [modern] be->have_hotplug_status_watch: backend_switch_state() only records the state */
  hotplugWatch: boolean;
  /** a netbackConnect was issued; CONNECT_DONE | CONNECT_FAILED completes it */
  connecting: boolean;
  /** a readOnline was issued by frontend_changed(Closed); ONLINE completes it */
  awaitingOnline: boolean;
}

export interface NetbackInput {
  profile: Profile;
}

/** Events, each named after the kernel path that produces it. */
export type NetbackEvent =
  /** xenbus_dev_probe() → netback_probe(): xenbus_probe_node() found BE state 1 and bound the driver */
  | { type: 'PROBE' }
  /** xenbus_otherend_changed() → frontend_changed(): a fresh read of FE `state` */
  | { type: 'OTHEREND_CHANGED'; state: XenbusStateName }
  /** __xenbus_switch_state() finished and set dev->state */
  | { type: 'SWITCHED'; state: XenbusStateName }
  /** [modern] hotplug_status_changed(): the watch fired; `value` is BE/hotplug-status as read */
  | { type: 'HOTPLUG_STATUS'; value: string }
  /** connect() mapped every queue's rings and bound the event channels */
  | { type: 'CONNECT_DONE' }
  /** connect() failed (its xenbus_dev_fatal message comes along) */
  | { type: 'CONNECT_FAILED'; errno: number; message: string }
  /** xenbus_dev_is_online(): value of own `online` (0 if absent) */
  | { type: 'ONLINE'; value: boolean }
  /** xenbus_dev_remove() → netback_remove(): device_unregister or own dir removed */
  | { type: 'REMOVE' };

import type { XenbusStateName } from './xenbusState';

/** The states netback's set_backend_state() walks between (`be->state`). */
export type NetbackWalkState = 'Initialising' | 'InitWait' | 'Connected' | 'Closing' | 'Closed';
/** The targets frontend_changed() asks set_backend_state() for. */
export type NetbackTarget = Exclude<NetbackWalkState, 'Initialising'>;

/** One hop of the walk: optional disconnect/connect, then backend_switch_state(to). */
export interface BackendHop {
  to: NetbackTarget;
  /** backend_disconnect() before the switch (leaving Connected) */
  disconnect: boolean;
  /** backend_connect() before the switch (InitWait → Connected) */
  connect: boolean;
}

const hop = (to: NetbackTarget, extra: Partial<BackendHop> = {}): BackendHop => ({
  to,
  disconnect: false,
  connect: false,
  ...extra,
});

/**
 * xen-netback set_backend_state(): the next hop from `be->state` towards `target`, as the switch in the
 * kernel's while loop spells it (xenbus.md §7.3). Pure.
 */
function getNextHop(from: NetbackWalkState, target: NetbackTarget): BackendHop {
  switch (from) {
    // | Initialising | → InitWait (target InitWait, Connected, Closing) | → Closed (target Closed) |
    case 'Initialising':
      return target === 'Closed' ? hop('Closed') : hop('InitWait');
    // | InitWait | connect, → Connected (target Connected) | → Closing (target Closing, Closed) |
    case 'InitWait':
      return target === 'Connected' ? hop('Connected', { connect: true }) : hop('Closing');
    // | Connected | disconnect, → Closing (target InitWait, Closing, Closed) |
    case 'Connected':
      return hop('Closing', { disconnect: true });
    // | Closing | → Closed (target InitWait, Connected, Closed) |
    case 'Closing':
      return hop('Closed');
    // | Closed | → InitWait (target InitWait, Connected) | → Closing (target Closing) |
    case 'Closed':
      return target === 'Closing' ? hop('Closing') : hop('InitWait');
  }
}

/**
 * set_backend_state(be, target): the shortest path from `from` to `target`, one hop per
 * backend_switch_state() call; empty when already there. Pure.
 */
export function getBackendStatePath(from: NetbackWalkState, target: NetbackTarget): BackendHop[] {
  const path: BackendHop[] = [];
  let state: NetbackWalkState = from;
  // every path in the table has at most four hops (Connected → Closing → Closed → InitWait → Connected)
  while (state !== target && path.length < 4) {
    const next = getNextHop(state, target);
    path.push(next);
    state = next.to;
  }
  return path;
}

export function isNetbackTarget(state: XenbusStateName): state is NetbackTarget {
  return state === 'InitWait' || state === 'Connected' || state === 'Closing' || state === 'Closed';
}

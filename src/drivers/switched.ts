import type { XenbusStateName } from './xenbusState';

/**
 * The SWITCHED transitions shared by the driver machines: __xenbus_switch_state() set the cached
 * `dev->state`, so the machine moves to the top-level state of that name. One guarded transition per
 * state the driver can be in. Pure.
 */
export function switchedTransitions<S extends XenbusStateName>(
  states: readonly S[],
): { guard: { type: 'switchedTo'; params: { state: S } }; target: `.${S}` }[] {
  return states.map((state) => ({
    guard: { type: 'switchedTo', params: { state } },
    target: `.${state}` as const,
  }));
}

/** The guard those transitions name: the SWITCHED event reports the given state. */
export function switchedTo(
  { event }: { event: { type: string } },
  params: { state: XenbusStateName },
): boolean {
  return event.type === 'SWITCHED' && (event as { state?: unknown }).state === params.state;
}

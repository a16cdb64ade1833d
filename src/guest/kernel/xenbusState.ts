import type { Profile } from '../../sim/profiles';

/**
 * XenbusState (xen/include/public/io/xenbus.h): the value each end publishes as a decimal string in its
 * own `state` node. Spec xenbus.md §1.
 */
export const XenbusState = {
  Unknown: 0,
  Initialising: 1,
  InitWait: 2,
  Initialised: 3,
  Connected: 4,
  Closing: 5,
  Closed: 6,
  Reconfiguring: 7,
  Reconfigured: 8,
} as const;

export type XenbusStateName = keyof typeof XenbusState;
export type XenbusStateValue = (typeof XenbusState)[XenbusStateName];

/** Names indexed by value: XENBUS_STATE_NAMES[4] === 'Connected'. */
export const XENBUS_STATE_NAMES: readonly XenbusStateName[] = [
  'Unknown',
  'Initialising',
  'InitWait',
  'Initialised',
  'Connected',
  'Closing',
  'Closed',
  'Reconfiguring',
  'Reconfigured',
];

export function isXenbusStateName(value: unknown): value is XenbusStateName {
  return typeof value === 'string' && (XENBUS_STATE_NAMES as readonly string[]).includes(value);
}

/** The name of a numeric state; numbers outside 0..8 have no name (xenbus_strstate() says "INVALID"). */
export function getXenbusStateName(value: number): XenbusStateName | undefined {
  return Number.isInteger(value) ? XENBUS_STATE_NAMES[value] : undefined;
}

/** The result of reading `<dir>/state`: a known state, or a number no enum member carries. */
export type DriverStateRead =
  { kind: 'state'; name: XenbusStateName; value: XenbusStateValue } | { kind: 'invalid'; value: number };

/**
 * xenbus_read_driver_state(): parse the store's `state` node. A missing node (null) or an unparsable
 * string reads as the profile's `missingStateReadsAs` (Closed before xen@e7b9a93ed4, Unknown after);
 * the kernel's `xenbus_scanf("%d")` also accepts a leading sign and stops at the first non-digit.
 * A number outside 0..8 is returned as `invalid` (drivers hit their `default:` branch with it).
 * Pure.
 */
export function parseXenbusState(
  raw: string | null,
  xenbus: Pick<Profile['xenbus'], 'missingStateReadsAs'>,
): DriverStateRead {
  const missing = xenbus.missingStateReadsAs;
  // the usual node: one digit
  if (raw !== null && raw.length === 1) {
    const digit = raw.charCodeAt(0) - 0x30;
    if (digit >= 0 && digit <= 9) {
      const name = XENBUS_STATE_NAMES[digit];
      return name === undefined
        ? { kind: 'invalid', value: digit }
        : { kind: 'state', name, value: XenbusState[name] };
    }
  }
  const match = raw === null ? null : /^\s*([+-]?\d+)/.exec(raw);
  if (match === null || match[1] === undefined)
    return { kind: 'state', name: missing, value: XenbusState[missing] };
  const value = Number.parseInt(match[1], 10);
  const name = getXenbusStateName(value);
  return name === undefined ? { kind: 'invalid', value } : { kind: 'state', name, value: XenbusState[name] };
}

/**
 * xs_reset_watches() at boot (xs_init): a kexec'd kernel asks xenstored to forget every watch and
 * transaction the previous kernel left on this connection, when the toolstack says it may.
 */
import { XsType } from '../../xenstore';
import { emptyStep, enterRequest } from './requests';
import type { ClientStep, XenbusClientState } from './types';

export interface ResetWatchesInput {
  /** xen_hvm_domain(): HVM or PVH guest (PV guests never send it) */
  hvm: boolean;
  /** xen_initial_domain() */
  initialDomain: boolean;
  /** Xen major version from CPUID; below 4 is xen_strict_xenbus_quirk() (x86) */
  xenMajor: number;
  /** x86 (the quirk check only exists there) */
  x86?: boolean;
  /** the READ of control/platform-feature-xs_reset_watches: its value, or null if it failed */
  platformFeature: string | null;
}

export type ResetWatchesDecision =
  | { send: true }
  | { send: false; reason: 'not-hvm' | 'initial-domain' | 'strict-xenbus-quirk' | 'no-platform-feature' };

/**
 * xenbus_xs.c xenbus_read_unsigned() on a READ result: scanf("%u") of the value, else the default.
 */
export function readUnsigned(value: string | null, defaultValue: number): number {
  if (value === null) return defaultValue;
  const m = /^\s*\+?(\d+)/.exec(value);
  return m && m[1] !== undefined ? Number(m[1]) >>> 0 : defaultValue;
}

/**
 * Whether the platform-feature READ is made at all: not for PV guests, dom0, or (x86) Xen < 4.
 * (Pass `platformFeature: null` to ask this before reading.)
 */
export function shouldReadResetFeature(input: Omit<ResetWatchesInput, 'platformFeature'>): boolean {
  return shouldResetWatches({ ...input, platformFeature: '1' }).send;
}

/** xenbus_xs.c xs_reset_watches(): the decision, in the kernel's order of checks. */
export function shouldResetWatches(input: ResetWatchesInput): ResetWatchesDecision {
  if (!input.hvm) return { send: false, reason: 'not-hvm' };
  if (input.initialDomain) return { send: false, reason: 'initial-domain' };
  if ((input.x86 ?? true) && input.xenMajor < 4) return { send: false, reason: 'strict-xenbus-quirk' };
  if (readUnsigned(input.platformFeature, 0) === 0) return { send: false, reason: 'no-platform-feature' };
  return { send: true };
}

/**
 * xenbus_xs.c xs_reset_watches(), the send: XS_RESET_WATCHES with an empty argument. The caller's
 * `k` gets the reply with EEXIST already turned into success; other errors add a warning effect.
 */
export function xsResetWatches<K>(
  state: XenbusClientState<K, unknown>,
  k: K,
): ClientStep<K> & { blocked: boolean } {
  const step = emptyStep<K>();
  const spec = { type: XsType.RESET_WATCHES, args: [''], txId: 0 };
  const how = enterRequest(state, spec, 'reset-watches', { kind: 'caller', k }, step);
  return { ...step, blocked: how === 'blocked' };
}

/**
 * Error numbers and the result shape shared by every hypervisor operation.
 *
 * Guest mistakes come back as values, the way Xen reports them: negative errno for event-channel and
 * memory hypercalls (`-EINVAL`, `-ESRCH` …), negative `GNTST_*` status for grant-table operations.
 * Only programmer errors in the simulator itself (an acting domain that does not exist, a ring id that
 * was never created) throw a {@link HypervisorUsageError}.
 */
import type { HvEffect } from './effects';

/** Linux errno values (include/uapi/asm-generic/errno-base.h) returned by the calls modelled here. */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EIO: 5,
  EAGAIN: 11,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  EINVAL: 22,
  ENOSPC: 28,
} as const;
export type ErrnoName = keyof typeof Errno;

/** GNTST_* status codes (xen/include/public/grant_table.h). */
export const GNTST = {
  okay: 0,
  general_error: -1,
  bad_domain: -2,
  bad_gntref: -3,
  bad_handle: -4,
  bad_virt_addr: -5,
  bad_dev_addr: -6,
  no_device_space: -7,
  permission_denied: -8,
  bad_page: -9,
  bad_copy_arg: -10,
  address_too_big: -11,
  eagain: -12,
  no_space: -13,
} as const;
export type GntstKey = Exclude<keyof typeof GNTST, 'okay'>;
export type GntstName = `GNTST_${GntstKey}`;

export type HvErrorName = ErrnoName | GntstName;

/** A successful operation: its value fields plus the effects it had. */
export type HvOk<T> = { ok: true; effects: HvEffect[] } & T;

/**
 * A failed operation. `rc` is the negative number Xen or Linux would return; `effects` is usually
 * empty, except where a failure still changes something (a failed grant transfer loses the page).
 */
export interface HvErr {
  ok: false;
  rc: number;
  error: HvErrorName;
  effects: HvEffect[];
}

export type HvResult<T = object> = HvOk<T> | HvErr;

/** Builds a successful result. */
export function ok<T extends object>(value: T, effects: HvEffect[] = []): HvOk<T> {
  return { ok: true, effects, ...value };
}

/** Builds a `-errno` failure. */
export function errno(name: ErrnoName, effects: HvEffect[] = []): HvErr {
  return { ok: false, rc: -Errno[name], error: name, effects };
}

/** Builds a `GNTST_*` failure. */
export function gntst(key: GntstKey, effects: HvEffect[] = []): HvErr {
  return { ok: false, rc: GNTST[key], error: `GNTST_${key}`, effects };
}

/** Thrown only for mistakes of the simulator's own code, never for guest behaviour. */
export class HypervisorUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HypervisorUsageError';
  }
}

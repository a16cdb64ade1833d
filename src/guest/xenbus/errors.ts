/**
 * xsd error names to errno values (Linux include/xen/interface/io/xs_wire.h xsd_errors[], x86 errno
 * numbers). Errnos are positive, as get_error() returns them; callers compare against e.g. EAGAIN.
 */

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  E2BIG: 7,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EISDIR: 21,
  EINVAL: 22,
  ENOSPC: 28,
  EROFS: 30,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  EISCONN: 106,
} as const;
export type ErrnoName = keyof typeof ERRNO;

/** xenbus_xs.c get_error(): the errno for an xsd error name; a name not in the table gives EINVAL. */
export function getError(name: string): number {
  return Object.prototype.hasOwnProperty.call(ERRNO, name) ? ERRNO[name as ErrnoName] : ERRNO.EINVAL;
}

/** The name for an errno (for traces), or `E<n>` when the table has none. */
export function errnoName(errno: number): string {
  for (const [name, value] of Object.entries(ERRNO)) if (value === errno) return name;
  return `E${errno}`;
}

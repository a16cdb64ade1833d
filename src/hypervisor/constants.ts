/** Numbers from the Xen public headers and the Linux drivers, gathered where the model needs them. */
import type { RingProtocol } from './types';

/** xen/include/public/xen.h: first reserved domid (DOMID_SELF = 0x7FF0 and above are special). */
export const DOMID_FIRST_RESERVED = 0x7ff0;

/** xen/include/public/grant_table.h: refs 0–7 are reserved (0 console, 1 xenstore). */
export const GNTTAB_NR_RESERVED_ENTRIES = 8;
export const GNTTAB_RESERVED_CONSOLE = 0;
export const GNTTAB_RESERVED_XENSTORE = 1;
/** v1 entries per 4 KiB grant frame (8-byte grant_entry_v1). */
export const GRANT_ENTRIES_PER_FRAME = 512;
/** Default table size of a new domain: 4 grant frames (the 2006 NR_GRANT_FRAMES). */
export const DEFAULT_GRANT_ENTRIES = 4 * GRANT_ENTRIES_PER_FRAME;

/** grant_entry_v1 flag bits (grant_table.h). */
export const GTF = {
  invalid: 0,
  permit_access: 1,
  accept_transfer: 2,
  readonly: 1 << 2,
  reading: 1 << 3,
  writing: 1 << 4,
  transfer_committed: 1 << 2,
  transfer_completed: 1 << 3,
} as const;

/** 2-level event channel ABI on 64-bit guests: 64 × 64 ports. */
export const NR_EVENT_CHANNELS_2L = 4096;

/** Page size and the 64-byte header in front of `ring[]` (ring.h). */
export const PAGE_SIZE = 4096;
export const SRING_HEADER_BYTES = 64;

/** sizeof(union { req; rsp; }) per protocol (spec rings-and-evtchn.md §3). */
export const RING_ENTRY_BYTES: Readonly<Record<Exclude<RingProtocol, 'custom'>, number>> = {
  blkif: 112,
  'blkif-x86_32': 108,
  'netif-tx': 12,
  'netif-rx': 8,
};

/** include/xen/xenbus.h: at most 16 ring pages (order 4). */
export const XENBUS_MAX_RING_GRANT_ORDER = 4;
export const XENBUS_MAX_RING_GRANTS = 1 << XENBUS_MAX_RING_GRANT_ORDER;

/** netif.h with 4 KiB pages: NET_TX_RING_SIZE = NET_RX_RING_SIZE = 256. */
export const NET_RX_RING_SIZE = 256;
export const NET_TX_RING_SIZE = 256;
/** blkif.h with one 4 KiB page: 32 entries. */
export const BLK_RING_SIZE = 32;

/** 2006 netfront rx targets (netfront.c). */
export const RX_MIN_TARGET = 8;
export const RX_DFL_MIN_TARGET = 64;
export const RX_MAX_TARGET = Math.min(256, NET_RX_RING_SIZE);

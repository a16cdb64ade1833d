import type { ConflictPolicy, XsVersion } from '../xenstore';

/**
 * Profiles: the kernel, daemon and toolstack behaviour a world reproduces, as data that guards and
 * options read. One set of machines serves all four; a profile never forks code.
 * Labels and facts: spec README (version labels), xenbus.md §3–§7, kexec-handover.md §2–§5.
 */
export const PROFILE_IDS = ['linux-2006', 'kexec-patch-2006', 'kexec-merged-2006', 'linux-modern'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export interface Profile {
  id: ProfileId;
  /** the spec's version label */
  label: '[2006]' | '[2006-RFC]' | '[2006-merged]' | '[modern]';
  title: string;
  store: { version: XsVersion; conflictPolicy: ConflictPolicy };
  toolstack: 'xend' | 'libxl';
  xenbus: {
    /** xenbus_read_driver_state() on a missing node: Closed before xen@e7b9a93ed4 (2006-08-19), then Unknown */
    missingStateReadsAs: 'Closed' | 'Unknown';
    /** __xenbus_switch_state(): [modern] read+write in a transaction retried on EAGAIN; [2006] plain read, write */
    switchState: 'plain' | 'transaction';
    /**
     * frontend bus .shutdown: none [2006]; the RFC's xenbus_dev_shutdown with shutdown_in_progress and
     * xenbus_closing_done (→ Initialising); the merged/modern one (→ Closing, peer answers, → Closed); all wait ≤ 5 s
     */
    frontendShutdown: 'none' | 'rfc-closing-done' | 'frontend-closed';
    /** xenbus_otherend_changed(): during shutdown drivers are not called (xen@0d6f3d721b, 2006-09-29) */
    shutdownSkipsDrivers: boolean;
    /** xs_suspend() sends UNWATCH for every watch (RFC point 2, xen@a2a686df00) */
    xsSuspendUnwatches: boolean;
    /** xs_init() → xs_reset_watches() (2011; HVM/PVH guests with the platform feature only) */
    resetWatchesAtBoot: boolean;
    /** xenbus_reset_state(): frontends left Connected/Closed by a previous kernel are walked back to 1 (2011) */
    resetFrontendsAtBoot: boolean;
    /** backend otherend watch will_handle: a new event is dropped while one is pending (XSA-349, 2020) */
    dropOtherendEventWhilePending: boolean;
  };
  blkback: {
    /** peer Initialising with own state X → InitWait ("prepare for reconnect"): none, Closing (RFC), Closed */
    reconnectFrom: 'none' | 'Closing' | 'Closed';
    /** on peer Closed: unregister always ([2006], RFC) or only when `online` is not 1 (xen@5182367c40) */
    unregisterOnPeerClosed: 'always' | 'unless-online';
  };
  blkfront: {
    /** talk_to_blkback only after the backend reached InitWait ([modern]); [2006] straight from probe */
    waitsForInitWait: boolean;
    /** backend Closing while the disk is open: -EBUSY "Device in use; refusing to close" (2006 … Linux ≤ ~5.1x) */
    refusesCloseWhileInUse: boolean;
  };
  netback: {
    /** the backend's Connected write waits for hotplug-status=connected ([modern]) */
    hotplugStatusGate: boolean;
  };
  netfront: {
    /** receive path: page flipping (grant transfer) or copying */
    rxMode: 'flip' | 'copy';
    /** what netif_release_rx_bufs does on teardown: nothing (leak), the RFC's, the merged one, modern's */
    rxRelease: 'none' | 'rfc-2006' | 'merged-2006' | 'modern';
    /** netfront ignores the backend's InitWait while shutdown_in_progress (RFC only) */
    ignoresInitWaitDuringShutdown: boolean;
  };
  /** toolstack writes backend `online` (1 at creation, 0 before state=5 on unplug) (xen@5182367c40) */
  onlineNode: boolean;
}

const xenbus2006: Profile['xenbus'] = {
  missingStateReadsAs: 'Closed',
  switchState: 'plain',
  frontendShutdown: 'none',
  shutdownSkipsDrivers: false,
  xsSuspendUnwatches: false,
  resetWatchesAtBoot: false,
  resetFrontendsAtBoot: false,
  dropOtherendEventWhilePending: false,
};

export const PROFILES: Readonly<Record<ProfileId, Profile>> = {
  'linux-2006': {
    id: 'linux-2006',
    label: '[2006]',
    title: 'Linux 2.6.16-era xenbus and drivers, before the kexec work',
    store: { version: '2006', conflictPolicy: 'global' },
    toolstack: 'xend',
    xenbus: xenbus2006,
    blkback: { reconnectFrom: 'none', unregisterOnPeerClosed: 'always' },
    blkfront: { waitsForInitWait: false, refusesCloseWhileInUse: true },
    netback: { hotplugStatusGate: false },
    netfront: { rxMode: 'flip', rxRelease: 'none', ignoresInitWaitDuringShutdown: false },
    onlineNode: false,
  },
  'kexec-patch-2006': {
    id: 'kexec-patch-2006',
    label: '[2006-RFC]',
    title: 'Gerd Hoffmann’s kexec RFC as posted on 2006-08-14',
    store: { version: '2006', conflictPolicy: 'global' },
    toolstack: 'xend',
    xenbus: { ...xenbus2006, frontendShutdown: 'rfc-closing-done', xsSuspendUnwatches: true },
    blkback: { reconnectFrom: 'Closing', unregisterOnPeerClosed: 'always' },
    blkfront: { waitsForInitWait: false, refusesCloseWhileInUse: true },
    netback: { hotplugStatusGate: false },
    netfront: { rxMode: 'flip', rxRelease: 'rfc-2006', ignoresInitWaitDuringShutdown: true },
    onlineNode: false,
  },
  'kexec-merged-2006': {
    id: 'kexec-merged-2006',
    label: '[2006-merged]',
    title: 'What xen-unstable merged between 2006-08-19 and 2006-09-29',
    store: { version: '2006', conflictPolicy: 'global' },
    toolstack: 'xend',
    xenbus: {
      ...xenbus2006,
      missingStateReadsAs: 'Unknown',
      frontendShutdown: 'frontend-closed',
      shutdownSkipsDrivers: true,
      xsSuspendUnwatches: true,
    },
    blkback: { reconnectFrom: 'Closed', unregisterOnPeerClosed: 'unless-online' },
    blkfront: { waitsForInitWait: false, refusesCloseWhileInUse: true },
    netback: { hotplugStatusGate: false },
    netfront: { rxMode: 'flip', rxRelease: 'merged-2006', ignoresInitWaitDuringShutdown: false },
    onlineNode: true,
  },
  'linux-modern': {
    id: 'linux-modern',
    label: '[modern]',
    title: 'Linux 5.x/6.x drivers, Xen 4.1x C xenstored and libxl',
    store: { version: 'modern', conflictPolicy: 'read-set' },
    toolstack: 'libxl',
    xenbus: {
      missingStateReadsAs: 'Unknown',
      switchState: 'transaction',
      frontendShutdown: 'frontend-closed',
      shutdownSkipsDrivers: true,
      xsSuspendUnwatches: false,
      resetWatchesAtBoot: true,
      resetFrontendsAtBoot: true,
      dropOtherendEventWhilePending: true,
    },
    blkback: { reconnectFrom: 'Closed', unregisterOnPeerClosed: 'unless-online' },
    blkfront: { waitsForInitWait: true, refusesCloseWhileInUse: false },
    netback: { hotplugStatusGate: true },
    netfront: { rxMode: 'copy', rxRelease: 'modern', ignoresInitWaitDuringShutdown: false },
    onlineNode: true,
  },
};

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === 'string' && (PROFILE_IDS as readonly string[]).includes(value);
}

/** The profile for an id; throws a RangeError naming the valid ids for anything else. */
export function getProfile(id: string): Profile {
  if (!isProfileId(id))
    throw new RangeError(`unknown profile "${id}"; expected one of ${PROFILE_IDS.join(', ')}`);
  return PROFILES[id];
}

/**
 * The profile a world runs: the named one with the variants its options select layered over it
 * (`olderBlkfront`: a blkfront from before the in-use refusal was dropped).
 */
export function profileWithOptions(id: ProfileId, options: Readonly<Record<string, unknown>>): Profile {
  const p = getProfile(id);
  if (options['olderBlkfront'] !== true) return p;
  return { ...p, blkfront: { ...p.blkfront, refusesCloseWhileInUse: true } };
}

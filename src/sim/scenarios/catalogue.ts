/**
 * The scenario catalogue (spec scenarios.md) as data: the profiles each scenario is written for, the
 * domain kind, the world options, and the script of user actions. Each action is given once the
 * world has settled after the previous one (nothing left to run), so "initial: end of S1" is simply
 * S1's actions first.
 */
import type { ProfileId } from '../profiles';
import type { UserAction } from '../world/types';

/**
 * A scripted action: given once the world has settled, or, with `when`, as soon as the store node
 * holds the value (mid-flight, e.g. to hold a xenwatch queue between two state writes).
 */
export type ScriptEntry = UserAction | { when: Condition; action: UserAction };

/**
 * A store node holding a value, the step just run having this text in its summary, or an actor's
 * xenstore client in a suspend phase (draining, suspended …).
 */
export type Condition =
  { path: string; value: string } | { step: string } | { actor: string; suspendPhase: string };

/**
 * Under the manual policy: from the step whose summary contains `from` until the one containing
 * `until`, the actor's deliveries run only when nothing else can (a process the scheduler keeps
 * off the CPU).
 */
export interface HoldRule {
  actor: string;
  from: string;
  until: string;
}

export interface Scenario {
  id: string;
  title: string;
  profiles: readonly ProfileId[];
  domainKind: 'PV' | 'HVM';
  options: Readonly<Record<string, string | number | boolean>>;
  script: readonly ScriptEntry[];
  /** where the interesting interleaving is a scheduler choice: the policy and seed that make it */
  policy?: 'fifo' | 'seeded' | 'manual';
  seed?: number;
  hold?: readonly HoldRule[];
}

const DOMID = 1;
const IMAGE = 'vmlinuz-guest';
const boot = (kind: 'PV' | 'HVM'): UserAction => ({
  type: 'create-domain',
  domid: DOMID,
  kind,
  image: IMAGE,
});
const attachDisk: UserAction = { type: 'attach-disk', domid: DOMID };
const attachNic: UserAction = { type: 'attach-nic', domid: DOMID };
const kexec: UserAction = { type: 'kexec', domid: DOMID, image: IMAGE };
const ALL: readonly ProfileId[] = ['linux-2006', 'kexec-patch-2006', 'kexec-merged-2006', 'linux-modern'];

/**
 * S10's cycle: traffic doubles rx_target to 128 (60 of 64 buffers used), two more packets arrive
 * but are not polled yet, then network-detach and network-attach.
 */
const S10_CYCLES = 3;
const s10Cycle: UserAction[] = [
  { type: 'net-traffic', domid: DOMID, packets: 60 },
  { type: 'net-traffic', domid: DOMID, packets: 2, polled: false },
  { type: 'detach-nic', domid: DOMID },
  attachNic,
];

const BE_VBD = `/local/domain/0/backend/vbd/${DOMID}/51712`;
const FE_VBD_STATE = `/local/domain/${DOMID}/device/vbd/51712/state`;
const BE_VBD_STATE = `${BE_VBD}/state`;

function scenario(s: Omit<Scenario, 'options'> & Partial<Pick<Scenario, 'options'>>): Scenario {
  return { options: {}, ...s, script: [boot(s.domainKind), ...s.script] };
}

const CATALOGUE: readonly Scenario[] = [
  scenario({
    id: 'S1',
    title: 'Normal vbd connect',
    profiles: ['linux-modern', 'linux-2006'],
    domainKind: 'PV',
    script: [attachDisk],
  }),
  scenario({
    id: 'S1-lost-event',
    title: "vbd connect where the watch event for the backend's Connected is lost",
    profiles: ['linux-modern'],
    domainKind: 'PV',
    script: [
      { type: 'fault', name: 'watchFaultPath', value: BE_VBD_STATE },
      attachDisk,
      {
        when: { path: BE_VBD_STATE, value: '2' },
        action: { type: 'fault', name: 'watchFault', value: 'drop' },
      },
    ],
  }),
  scenario({
    id: 'S1-initialised-early',
    title: 'vbd connect against a buggy backend that publishes Initialised where it should publish InitWait',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    options: { backendInitialisedEarly: true },
    script: [attachDisk],
  }),
  scenario({
    id: 'S1-xenstored-restart',
    title: 'xenstored restarted under a connected vbd, then the disk detached',
    profiles: ['linux-2006', 'linux-modern'],
    domainKind: 'PV',
    script: [attachDisk, { type: 'restart-xenstored' }, { type: 'detach-disk', domid: DOMID }],
  }),
  scenario({
    id: 'S2',
    title: 'Normal vif connect with the hotplug-status gate',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    script: [attachNic],
  }),
  scenario({
    id: 'S2-script-fails',
    title: 'vif connect where the hotplug script fails',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    options: { vifScriptFails: true },
    script: [attachNic],
  }),
  scenario({
    id: 'S3',
    title: 'Toolstack-initiated detach (block-detach)',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    script: [attachDisk, { type: 'detach-disk', domid: DOMID }],
  }),
  ...[false, true].map((force) =>
    scenario({
      id: force ? 'S3-forced' : 'S3-older',
      title: `Detach of a mounted disk with an older blkfront${force ? ', forced' : ''}`,
      profiles: ['linux-modern'],
      domainKind: 'PV',
      options: { olderBlkfront: true },
      script: [attachDisk, { type: 'open-disk', domid: DOMID }, { type: 'detach-disk', domid: DOMID, force }],
    }),
  ),
  scenario({
    id: 'S3-inflight',
    title: 'Detach with I/O still in flight in blkback',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    script: [
      attachDisk,
      { type: 'inflight-io', domid: DOMID, count: 1 },
      { type: 'detach-disk', domid: DOMID },
    ],
  }),
  scenario({
    id: 'S4',
    title: 'Frontend-initiated close: guest shutdown',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    script: [attachDisk, attachNic, { type: 'guest-shutdown', domid: DOMID }],
  }),
  scenario({
    id: 'S5',
    title: 'Backend-initiated close: bad grant reference',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    options: { badRingRef: true },
    script: [attachDisk],
  }),
  scenario({
    id: 'S6',
    title: 'kexec without the 2006 patch: devices stuck',
    profiles: ['linux-2006'],
    domainKind: 'PV',
    script: [attachDisk, attachNic, kexec],
  }),
  scenario({
    id: 'S6b',
    title: 'kexec without the 2006 patch: frontends closed first, devices destroyed',
    profiles: ['linux-2006'],
    domainKind: 'PV',
    script: [attachDisk, attachNic, { type: 'close-frontends', domid: DOMID }, kexec],
  }),
  scenario({
    id: 'S7',
    title: 'kexec with the 2006 RFC: reconnect',
    profiles: ['kexec-patch-2006'],
    domainKind: 'PV',
    script: [attachDisk, attachNic, kexec],
  }),
  scenario({
    id: 'S8',
    title: 'kexec with the merged 2006 code: Closed and invisible',
    profiles: ['kexec-merged-2006'],
    domainKind: 'PV',
    script: [attachDisk, attachNic, kexec],
  }),
  scenario({
    id: 'S9',
    title: 'Modern kexec: reset_watches, reset_state, reconnect',
    profiles: ['linux-modern'],
    domainKind: 'HVM',
    script: [attachDisk, attachNic, kexec],
  }),
  scenario({
    id: 'S10',
    title: 'Netfront teardown with the interface up: rx buffers leak',
    profiles: ALL,
    domainKind: 'PV',
    script: [attachNic, ...Array.from({ length: S10_CYCLES }, () => s10Cycle).flat()],
  }),
  scenario({
    id: 'S11',
    title: 'Missed intermediate state (watch coalescing)',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    options: { blkbackFatalAfterConnect: true },
    script: [
      attachDisk,
      // domU's xenwatch is held once the frontend is Initialised, released once the backend wrote 5
      {
        when: { path: FE_VBD_STATE, value: '3' },
        action: { type: 'hold-xenwatch', domid: DOMID, held: true },
      },
      {
        when: { path: BE_VBD_STATE, value: '5' },
        action: { type: 'hold-xenwatch', domid: DOMID, held: false },
      },
    ],
  }),
  scenario({
    id: 'S12',
    title: 'Transaction EAGAIN retry in blkback connect()',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    // the block script runs late, so its writes race with connect()'s transaction; the scheduler
    // keeps it off the CPU after physical-device until blkback's transaction has written `sectors`
    options: { hotplugDelayMs: 100 },
    policy: 'manual',
    hold: [{ actor: 'dom0.hotplug', from: `${BE_VBD}/physical-device =`, until: `${BE_VBD}/sectors =` }],
    script: [attachDisk],
  }),
  scenario({
    id: 'S12-global',
    title: 'Transaction EAGAIN with the global conflict rule (2006 / xenstore.txt)',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    // domU writes a node of its own while blkback's transaction is open: only `global` conflicts
    options: { hotplugDelayMs: 100, conflictPolicy: 'global' },
    script: [
      attachDisk,
      {
        when: { step: `${BE_VBD}/sectors =` },
        action: { type: 'guest-write', domid: DOMID, path: 'data/foo', value: 'bar' },
      },
    ],
  }),
  scenario({
    id: 'S9b',
    title: 'Modern kdump: the crash kernel resets Connected devices, then probes',
    profiles: ['linux-modern'],
    domainKind: 'HVM',
    script: [attachDisk, attachNic, { ...kexec, mode: 'kdump' }],
  }),
  scenario({
    id: 'S9c',
    title: 'Modern kexec with soft reset: the toolstack rebuilds the devices',
    profiles: ['linux-modern'],
    domainKind: 'HVM',
    options: { softReset: true },
    script: [attachDisk, attachNic, kexec],
  }),
  scenario({
    id: 'S13',
    title: 'Shutdown timeout: backend never answers',
    profiles: ['linux-modern', 'kexec-merged-2006', 'kexec-patch-2006'],
    domainKind: 'HVM',
    script: [attachDisk, attachNic, { type: 'pause-backend', domid: 0, paused: true }, kexec],
  }),
  ...(['pm-freeze', 'fail-early', 'unplug-replug'] as const).map((jumpPolicy) =>
    scenario({
      id: jumpPolicy === 'pm-freeze' ? 'S14' : `S14-${jumpPolicy}`,
      title: `kexec jump and return (preserve_context), ${jumpPolicy}`,
      profiles: ['linux-modern'],
      domainKind: 'HVM',
      options: { jumpPolicy },
      script: [
        attachDisk,
        attachNic,
        { type: 'kexec-jump', domid: DOMID, image: IMAGE },
        { type: 'kexec-jump-back', domid: DOMID },
      ],
    }),
  ),
  scenario({
    id: 'S15',
    title: 'xs_suspend while a transaction is open',
    profiles: ['linux-modern', 'linux-2006'],
    domainKind: 'PV',
    script: [
      attachDisk,
      { type: 'guest-tx-start', domid: DOMID, name: 'T1' },
      { type: 'save-domain', domid: DOMID },
      ...(
        [
          ['draining', { type: 'guest-read', domid: DOMID, path: 'device/vbd/51712/state' }],
          ['draining', { type: 'guest-tx-start', domid: DOMID, name: 'T4' }],
          ['draining', { type: 'guest-tx-end', domid: DOMID, name: 'T1' }],
          ['draining', { type: 'guest-tx-end', domid: DOMID, name: 'T4' }],
          ['suspended', { type: 'guest-read', domid: DOMID, path: 'device/vbd/51712/backend' }],
          ['suspended', { type: 'guest-watch', domid: DOMID, path: 'data' }],
        ] as const
      ).map(([suspendPhase, action]) => ({ when: { actor: 'dom1.K1', suspendPhase }, action })),
    ],
  }),
  scenario({
    id: 'S16',
    title: 'Stale watches after kexec',
    profiles: ['linux-2006', 'kexec-patch-2006', 'linux-modern'],
    domainKind: 'HVM',
    // the detach after the kexec writes BE/state, which K1's old otherend watch still covers
    script: [attachDisk, attachNic, kexec, { type: 'detach-disk', domid: DOMID }],
  }),
  scenario({
    id: 'S16-no-feature',
    title: 'Stale watches after kexec, without the xs_reset_watches platform feature',
    profiles: ['linux-modern'],
    domainKind: 'HVM',
    options: { noResetWatchesFeature: true },
    script: [attachDisk, attachNic, kexec, { type: 'detach-disk', domid: DOMID }],
  }),
  scenario({
    id: 'S17',
    title: 'Multi-page ring negotiation',
    profiles: ['linux-modern'],
    domainKind: 'PV',
    options: { backendMaxOrder: 2, frontendMaxOrder: 4 },
    script: [attachDisk],
  }),
];

/** S1 < S2 < S2-script-fails < S3 … S9 < S9b < S10: number first, then the variant suffix. */
function byId(a: Scenario, b: Scenario): number {
  const [, na = '0', ra = ''] = /^S(\d+)(.*)$/.exec(a.id) ?? [];
  const [, nb = '0', rb = ''] = /^S(\d+)(.*)$/.exec(b.id) ?? [];
  return Number(na) - Number(nb) || ra.localeCompare(rb);
}

/** Every scenario of spec scenarios.md, with its variants, in catalogue order. */
export const SCENARIOS: readonly Scenario[] = [...CATALOGUE].sort(byId);

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

export { ALL as ALL_PROFILES };

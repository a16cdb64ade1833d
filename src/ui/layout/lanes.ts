/**
 * The sequence chart's lanes: one per actor, in a fixed reading order, left to right:
 * the user, the toolstack and hotplug scripts, xenstored, the hypervisor, dom0's kernel, then each
 * guest domain by domid with its kernels side by side in the order they booted (K1, then the kernel
 * kexec started, K2 …), so that a kexec splits the domain's lane into old and new kernel. Pure: no
 * DOM; units are pixels.
 */

export type LaneGroup = 'user' | 'toolstack' | 'hotplug' | 'xenstored' | 'hypervisor' | 'kernel' | 'other';

export interface Lane {
  /** the trace's actor id (`dom1.K2`); `hypervisor` for the hypervisor's lane */
  actor: string;
  group: LaneGroup;
  /** the domain the actor runs in, null for xenstored, the hypervisor and the user */
  domid: number | null;
  /** the kernel's sequence number within its domain (K1 → 1), null for other actors */
  epoch: number | null;
  /** centre of the lane, px */
  x: number;
}

const GROUP_ORDER: readonly LaneGroup[] = [
  'user',
  'toolstack',
  'hotplug',
  'xenstored',
  'hypervisor',
  'kernel',
  'other',
];

/** What an actor id says about its lane: `dom3.K2` is domain 3's second kernel. */
export function classifyActor(actor: string): Omit<Lane, 'x'> {
  if (actor === 'user') return { actor, group: 'user', domid: null, epoch: null };
  if (actor === 'xenstored') return { actor, group: 'xenstored', domid: null, epoch: null };
  if (actor === 'hypervisor') return { actor, group: 'hypervisor', domid: null, epoch: null };
  const m = /^dom(\d+)\.(.+)$/.exec(actor);
  if (m === null) return { actor, group: 'other', domid: null, epoch: null };
  const domid = Number(m[1]);
  const name = m[2] as string;
  if (name === 'xl') return { actor, group: 'toolstack', domid, epoch: null };
  if (name === 'hotplug') return { actor, group: 'hotplug', domid, epoch: null };
  if (name === 'kernel') return { actor, group: 'kernel', domid, epoch: 1 };
  const k = /^K(\d+)$/.exec(name);
  return { actor, group: 'kernel', domid, epoch: k === null ? null : Number(k[1]) };
}

function compareLanes(a: Omit<Lane, 'x'>, b: Omit<Lane, 'x'>): number {
  return (
    GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) ||
    (a.domid ?? -1) - (b.domid ?? -1) ||
    (a.epoch ?? 0) - (b.epoch ?? 0) ||
    (a.actor < b.actor ? -1 : a.actor > b.actor ? 1 : 0)
  );
}

/** Lanes for these actors (duplicates ignored), `width` px apart, the first centred at width / 2. */
export function sequenceLanes(actors: Iterable<string>, width = 96): Lane[] {
  const unique = [...new Set(actors)].map(classifyActor).sort(compareLanes);
  return unique.map((lane, i) => ({ ...lane, x: (i + 0.5) * width }));
}

/**
 * Kernel epochs across kexec: each kernel of a domain (`dom1.K1`, then `dom1.K2` that kexec booted)
 * lives from its start to its stop, with frozen ranges while a kexec jump runs its successor. A
 * boundary is a step where one kernel of a domain stops running (stopped, frozen) and another runs
 * (started, thawed). `survivedAt` is the "what survived" card for a boundary: what the new kernel
 * inherits from the old one. Pure; seqs are trace positions. Both are one pass over the trace, cheap
 * enough to rebuild when it changes (no incremental index).
 */
import type { TraceEntry } from '../../sim/world/trace';
import { classifyActor } from '../layout/lanes';
import { createNodeHistory, type NodeHistory } from './nodeHistory';

/** One kernel's life in its domain. */
export interface KernelEpoch {
  actor: string;
  /** K1 → 1, the kernel kexec started → 2 … */
  epoch: number;
  /** its `started` step, or the first step it appears in */
  startSeq: number;
  endSeq: number | null;
  /** [frozen at, thawed at | null = still frozen at the end of the trace] */
  frozenRanges: [number, number | null][];
}

/** kexec: old stopped, new started; jump: old frozen, new runs; jump-back: an older kernel thawed. */
export type BoundaryKind = 'kexec' | 'jump' | 'jump-back';

/** The step where a domain's running kernel changed: `from` stopped or froze, `to` started or thawed. */
export interface EpochBoundary {
  domid: number;
  seq: number;
  from: string;
  to: string;
  kind: BoundaryKind;
}

/** A domain's kernels, oldest first, and the boundaries between them in trace order. */
export interface DomainEpochs {
  domid: number;
  epochs: KernelEpoch[];
  boundaries: EpochBoundary[];
}

/** Every kernel's epoch and every boundary, per domain by domid. Pure, one pass over the trace. */
export function kernelEpochs(trace: readonly TraceEntry[]): DomainEpochs[] {
  const domains = new Map<number, DomainEpochs>();
  const epochs = new Map<string, KernelEpoch>();
  const epochOf = (actor: string, seq: number): KernelEpoch | null => {
    const c = classifyActor(actor);
    if (c.group !== 'kernel' || c.domid === null) return null;
    let k = epochs.get(actor);
    if (k === undefined) {
      k = { actor, epoch: c.epoch ?? 1, startSeq: seq, endSeq: null, frozenRanges: [] };
      epochs.set(actor, k);
      const d = domains.get(c.domid) ?? { domid: c.domid, epochs: [], boundaries: [] };
      d.epochs.push(k);
      domains.set(c.domid, d);
    }
    return k;
  };
  for (const { seq, actor, effects } of trace) {
    epochOf(actor, seq);
    const down: { k: KernelEpoch; change: string }[] = [];
    const up: { k: KernelEpoch; change: string }[] = [];
    for (const e of effects) {
      if (e.k !== 'actor') continue;
      const k = epochOf(e.actor, seq);
      if (k === null) continue;
      if (e.change === 'stopped') k.endSeq = seq;
      else if (e.change === 'frozen') k.frozenRanges.push([seq, null]);
      else if (e.change === 'thawed') {
        const open = k.frozenRanges[k.frozenRanges.length - 1];
        if (open !== undefined && open[1] === null) open[1] = seq;
      }
      (e.change === 'stopped' || e.change === 'frozen' ? down : up).push({ k, change: e.change });
    }
    for (const u of up) {
      const d = down.find((x) => classifyActor(x.k.actor).domid === classifyActor(u.k.actor).domid);
      if (d === undefined) continue;
      const kind: BoundaryKind =
        u.change === 'thawed'
          ? u.k.epoch < d.k.epoch
            ? 'jump-back'
            : 'jump'
          : d.change === 'stopped'
            ? 'kexec'
            : 'jump';
      const domid = classifyActor(u.k.actor).domid as number;
      domains.get(domid)?.boundaries.push({ domid, seq, from: d.k.actor, to: u.k.actor, kind });
    }
  }
  for (const d of domains.values()) d.epochs.sort((a, b) => a.epoch - b.epoch);
  return [...domains.values()].sort((a, b) => a.domid - b.domid);
}

/** What survived a boundary (the "what survived" card). */
export interface SurvivedCard {
  boundary: EpochBoundary;
  /** store nodes under /local/domain/<domid> right after the boundary step: how many, and a few */
  nodes: { count: number; sample: string[] };
  /** device ends Connected at the boundary: backends of this domain's devices, and the old kernel's frontends */
  connected: { device: string; side: 'backend' | 'frontend'; frontend: string }[];
  /** grants of this domain mapped by another domain at the boundary; unmappedAt null = never after */
  mappedGrants: { mapper: number; ref: number; handle: number; unmappedAt: number | null }[];
  /** the old kernel's watches registered at the boundary; removedAt null = still registered at the end */
  watches: { path: string; token: string; removedAt: number | null; removedBy: string | null }[];
}

/** `backend/vbd/1/51712` → its frontend node `/local/domain/1/device/vbd/51712`; frontends give their own. */
function deviceEnd(key: string): { side: 'backend' | 'frontend'; domid: number; frontend: string } | null {
  const [actor = '', node = ''] = key.split('|');
  const be = /^backend\/([^/]+)\/(\d+)\/(\d+)$/.exec(node);
  if (be !== null)
    return {
      side: 'backend',
      domid: Number(be[2]),
      frontend: `/local/domain/${be[2]}/device/${be[1]}/${be[3]}`,
    };
  const domid = classifyActor(actor).domid;
  if (!node.startsWith('device/') || domid === null) return null;
  return { side: 'frontend', domid, frontend: `/local/domain/${domid}/${node}` };
}

/**
 * What the new kernel inherits at `boundary` (state right after the boundary step), and what became
 * of the old kernel's watches and mapped grants afterwards. Pure, one pass over the trace; pass a
 * node history already built for this trace to skip building one.
 */
export function survivedAt(
  trace: readonly TraceEntry[],
  boundary: EpochBoundary,
  history: NodeHistory = createNodeHistory(trace),
): SurvivedCard {
  const { domid, seq: at } = boundary;
  const home = `/local/domain/${domid}/`;
  const kept = history.paths().filter((p) => p.startsWith(home) && history.valueAt(p, at + 1) !== null);
  const sample = [...kept].sort(
    (a, b) => Number(!a.endsWith('/state')) - Number(!b.endsWith('/state')) || a.localeCompare(b),
  );

  const states = new Map<string, string>();
  type Grant = SurvivedCard['mappedGrants'][number] & { mappedAt: number };
  type Watch = SurvivedCard['watches'][number] & { addedBy: string; addedAt: number };
  const [grants, openGrants] = [[] as Grant[], new Map<string, Grant>()];
  const [watches, openWatches] = [[] as Watch[], new Map<string, Watch>()];
  const isOurs = (actor: string) =>
    classifyActor(actor).group === 'kernel' && classifyActor(actor).domid === domid;
  for (const { seq, effects } of trace) {
    for (const e of effects) {
      if (seq <= at && e.k === 'transition') states.set(e.device, e.to);
      else if (seq <= at && e.k === 'device' && e.change === 'freed') states.delete(e.device);
      else if (e.k === 'watch-add' && isOurs(e.actor)) {
        const w = {
          path: e.path,
          token: e.token,
          addedBy: e.actor,
          addedAt: seq,
          removedAt: null,
          removedBy: null,
        };
        watches.push(w);
        openWatches.set(`${e.path}\n${e.token}`, w);
      } else if (e.k === 'watch-remove' && isOurs(e.actor)) {
        const w = openWatches.get(`${e.path}\n${e.token}`);
        openWatches.delete(`${e.path}\n${e.token}`);
        if (w !== undefined) [w.removedAt, w.removedBy] = [seq, e.actor];
      } else if (e.k === 'hv' && e.e.kind === 'grant-map' && e.e.granter === domid) {
        const g = { mapper: e.e.mapper, ref: e.e.ref, handle: e.e.handle, mappedAt: seq, unmappedAt: null };
        grants.push(g);
        openGrants.set(`${g.mapper}:${g.ref}:${g.handle}`, g);
      } else if (e.k === 'hv' && e.e.kind === 'grant-unmap' && e.e.granter === domid) {
        const key = `${e.e.mapper}:${e.e.ref}:${e.e.handle}`;
        const g = openGrants.get(key);
        openGrants.delete(key);
        if (g !== undefined) g.unmappedAt = seq;
      }
    }
  }
  const connected: SurvivedCard['connected'] = [];
  for (const [device, state] of states) {
    const end = deviceEnd(device);
    const mine = end?.side === 'backend' ? end.domid === domid : device.startsWith(`${boundary.from}|`);
    if (end !== null && state === 'Connected' && mine)
      connected.push({ device, side: end.side, frontend: end.frontend });
  }
  const open = (from: number, to: number | null) => from <= at && (to === null || to > at);
  return {
    boundary,
    nodes: { count: kept.length, sample: sample.slice(0, 6) },
    connected: connected.sort((a, b) => a.device.localeCompare(b.device)),
    mappedGrants: grants
      .filter((g) => open(g.mappedAt, g.unmappedAt))
      .map(({ mapper, ref, handle, unmappedAt }) => ({ mapper, ref, handle, unmappedAt })),
    watches: watches
      .filter((w) => w.addedBy === boundary.from && open(w.addedAt, w.removedAt))
      .map(({ path, token, removedAt, removedBy }) => ({ path, token, removedAt, removedBy })),
  };
}

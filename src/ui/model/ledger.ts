/**
 * The resource ledger: per domain, running counts over the trace of what it holds, so that a leak
 * shows as a count that does not come back after a detach/attach or a kexec:
 * - `grants`: grant references in use (grant-ref-alloc adds refs.length, grant-ref-free takes away);
 * - `mappedGrants`: grants the domain maps from others (grant-map / grant-unmap, by mapper);
 * - `evtchns`: event channels open (alloc-unbound or bind-interdomain, minus close);
 * - `ringSlots`: slots not free on the shared rings the domain set up (ring-init), until the ring's
 *   last side detaches;
 * - `driverPages`: the balloon driver's driver_pages counter.
 * A destroyed domain holds nothing. Pure; counts are plain numbers, seqs trace positions, a cursor
 * the number of steps run (0…trace.length). Sparkline geometry is in pixels.
 *
 * Leak rule: a domain's baseline is its count just before its first teardown action (a user
 * detach-disk, detach-nic, guest-shutdown, close-frontends, kexec, kexec-jump or save-domain); each
 * later teardown action of the domain is a check, and a resource is flagged when its count just
 * before the latest check before the cursor differs from the baseline.
 */
import type { TraceEntry } from '../../sim/world/trace';
import { countBefore, isSamePrefix, markOf, type TraceMark } from './nodeHistory';

/** The resources counted, in display order. */
export const LEDGER_RESOURCES = ['grants', 'mappedGrants', 'evtchns', 'ringSlots', 'driverPages'] as const;
/** One counted resource (see the module comment for what each counts). */
export type LedgerResource = (typeof LEDGER_RESOURCES)[number];

/** The count after step `seq`. */
export interface LedgerPoint {
  seq: number;
  value: number;
}

/** A resource whose count at a later teardown differs from its baseline. */
export interface LedgerFlag {
  domid: number;
  resource: LedgerResource;
  baseline: number;
  value: number;
  /** value − baseline */
  delta: number;
  /** the teardown action (user step) just before which `value` was counted */
  at: number;
}

/** The index: one pass, O(total effects); `extend` reads new entries, or rebuilds if the trace was rewritten. */
export interface Ledger {
  readonly indexedLength: number;
  extend(trace: readonly TraceEntry[]): void;
  /** domains seen (created or holding something), ascending */
  readonly domains: number[];
  /** one point per step that changed the count (the count starts at 0) */
  series(domid: number, resource: LedgerResource): readonly LedgerPoint[];
  valueAt(domid: number, resource: LedgerResource, cursor: number): number;
  /** the count just before the domain's first teardown action; null before it */
  baseline(domid: number, resource: LedgerResource): number | null;
  flags(cursor: number): LedgerFlag[];
  /** SVG polyline points: the count as a step line, seq 0…cursor across `width`, 0…max up `height` */
  sparkPoints(domid: number, resource: LedgerResource, cursor: number, width: number, height: number): string;
}

const TEARDOWN = new Set(
  'detach-disk detach-nic guest-shutdown close-frontends kexec kexec-jump save-domain'.split(' '),
);
const USER_ACTION = /^user: (\S+)\b.*\bdomid=(\d+)/;

interface Ring {
  owner: number;
  sides: Set<string>;
  inUse: number;
}

class ResourceLedger implements Ledger {
  private logs = new Map<string, { points: LedgerPoint[]; seqs: number[] }>();
  private counts = new Map<string, number>();
  private rings = new Map<string, Ring>();
  private domainSet = new Set<number>();
  private checks = new Map<number, number[]>();
  private mark: TraceMark = { length: 0, last: undefined };

  get indexedLength(): number {
    return this.mark.length;
  }

  get domains(): number[] {
    return [...this.domainSet].sort((a, b) => a - b);
  }

  extend(trace: readonly TraceEntry[]): void {
    if (!isSamePrefix(trace, this.mark)) {
      for (const m of [this.logs, this.counts, this.rings, this.domainSet, this.checks]) m.clear();
      this.mark = { length: 0, last: undefined };
    }
    for (let i = this.mark.length; i < trace.length; i++) this.read(trace[i] as TraceEntry);
    this.mark = markOf(trace);
  }

  private read(entry: TraceEntry): void {
    const touched = new Set<string>();
    const destroyed: number[] = [];
    const add = (domid: number, r: LedgerResource, delta: number, set?: number) => {
      const key = `${domid}:${r}`;
      this.domainSet.add(domid);
      this.counts.set(key, set ?? (this.counts.get(key) ?? 0) + delta);
      touched.add(key);
    };
    const m = entry.kind === 'user' ? USER_ACTION.exec(entry.summary) : null;
    if (m !== null && TEARDOWN.has(m[1] as string)) {
      const checks = this.checks.get(Number(m[2])) ?? [];
      checks.push(entry.seq);
      this.checks.set(Number(m[2]), checks);
    }
    for (const x of entry.effects) {
      if (x.k !== 'hv') continue;
      const e = x.e;
      if (e.kind === 'domain-create') this.domainSet.add(e.domid);
      else if (e.kind === 'domain-destroy') destroyed.push(e.domid);
      else if (e.kind === 'grant-ref-alloc') add(e.domid, 'grants', e.refs.length);
      else if (e.kind === 'grant-ref-free') add(e.domid, 'grants', -e.refs.length);
      else if (e.kind === 'grant-map') add(e.mapper, 'mappedGrants', 1);
      else if (e.kind === 'grant-unmap') add(e.mapper, 'mappedGrants', -1);
      else if (e.kind === 'evtchn-alloc-unbound' || e.kind === 'evtchn-bind-interdomain')
        add(e.domid, 'evtchns', 1);
      else if (e.kind === 'evtchn-close') add(e.domid, 'evtchns', -1);
      else if (e.kind === 'balloon-counter' && e.counter === 'driverPages')
        add(e.domid, 'driverPages', 0, e.new);
      else if (e.kind === 'ring-init')
        this.rings.set(e.ringId, { owner: e.domid, sides: new Set(['front']), inUse: 0 });
      else if (e.kind === 'ring-attach') this.rings.get(e.ringId)?.sides.add(e.side);
      else if (e.kind === 'ring-detach' || e.kind === 'ring-slot') {
        const ring = this.rings.get(e.ringId);
        if (ring === undefined) continue;
        let delta = 0;
        if (e.kind === 'ring-slot') delta = Number(e.new !== 'free') - Number(e.old !== 'free');
        else if (ring.sides.delete(e.side) && ring.sides.size === 0) {
          delta = -ring.inUse;
          this.rings.delete(e.ringId);
        }
        ring.inUse += delta;
        if (delta !== 0) add(ring.owner, 'ringSlots', delta);
      }
    }
    for (const domid of destroyed) {
      for (const r of LEDGER_RESOURCES) add(domid, r, 0, 0);
      for (const [id, ring] of this.rings) if (ring.owner === domid) this.rings.delete(id);
    }
    for (const key of touched) {
      const value = this.counts.get(key) ?? 0;
      const s = this.logs.get(key) ?? { points: [], seqs: [] };
      if ((s.points[s.points.length - 1]?.value ?? 0) === value) continue;
      s.points.push({ seq: entry.seq, value });
      s.seqs.push(entry.seq);
      this.logs.set(key, s);
    }
  }

  series(domid: number, resource: LedgerResource): readonly LedgerPoint[] {
    return this.logs.get(`${domid}:${resource}`)?.points ?? [];
  }

  valueAt(domid: number, resource: LedgerResource, cursor: number): number {
    const s = this.logs.get(`${domid}:${resource}`);
    return s?.points[countBefore(s.seqs, cursor) - 1]?.value ?? 0;
  }

  baseline(domid: number, resource: LedgerResource): number | null {
    const first = this.checks.get(domid)?.[0];
    return first === undefined ? null : this.valueAt(domid, resource, first);
  }

  flags(cursor: number): LedgerFlag[] {
    const out: LedgerFlag[] = [];
    for (const [domid, checks] of this.checks) {
      const at = checks[countBefore(checks, cursor) - 1];
      if (at === undefined || at === checks[0]) continue;
      for (const resource of LEDGER_RESOURCES) {
        const baseline = this.baseline(domid, resource) as number;
        const value = this.valueAt(domid, resource, at);
        if (value !== baseline) out.push({ domid, resource, baseline, value, delta: value - baseline, at });
      }
    }
    return out.sort((a, b) => a.domid - b.domid);
  }

  sparkPoints(
    domid: number,
    resource: LedgerResource,
    cursor: number,
    width: number,
    height: number,
  ): string {
    const key = `${domid}:${resource}`;
    const n = countBefore(this.logs.get(key)?.seqs ?? [], cursor);
    return stepPolyline(this.series(domid, resource).slice(0, n), cursor, width, height);
  }
}

/**
 * SVG polyline points for a count that starts at 0 and takes each point's value after its step:
 * x spans seq 0…cursor over `width` px, y spans 0…max over `height` px (up). Changes that fall on
 * the same 0.1 px column are drawn as one vertical stroke, so the output stays O(width) points.
 */
export function stepPolyline(
  points: readonly LedgerPoint[],
  cursor: number,
  width: number,
  height: number,
): string {
  const max = points.reduce((m, p) => Math.max(m, p.value), 1);
  const px = (seq: number) => Math.round(((seq + 1) / Math.max(cursor, 1)) * width * 10) / 10;
  const py = (value: number) => Math.round((height - (value / max) * height) * 10) / 10;
  const out: string[] = [];
  const push = (x: number, value: number) => {
    if (out[out.length - 1] !== `${x},${py(value)}`) out.push(`${x},${py(value)}`);
  };
  push(0, 0);
  let last = 0;
  for (let i = 0; i < points.length;) {
    const x = px((points[i] as LedgerPoint).seq);
    const prev = last;
    let [lo, hi] = [last, last];
    for (; i < points.length && px((points[i] as LedgerPoint).seq) === x; i++) {
      last = (points[i] as LedgerPoint).value;
      [lo, hi] = [Math.min(lo, last), Math.max(hi, last)];
    }
    for (const v of [prev, lo, hi, last]) push(x, v);
  }
  push(width, last);
  return out.join(' ');
}

/** Indexes the resource counts of `trace` (one pass); keep it and call `extend` as the trace grows. */
export function createLedger(trace: readonly TraceEntry[]): Ledger {
  const ledger = new ResourceLedger();
  ledger.extend(trace);
  return ledger;
}

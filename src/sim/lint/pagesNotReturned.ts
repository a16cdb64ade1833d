/**
 * Rule `pages-not-returned` (kexec-handover.md §4.2, §4.3; scenario S10): pages a netfront gave
 * away for its rx buffers, counted in the balloon's driver_pages, must all be back once the device
 * has been torn down and is Connected again.
 *
 * driver_pages is one counter per domain, and a vbd connecting while a vif leaks would make a plain
 * before/after comparison blame the vbd (S7), so each move of the counter is charged to a ring:
 *   step with balloon-counter(driverPages) moves and rx-buffer/rx-release effects of exactly one ring
 *     → that ring's debt += the step's net move   (other steps are not charged)
 *   ring-granted(domid, refs) + the frontend publishing one of those refs in FE/…ring-ref…
 *     → the ring belongs to that frontend directory
 * A cycle ends when a frontend driver of the directory enters Connected again: the rings linked up
 * to its previous connect belong to the old connection, and their remaining debt is the finding.
 */
import { addToSet, parseDeviceKey, parseDevicePath, type DeviceKey } from './paths';
import { RULE_SPEC, type CheckerContext, type RuleChecker } from './types';

const RING_REF = /^(?:(?:tx|rx)-)?ring-ref\d*$/;

interface Ring {
  id: string;
  linked: number;
  debt: number;
}

export function createPagesNotReturned({ emit }: CheckerContext): RuleChecker {
  /** `${domid}:${ref}` → the ring granted with it */
  const grantedRing = new Map<string, string>();
  const rings = new Map<string, Ring>();
  /** frontend directory → its rings not yet settled, and its last connect */
  const ringsOf = new Map<string, Ring[]>();
  const lastConnect = new Map<string, number>();
  /** this step: net driver_pages move per domain, rx rings touched per domain, devices connected */
  const moved = new Map<number, number>();
  const touched = new Map<number, Set<string>>();
  const connected: DeviceKey[] = [];

  const link = (dir: string, domid: number, ref: string, seq: number) => {
    const id = grantedRing.get(`${domid}:${Number(ref)}`);
    if (id === undefined || rings.has(id)) return;
    const ring = { id, linked: seq, debt: 0 };
    rings.set(id, ring);
    ringsOf.set(dir, [...(ringsOf.get(dir) ?? []), ring]);
  };

  return {
    effect(f, e) {
      if (f.k === 'node-write') {
        const p = parseDevicePath(f.path);
        if (p?.side === 'frontend' && RING_REF.test(p.rest.split('/').at(-1) ?? ''))
          link(p.dir, p.domid, f.value, e.seq);
      } else if (f.k === 'transition' && f.to === 'Connected' && f.from !== 'Connected') {
        const d = parseDeviceKey(f.device);
        if (d?.side === 'frontend') connected.push(d);
      } else if (f.k === 'hv') {
        const h = f.e;
        if (h.kind === 'ring-granted') for (const r of h.refs) grantedRing.set(`${h.domid}:${r}`, h.ringId);
        else if (h.kind === 'balloon-counter' && h.counter === 'driverPages')
          moved.set(h.domid, (moved.get(h.domid) ?? 0) + h.new - h.old);
        else if (h.kind === 'rx-buffer' || h.kind === 'rx-release') addToSet(touched, h.domid, h.ringId);
      }
    },
    endStep(e) {
      for (const [domid, n] of moved) {
        const only = touched.get(domid);
        const ring = only?.size === 1 ? rings.get([...only][0] as string) : undefined;
        if (ring) ring.debt += n;
      }
      moved.clear();
      touched.clear();
      for (const c of connected) {
        const previous = lastConnect.get(c.dir);
        lastConnect.set(c.dir, e.seq);
        if (previous === undefined) continue;
        const all = ringsOf.get(c.dir) ?? [];
        const old = all.filter((r) => r.linked <= previous);
        ringsOf.set(c.dir, all.slice(old.length));
        const kept = old.reduce((sum, r) => sum + r.debt, 0);
        if (kept <= 0) continue;
        emit({
          seq: e.seq,
          rule: 'pages-not-returned',
          device: c.key,
          message:
            `${c.key} is Connected again, but ${kept} driver_pages of dom${c.domid} counted for its previous ` +
            `connection (connected at seq ${previous}) were never given back by the teardown`,
          spec: RULE_SPEC['pages-not-returned'],
        });
      }
      connected.length = 0;
    },
  };
}

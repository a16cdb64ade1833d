/**
 * The world map's layout: one block per guest domain (a header with its kernels and balloon
 * meter), and in it one row per device pair: the backend on the left (in dom0), the shared ring(s)
 * in the middle, the frontend of each kernel that probed the device on the right, side by side in
 * boot order (two across a kexec). Pure: plain geometry from the world view; units are pixels.
 */
import type { DevicePairView, DomainView, WorldView } from '../model/worldView';

export interface MapOptions {
  width: number;
  headerHeight: number;
  rowHeight: number;
  chipWidth: number;
  chipHeight: number;
  padding: number;
}

export const MAP_DEFAULTS: MapOptions = {
  width: 720,
  headerHeight: 30,
  rowHeight: 124,
  chipWidth: 150,
  chipHeight: 44,
  padding: 12,
};

/** Height of dom0's line at the top of the map, px. */
export const DOM0_LINE = 22;

export interface ChipBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PairLayout {
  pair: DevicePairView;
  y: number;
  backend: ChipBox | null;
  /** one box per frontend in `pair.frontends`, in the same order */
  frontends: ChipBox[];
  /** ring centres, one per ring id of the pair (backend's and frontends' ids, deduplicated) */
  rings: Array<{ id: string; cx: number; cy: number }>;
  /**
   * the event-channel link, under the chips from the backend to the newest frontend: `x1`/`x2` where
   * it leaves the chips' bottom edge (`top`), `y` where it runs across
   */
  link: { x1: number; x2: number; top: number; y: number } | null;
}

export interface DomainLayout {
  domain: DomainView;
  y: number;
  height: number;
  /** rings no device holds any more (a leak), drawn in a row of their own at the bottom */
  leftBehind: Array<{ id: string; cx: number; cy: number }>;
}

export interface WorldMapLayout {
  domains: DomainLayout[];
  pairs: PairLayout[];
  width: number;
  height: number;
}

/**
 * The rings a pair shows: the newest frontend's and the backend's (a ring the frontend already
 * released stays while the backend still maps it), in order of creation.
 */
export function ringsOfPair(pair: DevicePairView): string[] {
  const ids = [...(pair.frontends.at(-1)?.rings ?? []), ...(pair.backend?.rings ?? [])];
  return [...new Set(ids)].sort((a, b) => ringSerial(a) - ringSerial(b));
}

const ringSerial = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1)) || 0;

/**
 * `leftBehind`: per domid, rings the domain still owns that no pair shows (rx rings whose buffers
 * leaked); they get a row at the bottom of the domain's block.
 */
export function worldMapLayout(
  view: WorldView,
  options: MapOptions = MAP_DEFAULTS,
  leftBehind: ReadonlyMap<number, readonly string[]> = new Map(),
): WorldMapLayout {
  const o = options;
  const domains: DomainLayout[] = [];
  const pairs: PairLayout[] = [];
  // the first line is dom0's own: its kernel and the backends it serves (drawn in each guest's rows)
  let y = o.padding + DOM0_LINE;
  const guests = view.domains.filter((d) => d.domid !== 0);
  for (const domain of guests) {
    const own = view.pairs.filter((p) => p.frontendDomid === domain.domid);
    const top = y;
    y += o.headerHeight;
    for (const pair of own) {
      const chipY = y + (o.rowHeight - o.chipHeight) / 2 - 8;
      const backend =
        pair.backend === null ? null : { x: o.padding, y: chipY, width: o.chipWidth, height: o.chipHeight };
      const n = Math.max(1, pair.frontends.length);
      // frontends share the right-hand area; each at most chipWidth wide
      const area = Math.min(o.chipWidth * n + 8 * (n - 1), o.width / 2 - o.padding);
      const w = (area - 8 * (n - 1)) / n;
      const frontends = pair.frontends.map((_, i) => ({
        x: o.width - o.padding - area + i * (w + 8),
        y: chipY,
        width: w,
        height: o.chipHeight,
      }));
      const ids = ringsOfPair(pair);
      const left = o.padding + o.chipWidth;
      const right = o.width - o.padding - area;
      const mid = (left + right) / 2;
      const spacing = Math.min(76, (right - left) / Math.max(1, ids.length));
      const rings = ids.map((id, i) => ({
        id,
        cx: mid + (i - (ids.length - 1) / 2) * spacing,
        cy: y + o.rowHeight / 2 - 8,
      }));
      const newest = frontends.at(-1);
      const link =
        backend !== null && newest !== undefined
          ? {
              x1: backend.x + backend.width - 24,
              x2: newest.x + 24,
              top: chipY + o.chipHeight,
              y: y + o.rowHeight - 22,
            }
          : null;
      pairs.push({ pair, y, backend, frontends, rings, link });
      y += o.rowHeight;
    }
    if (own.length === 0) y += 8;
    const orphans = leftBehind.get(domain.domid) ?? [];
    const spacing = 76;
    const ringsLeft = orphans.map((id, i) => ({
      id,
      cx: o.width / 2 + (i - (orphans.length - 1) / 2) * spacing,
      cy: y + o.rowHeight / 2,
    }));
    if (orphans.length > 0) y += o.rowHeight;
    domains.push({ domain, y: top, height: y - top, leftBehind: ringsLeft });
    y += o.padding;
  }
  return { domains, pairs, width: o.width, height: y };
}

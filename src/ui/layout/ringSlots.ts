/**
 * The world map's shared ring: `nrEnts` slots drawn as a circle of arc segments, slot 0 at twelve
 * o'clock and going clockwise, plus markers for the free-running ring indices. Pure: no DOM; the
 * arcs' `d` strings come from d3-shape, centred on (0, 0); units are pixels and radians.
 */
import { arc } from 'd3-shape';

export interface SlotArc {
  /** slot number, 0 … nrEnts − 1 */
  slot: number;
  startAngle: number;
  endAngle: number;
  /** SVG path of the segment */
  d: string;
  /** the segment's centre, for a label or a hit target */
  centroid: [number, number];
}

export interface RingGeometry {
  /** outer radius, px */
  radius: number;
  /** radial width of a segment, px */
  thickness: number;
  /** gap between segments, radians (dropped when the slots are too thin to show one) */
  padAngle: number;
}

export const RING_DEFAULTS: RingGeometry = { radius: 40, thickness: 10, padAngle: 0.02 };

/** The segments of a ring with `nrEnts` slots (a power of two, as __RING_SIZE makes it). */
export function ringSlots(nrEnts: number, geometry: RingGeometry = RING_DEFAULTS): SlotArc[] {
  if (!Number.isInteger(nrEnts) || nrEnts < 1) throw new RangeError(`nrEnts must be ≥ 1: ${nrEnts}`);
  const step = (2 * Math.PI) / nrEnts;
  // past a few hundred slots a gap would eat the segment: draw them edge to edge
  const pad = step > 4 * geometry.padAngle ? geometry.padAngle : 0;
  const shape = arc<{ startAngle: number; endAngle: number }>()
    .innerRadius(geometry.radius - geometry.thickness)
    .outerRadius(geometry.radius)
    .padAngle(pad);
  const slots: SlotArc[] = [];
  for (let slot = 0; slot < nrEnts; slot++) {
    const a = { startAngle: slot * step, endAngle: (slot + 1) * step };
    slots.push({ slot, ...a, d: shape(a) ?? '', centroid: shape.centroid(a) });
  }
  return slots;
}

/** One slot's segment (for a highlight), without building the whole ring. */
export function slotArc(nrEnts: number, slot: number, geometry: RingGeometry = RING_DEFAULTS): string {
  const step = (2 * Math.PI) / nrEnts;
  const shape = arc<{ startAngle: number; endAngle: number }>()
    .innerRadius(geometry.radius - geometry.thickness)
    .outerRadius(geometry.radius);
  return shape({ startAngle: slot * step, endAngle: (slot + 1) * step }) ?? '';
}

/** The slot under a point (x, y) relative to the ring's centre: the inverse of the slots' angles. */
export function slotAt(x: number, y: number, nrEnts: number): number {
  const angle = (Math.atan2(x, -y) + 2 * Math.PI) % (2 * Math.PI);
  return Math.min(nrEnts - 1, Math.floor((angle * nrEnts) / (2 * Math.PI)));
}

/** The slot a free-running RING_IDX lands in: MASK_<name>_IDX, idx & (nrEnts − 1). */
export function slotOfIndex(idx: number, nrEnts: number): number {
  return idx & (nrEnts - 1);
}

export interface IndexMarker {
  slot: number;
  /** angle of the slot's middle, radians clockwise from twelve o'clock */
  angle: number;
  /** where the marker sits, just outside the ring */
  x: number;
  y: number;
}

/**
 * Where a ring index (req_prod, rsp_cons, …) points: the middle of its slot's outer edge, pushed
 * `offset` px outwards. d3's angles run clockwise from twelve o'clock, so x = sin, y = −cos.
 */
export function indexMarker(
  idx: number,
  nrEnts: number,
  geometry: RingGeometry = RING_DEFAULTS,
  offset = 6,
): IndexMarker {
  const slot = slotOfIndex(idx, nrEnts);
  const angle = ((slot + 0.5) * 2 * Math.PI) / nrEnts;
  const r = geometry.radius + offset;
  return { slot, angle, x: r * Math.sin(angle), y: -r * Math.cos(angle) };
}

export interface SlotRun<L> {
  /** first slot of the run and how many slots it covers */
  first: number;
  count: number;
  look: L;
  d: string;
}

/**
 * Consecutive slots that look the same, drawn as one arc each: a 256-slot ring whose slots are
 * mostly free is a handful of paths rather than 256, which keeps the live SVG small. Slot
 * boundaries inside a run are not drawn (gaps separate runs, not slots).
 */
export function ringRuns<L>(looks: readonly L[], geometry: RingGeometry = RING_DEFAULTS): SlotRun<L>[] {
  const n = looks.length;
  if (n < 1) throw new RangeError('a ring has at least one slot');
  const step = (2 * Math.PI) / n;
  const shape = arc<{ startAngle: number; endAngle: number }>()
    .innerRadius(geometry.radius - geometry.thickness)
    .outerRadius(geometry.radius)
    .padAngle(step > 4 * geometry.padAngle ? geometry.padAngle : geometry.padAngle / 2);
  const runs: SlotRun<L>[] = [];
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && looks[j] === looks[i]) j++;
    const a = { startAngle: i * step, endAngle: j * step };
    runs.push({ first: i, count: j - i, look: looks[i] as L, d: shape(a) ?? '' });
    i = j;
  }
  return runs;
}

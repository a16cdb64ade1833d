import { describe, expect, it } from 'vitest';
import { indexMarker, ringRuns, ringSlots, slotArc, slotAt, slotOfIndex } from './ringSlots';

describe('ring slots', () => {
  it('divides the circle into nrEnts segments, slot 0 first, clockwise', () => {
    const slots = ringSlots(32, { radius: 40, thickness: 10, padAngle: 0.02 });
    expect(slots).toHaveLength(32);
    expect(slots[0]!.startAngle).toBe(0);
    expect(slots[31]!.endAngle).toBeCloseTo(2 * Math.PI);
    for (const s of slots) expect(s.endAngle - s.startAngle).toBeCloseTo((2 * Math.PI) / 32);
    // slot 8 of 32 sits at three o'clock: its centre is to the right of the middle, level with it
    const [x, y] = slots[8]!.centroid;
    expect(x).toBeGreaterThan(30);
    expect(Math.abs(y)).toBeLessThan(5);
    expect(slots[0]!.d).toMatch(/^M/);
  });

  it('keeps every segment visible on a 256-slot netif ring (no padding gap)', () => {
    const slots = ringSlots(256, { radius: 40, thickness: 10, padAngle: 0.02 });
    expect(slots).toHaveLength(256);
    expect(new Set(slots.map((s) => s.d)).size).toBe(256);
  });

  it('rejects a ring without slots', () => {
    expect(() => ringSlots(0)).toThrow(RangeError);
  });

  it('maps free-running indices onto slots as RING_IDX masking does', () => {
    expect(slotOfIndex(0, 32)).toBe(0);
    expect(slotOfIndex(33, 32)).toBe(1);
    expect(slotOfIndex(2 ** 32 - 1, 256)).toBe(255);
    const m = indexMarker(32 + 16, 32, { radius: 40, thickness: 10, padAngle: 0 }, 6);
    expect(m.slot).toBe(16);
    // slot 16 of 32 is at six o'clock: straight below the middle
    expect(m.x).toBeCloseTo(46 * Math.sin(m.angle));
    expect(m.y).toBeGreaterThan(45);
  });

  it('groups equal neighbouring slots into runs that cover the ring once, in order', () => {
    const looks = Array.from({ length: 256 }, (_, i) => (i < 60 ? 'posted' : i < 62 ? 'leaked' : 'free'));
    const runs = ringRuns(looks);
    expect(runs.map((r) => [r.first, r.count, r.look])).toEqual([
      [0, 60, 'posted'],
      [60, 2, 'leaked'],
      [62, 194, 'free'],
    ]);
    expect(runs.every((r) => r.d.startsWith('M'))).toBe(true);
    expect(ringRuns(['a', 'b', 'a', 'b'])).toHaveLength(4);
    expect(() => ringRuns([])).toThrow(RangeError);
  });
});

describe('slotAt', () => {
  it('inverts the slot arcs: the centroid of every slot is inside that slot', () => {
    for (const n of [1, 8, 32, 256])
      for (const a of ringSlots(n)) expect(slotAt(a.centroid[0], a.centroid[1], n)).toBe(a.slot);
  });
  it('puts twelve o’clock in slot 0 and just left of it in the last slot', () => {
    expect(slotAt(0.01, -30, 32)).toBe(0);
    expect(slotAt(-0.01, -30, 32)).toBe(31);
  });
  it('slotArc draws the same segment as the ring (without the gap)', () => {
    expect(slotArc(8, 3)).toMatch(/^M/);
    expect(slotArc(8, 3)).not.toBe(slotArc(8, 4));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

const draw = (rng: Rng, name: string, n: number) => Array.from({ length: n }, () => rng.next(name));

describe('Rng', () => {
  it('gives the same numbers for the same seed, run after run', () => {
    const runs = Array.from({ length: 20 }, () => draw(new Rng(42), 'xenwatch.order', 100));
    for (const r of runs) expect(r).toEqual(runs[0]);
  });

  it('gives different numbers for different seeds', () => {
    expect(draw(new Rng(1), 'a', 10)).not.toEqual(draw(new Rng(2), 'a', 10));
  });

  it('keeps named streams independent: draws from one name never shift another', () => {
    const alone = new Rng(7);
    const mixed = new Rng(7);
    const expected = draw(alone, 'scheduler.pick', 50);
    const got: number[] = [];
    for (let i = 0; i < 50; i++) {
      mixed.next('fault.delay');
      got.push(mixed.next('scheduler.pick'));
    }
    expect(got).toEqual(expected);
  });

  it('draws floats in [0, 1) and integers in [0, n)', () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const rng = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const f = rng.next('f');
          const k = rng.int('k', n);
          if (!(f >= 0 && f < 1 && Number.isInteger(k) && k >= 0 && k < n)) return false;
        }
        return true;
      }),
    );
  });

  it('is roughly uniform (each of 8 buckets within 20% of its share over 80,000 draws)', () => {
    const rng = new Rng(123);
    const buckets = new Array<number>(8).fill(0);
    for (let i = 0; i < 80_000; i++) buckets[rng.int('u', 8)]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(2_000);
  });

  it('continues identically after snapshot and restore', () => {
    const rng = new Rng(99);
    draw(rng, 'a', 5);
    draw(rng, 'b', 3);
    const copy = Rng.restore(rng.snapshot());
    expect(draw(copy, 'a', 10)).toEqual(draw(rng, 'a', 10));
    expect(draw(copy, 'c', 10)).toEqual(draw(rng, 'c', 10));
  });

  it('rejects seeds outside [0, 2^32) and bad bounds', () => {
    expect(() => new Rng(-1)).toThrow(RangeError);
    expect(() => new Rng(1.5)).toThrow(RangeError);
    expect(() => new Rng(7).int('x', 0)).toThrow(RangeError);
    expect(() => new Rng(7).pick('x', [])).toThrow(RangeError);
  });
});

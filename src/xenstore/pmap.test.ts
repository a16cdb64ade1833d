/**
 * PMap: a family of maps forked from one another, changed and read in any interleaving, each
 * behaves exactly as a plain Map that was deep-copied at each fork (the oracle), whatever the
 * rerooting and splitting underneath; and `era` changes whenever another map may see the values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PMap } from './pmap';

type Op =
  | { kind: 'set'; on: number; key: number; value: number }
  | { kind: 'delete'; on: number; key: number }
  | { kind: 'fork'; on: number }
  | { kind: 'drop'; on: number }
  | { kind: 'read'; on: number; key: number };

const on = fc.nat(20);
const key = fc.integer({ min: 0, max: 12 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), on, key, value: fc.nat(99) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), on, key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fork' as const), on }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), on }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), on, key }) },
);

function entries(m: PMap<number, number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k <= 12; k++) {
    const v = m.get(k);
    expect(m.has(k)).toBe(v !== undefined);
    if (v !== undefined) out.push([k, v]);
  }
  return out;
}

describe('PMap', () => {
  it('every member of a family behaves as its own deep copy, in any interleaving', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const maps: Array<PMap<number, number>> = [new PMap([[0, 0]])];
        const models: Array<Map<number, number>> = [new Map([[0, 0]])];
        for (const o of ops) {
          const i = o.on % maps.length;
          const m = maps[i] as PMap<number, number>;
          const model = models[i] as Map<number, number>;
          switch (o.kind) {
            case 'set':
              m.set(o.key, o.value);
              model.set(o.key, o.value);
              break;
            case 'delete':
              m.delete(o.key);
              model.delete(o.key);
              break;
            case 'fork': {
              const era = m.era;
              maps.push(m.fork());
              models.push(new Map(model));
              expect(m.era).not.toBe(era);
              break;
            }
            case 'drop':
              // a member nobody uses any more (its versions stay in the family)
              if (maps.length > 1) {
                maps.splice(i, 1);
                models.splice(i, 1);
              }
              break;
            case 'read':
              expect(m.get(o.key)).toBe(model.get(o.key));
              break;
          }
          expect(m.size).toBe(model.size);
        }
        maps.forEach((m, i) => {
          const model = models[i] as Map<number, number>;
          expect(entries(m)).toEqual([...model].sort((a, b) => a[0] - b[0]));
          expect(m.size).toBe(model.size);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps its era while no other map can see its values, and changes it when one can', () => {
    const a = new PMap<string, number>();
    const era = a.era;
    a.set('x', 1);
    a.delete('x');
    expect(a.era).toBe(era);
    const b = a.fork();
    expect(a.era).not.toBe(era);
    expect(b.era).not.toBe(a.era);
    const eraA = a.era;
    a.set('y', 2);
    expect(a.era).toBe(eraA);
    // b runs (its version becomes the root), then a writes: a has to split off again
    expect(b.get('y')).toBeUndefined();
    const c = b.fork();
    expect(c.get('y')).toBeUndefined();
    a.set('z', 3);
    expect([a.get('y'), a.get('z'), b.get('z'), c.get('z')]).toEqual([2, 3, undefined, undefined]);
  });
});

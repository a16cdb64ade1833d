import { describe, expect, it } from 'vitest';
import { CheckpointCopies } from './checkpoint';

interface Rec {
  id: string;
  n: number;
}

describe('checkpoint copies', () => {
  it('copies a record again only when it was touched since the last checkpoint', () => {
    const copies = new CheckpointCopies<string, Rec, Rec>(
      (r) => r.id,
      (r) => ({ ...r }),
    );
    const a = { id: 'a', n: 1 };
    const b = { id: 'b', n: 1 };
    const first = copies.take([a, b]);
    expect(first).toEqual([a, b]);
    expect(first[0]).not.toBe(a);
    a.n = 2;
    copies.touch('a');
    const second = copies.take([a, b]);
    expect(second.map((r) => r.n)).toEqual([2, 1]);
    expect(second[0]).not.toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    // the earlier checkpoint's copy kept its value
    expect(first[0]!.n).toBe(1);
    // a record that is gone is dropped; a new one is copied
    const c = { id: 'c', n: 5 };
    expect(copies.take([b, c]).map((r) => r.id)).toEqual(['b', 'c']);
  });

  it('after a restore, shares the restored copies until they are touched', () => {
    const copies = new CheckpointCopies<string, Rec, Rec>(
      (r) => r.id,
      (r) => ({ ...r }),
    );
    const saved = copies.take([{ id: 'a', n: 1 }]);
    copies.touch('a');
    copies.reset(saved, (r) => r.id);
    const live = { ...saved[0]! };
    expect(copies.take([live])[0]).toBe(saved[0]);
  });
});

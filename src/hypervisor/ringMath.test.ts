import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLK_RING_SIZE, NET_RX_RING_SIZE, NET_TX_RING_SIZE } from './constants';
import { ringNeedsNotify, ringSize, ringSizeFor, ringSlotOf, u32, u32Add, u32Diff } from './ringMath';

const u32Arb = fc.integer({ min: 0, max: 0xffffffff });

describe('ring sizes (ring.h __CONST_RING_SIZE)', () => {
  it('a one-page blkif ring has 32 slots (36 fit, rounded down to a power of two)', () => {
    expect(ringSizeFor('blkif')).toBe(32);
    expect(ringSizeFor('blkif')).toBe(BLK_RING_SIZE);
  });

  it('a 32-bit blkif layout (108-byte entries) also gives 32 slots', () => {
    expect(ringSizeFor('blkif-x86_32')).toBe(32);
  });

  it('multi-page blkif rings hold 32 × 2^order slots', () => {
    expect([1, 2, 4, 8, 16].map((pages) => ringSizeFor('blkif', pages))).toEqual([32, 64, 128, 256, 512]);
  });

  it('netif tx (12-byte slots, 336 fit) and rx (8-byte slots, 504 fit) rings both have 256 slots', () => {
    expect(ringSizeFor('netif-tx')).toBe(NET_TX_RING_SIZE);
    expect(ringSizeFor('netif-rx')).toBe(NET_RX_RING_SIZE);
    expect(ringSize(12)).toBe(256);
  });
});

describe('free-running 32-bit indices', () => {
  it('wrap past 0xFFFFFFFF to 0', () => {
    expect(u32Add(0xffffffff, 1)).toBe(0);
    expect(u32(-1)).toBe(0xffffffff);
  });

  it('differences stay correct across the wrap', () => {
    expect(u32Diff(2, 0xfffffffe)).toBe(4);
    expect(ringSlotOf(32, 0xffffffff)).toBe(31);
    expect(ringSlotOf(32, u32Add(0xffffffff, 1))).toBe(0);
  });

  it('the difference of two indices is the number of steps from one to the other, modulo 2^32', () => {
    fc.assert(
      fc.property(u32Arb, fc.integer({ min: 0, max: 1 << 20 }), (a, n) => {
        expect(u32Diff(u32Add(a, n), a)).toBe(n);
      }),
    );
  });
});

describe('notify decision (RING_PUSH_*_AND_CHECK_NOTIFY)', () => {
  it('spec worked example: req_event 6, req_prod 5 → 8 notifies; 8 → 9 does not', () => {
    expect(ringNeedsNotify(5, 8, 6)).toBe(true);
    expect(ringNeedsNotify(8, 9, 6)).toBe(false);
  });

  it('notifies exactly when the event index lies in (old, new], at any position on the 2^32 circle', () => {
    fc.assert(
      fc.property(
        u32Arb,
        fc.integer({ min: 0, max: 512 }),
        fc.integer({ min: -600, max: 600 }),
        (old, n, off) => {
          const newProd = u32Add(old, n);
          const event = u32Add(old, off);
          const inWindow = off > 0 && off <= n;
          expect(ringNeedsNotify(old, newProd, event)).toBe(inWindow);
        },
      ),
    );
  });

  it('an empty push (old = new) never notifies', () => {
    fc.assert(
      fc.property(u32Arb, u32Arb, (p, e) => {
        expect(ringNeedsNotify(p, p, e)).toBe(false);
      }),
    );
  });
});

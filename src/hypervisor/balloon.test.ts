import { describe, expect, it } from 'vitest';
import {
  balloonProcess,
  balloonRead,
  balloonReleaseDriverPage,
  balloonSetTarget,
  balloonUpdateDriverAllowance,
  decreaseReservation,
  increaseReservation,
} from './balloon';
import { createDomain } from './domains';
import { createHypervisor } from './state';

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

function guest(memoryPages = 1000, maxPages?: number) {
  const hv = createHypervisor();
  must(createDomain(hv, { kind: 'PV', domid: 1, memoryPages, maxPages }));
  return { hv, d: hv.domains.get(1)! };
}

describe('reservation (XENMEM_*_reservation)', () => {
  it('decrease gives pages back to Xen; increase gets them back only up to max_pages', () => {
    const { hv, d } = guest(1000);
    expect(must(decreaseReservation(hv, 1, 10)).done).toBe(10);
    expect(d.memory.totPages).toBe(990);
    expect(must(increaseReservation(hv, 1, 25)).done).toBe(10);
    expect(d.memory.totPages).toBe(1000);
    expect(must(increaseReservation(hv, 1, 1)).effects).toEqual([]);
  });
});

describe('driver_pages', () => {
  it('balloon_update_driver_allowance moves driver_pages and reports old → new', () => {
    const { hv, d } = guest();
    const r = must(balloonUpdateDriverAllowance(hv, 1, 64));
    expect(r.effects).toEqual([
      { kind: 'balloon-counter', domid: 1, counter: 'driverPages', old: 0, new: 64 },
    ]);
    must(balloonUpdateDriverAllowance(hv, 1, -2));
    expect(d.balloon.driverPages).toBe(62);
  });

  it('balloon_release_driver_page moves one page from driver_pages into the balloon', () => {
    const { hv, d } = guest();
    must(balloonUpdateDriverAllowance(hv, 1, 5));
    must(balloonReleaseDriverPage(hv, 1));
    expect(d.balloon).toMatchObject({ driverPages: 4, balloonedPages: 1 });
  });

  it('/proc/xen/balloon shows "Driver pages" only with RFC point 1 applied', () => {
    const { hv, d } = guest(1000);
    must(balloonUpdateDriverAllowance(hv, 1, 64));
    expect(balloonRead(d, { driverPagesLine: true })).toEqual([
      'Current allocation:     4000 kB',
      'Requested target:       4000 kB',
      'Low-mem balloon:           0 kB',
      'High-mem balloon:          0 kB',
      'Driver pages:            256 kB',
      'Xen hard limit:          ??? kB',
    ]);
    expect(balloonRead(d, { driverPagesLine: false }).join('\n')).not.toContain('Driver pages');
  });
});

describe('balloon worker (balloon_process)', () => {
  it('inflates toward a lower target, giving pages to Xen', () => {
    const { hv, d } = guest(1000);
    must(balloonSetTarget(hv, 1, 900));
    const r = must(balloonProcess(hv, 1));
    expect(r).toMatchObject({ credit: -100, done: 100, again: false });
    expect(d.balloon).toMatchObject({ currentPages: 900, balloonedPages: 100 });
    expect(d.memory.totPages).toBe(900);
  });

  it('deflates only as far as pages sit in the balloon', () => {
    const { hv, d } = guest(1000, 2000);
    must(balloonSetTarget(hv, 1, 900));
    must(balloonProcess(hv, 1));
    must(balloonSetTarget(hv, 1, 1500));
    const r = must(balloonProcess(hv, 1));
    expect(r).toMatchObject({ credit: 100, done: 100 });
    expect(d.balloon).toMatchObject({ currentPages: 1000, balloonedPages: 0 });
  });

  it('pages released by a driver are not repopulated while the target equals current_pages (inference)', () => {
    const { hv, d } = guest(1000);
    must(decreaseReservation(hv, 1, 3)); // netfront gave 3 frames away…
    must(balloonUpdateDriverAllowance(hv, 1, 3));
    for (let i = 0; i < 3; i++) must(balloonReleaseDriverPage(hv, 1)); // …and they never came back
    expect(must(balloonProcess(hv, 1))).toMatchObject({ credit: 0, done: 0 });
    must(balloonSetTarget(hv, 1, 1003));
    expect(must(balloonProcess(hv, 1))).toMatchObject({ credit: 3, done: 3 });
    expect(d.memory.totPages).toBe(1000);
  });
});

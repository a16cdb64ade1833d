/**
 * Memory accounting: Xen's reservation (d->tot_pages against d->max_pages, XENMEM_increase/decrease_
 * reservation) and the 2006 guest balloon driver (linux-2.6-xen-sparse drivers/xen/balloon/balloon.c)
 * whose `driver_pages` counts pages drivers gave away and still owe, which is where the netfront rx
 * leak becomes visible. All counts are 4 KiB pages.
 */
import type { BalloonCounter, HvEffect, MemoryEffect } from './effects';
import { ok, type HvResult } from './errors';
import { requireDomain } from './state';
import type { Domain, Domid, HypervisorState } from './types';

function setCounter(d: Domain, counter: BalloonCounter, value: number): MemoryEffect[] {
  const old = d.balloon[counter];
  if (old === value) return [];
  d.balloon[counter] = value;
  return [{ kind: 'balloon-counter', domid: d.domid, counter, old, new: value }];
}

/** XENMEM_decrease_reservation: gives up to `nrPages` pages back to Xen; returns how many went. */
export function decreaseReservation(
  hv: HypervisorState,
  domid: Domid,
  nrPages: number,
): HvResult<{ done: number }> {
  const d = requireDomain(hv, domid);
  const done = Math.max(0, Math.min(nrPages, d.memory.totPages));
  if (done === 0) return ok({ done });
  const old = d.memory.totPages;
  d.memory.totPages -= done;
  return ok({ done }, [
    { kind: 'domain-pages', domid, old, new: d.memory.totPages, cause: 'decrease_reservation' },
  ]);
}

/** XENMEM_increase_reservation: asks for `nrPages`; Xen grants what fits under max_pages. */
export function increaseReservation(
  hv: HypervisorState,
  domid: Domid,
  nrPages: number,
): HvResult<{ done: number }> {
  const d = requireDomain(hv, domid);
  const done = Math.max(0, Math.min(nrPages, d.memory.maxPages - d.memory.totPages));
  if (done === 0) return ok({ done });
  const old = d.memory.totPages;
  d.memory.totPages += done;
  return ok({ done }, [
    { kind: 'domain-pages', domid, old, new: d.memory.totPages, cause: 'increase_reservation' },
  ]);
}

/** balloon.c balloon_update_driver_allowance(delta): driver_pages += delta. */
export function balloonUpdateDriverAllowance(hv: HypervisorState, domid: Domid, delta: number): HvResult {
  const d = requireDomain(hv, domid);
  return ok({}, setCounter(d, 'driverPages', d.balloon.driverPages + delta));
}

/**
 * balloon.c balloon_release_driver_page ([2006-merged]): a driver hands back a page whose frame never
 * returned; it joins the balloon (so the balloon may repopulate it later) and driver_pages drops.
 */
export function balloonReleaseDriverPage(hv: HypervisorState, domid: Domid): HvResult {
  const d = requireDomain(hv, domid);
  return ok({}, [
    ...setCounter(d, 'balloonedPages', d.balloon.balloonedPages + 1),
    ...setCounter(d, 'driverPages', d.balloon.driverPages - 1),
  ]);
}

/** The `memory/target` watch: a new target for the balloon worker. */
export function balloonSetTarget(hv: HypervisorState, domid: Domid, targetPages: number): HvResult {
  const d = requireDomain(hv, domid);
  return ok({}, setCounter(d, 'targetPages', Math.max(0, targetPages)));
}

/** balloon.c current_target(): the target, capped at what current + ballooned pages can reach. */
export function balloonCurrentTarget(d: Domain): number {
  const b = d.balloon;
  return Math.min(b.targetPages, b.currentPages + b.balloonedPages);
}

/**
 * balloon.c balloon_process, one pass: credit = current_target − current_pages; inflate (give pages
 * to Xen, into the balloon) or deflate (take pages out of the balloon, as far as Xen grants them).
 * `again` says whether the worker would re-arm its one-second timer. The Xen hard limit the real
 * driver learns from a short increase is not modelled.
 */
export function balloonProcess(
  hv: HypervisorState,
  domid: Domid,
): HvResult<{ credit: number; done: number; again: boolean }> {
  const d = requireDomain(hv, domid);
  const credit = balloonCurrentTarget(d) - d.balloon.currentPages;
  const effects: HvEffect[] = [];
  let done = 0;
  if (credit > 0) {
    const inc = increaseReservation(hv, domid, credit);
    done = inc.ok ? inc.done : 0;
    effects.push(...inc.effects);
    effects.push(...setCounter(d, 'balloonedPages', d.balloon.balloonedPages - done));
    effects.push(...setCounter(d, 'currentPages', d.balloon.currentPages + done));
  } else if (credit < 0) {
    const dec = decreaseReservation(hv, domid, -credit);
    done = dec.ok ? dec.done : 0;
    effects.push(...dec.effects);
    effects.push(...setCounter(d, 'balloonedPages', d.balloon.balloonedPages + done));
    effects.push(...setCounter(d, 'currentPages', d.balloon.currentPages - done));
  }
  return ok({ credit, done, again: balloonCurrentTarget(d) !== d.balloon.currentPages }, effects);
}

/**
 * The text of /proc/xen/balloon (balloon.c balloon_read). `driverPagesLine`: print "Driver pages"
 * unconditionally (RFC point 1, merged as xen@eafec813bf); before that it only appeared as headroom
 * beside a Xen hard limit, which the model never learns, so it is not shown at all.
 */
export function balloonRead(d: Domain, opts: { driverPagesLine: boolean }): string[] {
  const kb = (pages: number) => String(pages * 4).padStart(8, ' ');
  const lines = [
    `Current allocation: ${kb(d.balloon.currentPages)} kB`,
    `Requested target:   ${kb(d.balloon.targetPages)} kB`,
    `Low-mem balloon:    ${kb(d.balloon.balloonedPages)} kB`,
    `High-mem balloon:   ${kb(0)} kB`,
  ];
  if (opts.driverPagesLine) lines.push(`Driver pages:       ${kb(d.balloon.driverPages)} kB`);
  lines.push('Xen hard limit:          ??? kB');
  return lines;
}

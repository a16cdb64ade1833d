/**
 * xs_reboot_notify(): at reboot/halt/power-off every thread waiting for a reply is woken; it gives
 * up with -EIO only when xenbus_ok() says xenstore cannot answer any more.
 */
import { ERRNO } from './errors';
import { xsRequestExit } from './replies';
import { emptyStep, pumpBlocked } from './requests';
import { advanceSuspend } from './suspend';
import type { ClientStep, XenbusClientState } from './types';

export type XenStoreDomainType = 'local' | 'pv' | 'hvm' | 'unknown';
export type SystemState = 'running' | 'restart' | 'halt' | 'power-off';

/**
 * xenbus_xs.c xenbus_ok(): xenstored in this very kernel (XS_LOCAL, dom0) is gone once the system
 * is restarting, halting or powering off; a remote xenstored (XS_PV, XS_HVM) is assumed alive.
 */
export function isXenbusOk(storeDomainType: XenStoreDomainType, systemState: SystemState): boolean {
  if (storeDomainType === 'local') return systemState === 'running';
  return storeDomainType === 'pv' || storeDomainType === 'hvm';
}

/**
 * xenbus_xs.c xs_reboot_notify() and read_reply(): when xenbus is not ok, every request waiting for
 * a reply returns -EIO (its continuation gets an EIO result), leaves the region (xs_request_exit with
 * the request's own type: an aborted TRANSACTION_START keeps its transaction count, as in Linux) and
 * is marked aborted, so a late reply is discarded. When xenbus is ok the woken waiters simply wait
 * again and nothing changes. Requests not yet admitted stay blocked. Mutates `state`.
 */
export function xsRebootNotify<K>(state: XenbusClientState<K, unknown>, xenbusOk: boolean): ClientStep<K> {
  const step = emptyStep<K>();
  if (xenbusOk || state.inFlight.length === 0) return step;
  const waiting = state.inFlight;
  state.inFlight = [];
  step.effects.push({ kind: 'xs-aborted', reqIds: waiting.map((r) => r.reqId) });
  for (const req of waiting) {
    xsRequestExit(state, req, req.type, step);
    state.aborted.push(req.reqId);
    if (req.waiter.kind === 'caller') {
      step.wakeups.push({
        kind: 'reply',
        k: req.waiter.k,
        reqId: req.reqId,
        type: req.type,
        result: { ok: false, error: 'EIO', errno: ERRNO.EIO },
      });
    }
  }
  pumpBlocked(state, step);
  advanceSuspend(state, step);
  return step;
}

/**
 * Event channels as split drivers use them: HYPERVISOR_event_channel_op (xen/common/event_channel.c)
 * with the 2-level pending/mask bits of shared_info, and the Linux wrappers around them.
 *
 * Ports are allocated lowest-free first (get_free_port). Port 0 is always reserved; a domain can be
 * created with more low ports reserved to stand for VIRQ/IPI bindings the model does not show.
 */
import type { EvtchnEffect, TeardownCause } from './effects';
import { errno, HypervisorUsageError, ok, type HvResult } from './errors';
import { getDomain, requireDomain } from './state';
import type { Domain, Domid, EvtchnPort, HypervisorState } from './types';

function freePort(port: number): EvtchnPort {
  return { port, state: 'free', remoteDomid: null, remotePort: null, pending: false, masked: false };
}

function isValidPort(d: Domain, port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port < d.evtchn.maxPorts;
}

/** The port record (a free one beyond the allocated range). */
export function readPort(d: Domain, port: number): EvtchnPort {
  return d.evtchn.ports[port] ?? freePort(port);
}

function writePort(d: Domain, p: EvtchnPort): EvtchnPort {
  const ports = d.evtchn.ports;
  while (ports.length < p.port) ports.push(freePort(ports.length));
  ports[p.port] = p;
  return p;
}

function lowestFreePort(d: Domain): number | null {
  const ports = d.evtchn.ports;
  for (let i = 0; i < ports.length; i++) if (ports[i]!.state === 'free') return i;
  return ports.length < d.evtchn.maxPorts ? ports.length : null;
}

/** Sets a pending bit (evtchn_2l_set_pending): an upcall happens only if it was clear and unmasked. */
function setPending(d: Domain, port: number): EvtchnEffect[] {
  const p = readPort(d, port);
  if (p.pending) return [];
  writePort(d, { ...p, pending: true });
  return [{ kind: 'evtchn-pending', domid: d.domid, port, pending: true, upcall: !p.masked }];
}

/** EVTCHNOP_alloc_unbound (Linux xenbus_alloc_evtchn): a new port waiting for `remoteDomid` to bind. */
export function allocUnbound(
  hv: HypervisorState,
  domid: Domid,
  remoteDomid: Domid,
): HvResult<{ port: number }> {
  const d = requireDomain(hv, domid);
  const port = lowestFreePort(d);
  if (port === null) return errno('ENOSPC');
  writePort(d, { ...freePort(port), state: 'unbound', remoteDomid });
  return ok({ port }, [{ kind: 'evtchn-alloc-unbound', domid, port, remoteDomid }]);
}

/**
 * EVTCHNOP_bind_interdomain (Linux bind_interdomain_evtchn_to_irqhandler): connects a new local port
 * to (remoteDomid, remotePort). -ESRCH if that domain does not exist; -EINVAL unless the remote port is
 * unbound and expecting exactly this domain. Xen then marks the new local port pending, in case the
 * peer notified while it was still unbound.
 */
export function bindInterdomain(
  hv: HypervisorState,
  domid: Domid,
  remoteDomid: Domid,
  remotePort: number,
): HvResult<{ port: number }> {
  const ld = requireDomain(hv, domid);
  const rd = getDomain(hv, remoteDomid);
  if (!rd) return errno('ESRCH');
  const port = lowestFreePort(ld);
  if (port === null) return errno('ENOSPC');
  if (!isValidPort(rd, remotePort)) return errno('EINVAL');
  const rp = readPort(rd, remotePort);
  if (rp.state !== 'unbound' || rp.remoteDomid !== domid) return errno('EINVAL');
  writePort(ld, { ...freePort(port), state: 'interdomain', remoteDomid, remotePort });
  writePort(rd, { ...readPort(rd, remotePort), state: 'interdomain', remoteDomid: domid, remotePort: port });
  const effects: EvtchnEffect[] = [
    { kind: 'evtchn-bind-interdomain', domid, port, remoteDomid, remotePort },
    ...setPending(ld, port),
  ];
  return ok({ port }, effects);
}

/**
 * EVTCHNOP_send (Linux notify_remote_via_evtchn / notify_remote_via_irq): on an interdomain port set
 * the peer's pending bit; on an unbound port the event is silently dropped; anything else is -EINVAL.
 */
export function notifyRemoteViaEvtchn(hv: HypervisorState, domid: Domid, port: number): HvResult {
  const d = requireDomain(hv, domid);
  if (!isValidPort(d, port)) return errno('EINVAL');
  const p = readPort(d, port);
  if (p.state === 'unbound') {
    return ok({}, [
      { kind: 'evtchn-send', domid, port, outcome: 'dropped', remoteDomid: null, remotePort: null },
    ]);
  }
  if (p.state !== 'interdomain') return errno('EINVAL');
  const rd = getDomain(hv, p.remoteDomid!)!;
  const pending = setPending(rd, p.remotePort!);
  const outcome = pending.length > 0 ? ('delivered' as const) : ('coalesced' as const);
  const send: EvtchnEffect = {
    kind: 'evtchn-send',
    domid,
    port,
    outcome,
    remoteDomid: p.remoteDomid,
    remotePort: p.remotePort,
  };
  return ok({}, [send, ...pending]);
}

/** Linux clear_evtchn: the upcall handler clears the pending bit before running the driver's handler. */
export function clearEvtchn(hv: HypervisorState, domid: Domid, port: number): HvResult {
  const d = requireDomain(hv, domid);
  if (!isValidPort(d, port)) throw new HypervisorUsageError(`port ${port} out of range`);
  const p = readPort(d, port);
  if (!p.pending) return ok({});
  writePort(d, { ...p, pending: false });
  return ok({}, [{ kind: 'evtchn-pending', domid, port, pending: false, upcall: false }]);
}

/** Linux mask_evtchn: sets the mask bit; later sends only set pending, without an upcall. */
export function maskEvtchn(hv: HypervisorState, domid: Domid, port: number): HvResult {
  const d = requireDomain(hv, domid);
  if (!isValidPort(d, port)) throw new HypervisorUsageError(`port ${port} out of range`);
  const p = readPort(d, port);
  if (p.masked) return ok({});
  writePort(d, { ...p, masked: true });
  return ok({}, [{ kind: 'evtchn-mask', domid, port, masked: true, upcall: false }]);
}

/** EVTCHNOP_unmask (evtchn_2l_unmask): clears the mask; a port pending meanwhile raises its upcall now. */
export function unmaskEvtchn(hv: HypervisorState, domid: Domid, port: number): HvResult {
  const d = requireDomain(hv, domid);
  if (!isValidPort(d, port)) return errno('EINVAL');
  const p = readPort(d, port);
  if (!p.masked) return ok({});
  writePort(d, { ...p, masked: false });
  return ok({}, [{ kind: 'evtchn-mask', domid, port, masked: false, upcall: p.pending }]);
}

/** Frees one port; its interdomain peer (if still connected to it) reverts to unbound. */
export function closePort(
  hv: HypervisorState,
  d: Domain,
  port: number,
  cause: 'close' | TeardownCause,
): EvtchnEffect[] {
  const p = readPort(d, port);
  writePort(d, freePort(port));
  const effects: EvtchnEffect[] = [{ kind: 'evtchn-close', domid: d.domid, port, cause }];
  if (p.state !== 'interdomain') return effects;
  const rd = getDomain(hv, p.remoteDomid!);
  const rp = rd ? readPort(rd, p.remotePort!) : null;
  if (rd && rp && rp.state === 'interdomain' && rp.remoteDomid === d.domid && rp.remotePort === port) {
    writePort(rd, { ...rp, state: 'unbound', remoteDomid: d.domid, remotePort: null });
    effects.push({ kind: 'evtchn-peer-unbound', domid: rd.domid, port: rp.port, remoteDomid: d.domid });
  }
  return effects;
}

/**
 * EVTCHNOP_close (Linux unbind_from_irqhandler, xenbus_free_evtchn): the port becomes free and its
 * pending bit is cleared; an interdomain peer reverts to unbound, expecting the closer's domain.
 * -EINVAL for a port that is free or reserved.
 */
export function closeEvtchn(hv: HypervisorState, domid: Domid, port: number): HvResult {
  const d = requireDomain(hv, domid);
  if (!isValidPort(d, port)) return errno('EINVAL');
  const state = readPort(d, port).state;
  if (state === 'free' || state === 'reserved') return errno('EINVAL');
  return ok({}, closePort(hv, d, port, 'close'));
}

/** Closes every unbound and interdomain port of a domain (EVTCHNOP_reset; also domain destruction). */
export function closeAllPorts(hv: HypervisorState, d: Domain, cause: TeardownCause): EvtchnEffect[] {
  const effects: EvtchnEffect[] = [];
  for (const p of [...d.evtchn.ports]) {
    if (p.state === 'unbound' || p.state === 'interdomain') effects.push(...closePort(hv, d, p.port, cause));
  }
  return effects;
}

/** EVTCHNOP_reset: closes all of a domain's ports (toolstack soft reset). */
export function evtchnReset(hv: HypervisorState, domid: Domid): HvResult {
  const d = getDomain(hv, domid);
  if (!d) return errno('ESRCH');
  return ok({}, closeAllPorts(hv, d, 'evtchn-reset'));
}

/** EVTCHNOP_status: the port as Xen sees it (-EINVAL outside the ABI's range, -ESRCH bad domain). */
export function evtchnStatus(
  hv: HypervisorState,
  domid: Domid,
  port: number,
): HvResult<{ status: EvtchnPort }> {
  const d = getDomain(hv, domid);
  if (!d) return errno('ESRCH');
  if (!isValidPort(d, port)) return errno('EINVAL');
  return ok({ status: readPort(d, port) });
}

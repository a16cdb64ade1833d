import { describe, expect, it } from 'vitest';
import { checkInvariants } from './audit';
import { createDomain } from './domains';
import {
  allocUnbound,
  bindInterdomain,
  clearEvtchn,
  closeEvtchn,
  evtchnReset,
  evtchnStatus,
  maskEvtchn,
  notifyRemoteViaEvtchn,
  unmaskEvtchn,
} from './eventChannel';
import { createHypervisor } from './state';
import type { HypervisorState } from './types';

function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`unexpected failure ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

function world() {
  const hv = createHypervisor();
  must(createDomain(hv, { kind: 'PV', domid: 0 }));
  must(createDomain(hv, { kind: 'PV', domid: 1 }));
  must(createDomain(hv, { kind: 'PV', domid: 2 }));
  return hv;
}

const port = (hv: HypervisorState, domid: number, p: number) => must(evtchnStatus(hv, domid, p)).status;

/** Frontend in dom1 allocates, backend in dom0 binds: the connect sequence of a split driver. */
function connect(hv: HypervisorState) {
  const fe = must(allocUnbound(hv, 1, 0)).port;
  const be = must(bindInterdomain(hv, 0, 1, fe)).port;
  return { fe, be };
}

describe('allocation and binding', () => {
  it('alloc_unbound hands out the lowest free port (port 0 is reserved) expecting the given domain', () => {
    const hv = world();
    const r = must(allocUnbound(hv, 1, 0));
    expect(r.port).toBe(1);
    expect(port(hv, 1, 1)).toMatchObject({ state: 'unbound', remoteDomid: 0 });
    expect(must(allocUnbound(hv, 1, 0)).port).toBe(2);
  });

  it('ports below `reservedPorts` stand for bindings outside the model', () => {
    const hv = createHypervisor();
    must(createDomain(hv, { kind: 'PV', domid: 1, reservedPorts: 17 }));
    expect(must(allocUnbound(hv, 1, 0)).port).toBe(17);
  });

  it('bind_interdomain connects both ends and marks the new local port pending', () => {
    const hv = world();
    const fe = must(allocUnbound(hv, 1, 0)).port;
    const bind = must(bindInterdomain(hv, 0, 1, fe));
    expect(port(hv, 0, bind.port)).toMatchObject({ state: 'interdomain', remoteDomid: 1, remotePort: fe });
    expect(port(hv, 1, fe)).toMatchObject({ state: 'interdomain', remoteDomid: 0, remotePort: bind.port });
    expect(bind.effects).toMatchObject([
      { kind: 'evtchn-bind-interdomain', domid: 0, port: bind.port, remoteDomid: 1, remotePort: fe },
      { kind: 'evtchn-pending', domid: 0, port: bind.port, pending: true, upcall: true },
    ]);
  });

  it('binding fails with -EINVAL unless the remote port is unbound and expecting exactly the binder', () => {
    const hv = world();
    const forDom2 = must(allocUnbound(hv, 1, 2)).port;
    expect(bindInterdomain(hv, 0, 1, forDom2)).toMatchObject({ ok: false, rc: -22, error: 'EINVAL' });
    expect(bindInterdomain(hv, 0, 1, 30)).toMatchObject({ error: 'EINVAL' }); // free port
    expect(bindInterdomain(hv, 0, 1, 99999)).toMatchObject({ error: 'EINVAL' }); // beyond the ABI
    const { fe } = connect(hv);
    expect(bindInterdomain(hv, 0, 1, fe)).toMatchObject({ error: 'EINVAL' }); // already bound
  });

  it('binding to a domain that does not exist is -ESRCH', () => {
    const hv = world();
    expect(bindInterdomain(hv, 0, 7, 1)).toMatchObject({ ok: false, rc: -3, error: 'ESRCH' });
  });

  it('failed binds allocate nothing', () => {
    const hv = world();
    expect(bindInterdomain(hv, 0, 1, 5).effects).toEqual([]);
    expect(must(allocUnbound(hv, 0, 1)).port).toBe(1);
  });
});

describe('notification', () => {
  it('a send on an interdomain port sets the peer pending and raises its upcall', () => {
    const hv = world();
    const { fe, be } = connect(hv);
    must(clearEvtchn(hv, 0, be)); // the backend's upcall handler consumed the bind-time event
    const send = must(notifyRemoteViaEvtchn(hv, 1, fe));
    expect(send.effects).toMatchObject([
      { kind: 'evtchn-send', domid: 1, port: fe, outcome: 'delivered', remoteDomid: 0, remotePort: be },
      { kind: 'evtchn-pending', domid: 0, port: be, pending: true, upcall: true },
    ]);
  });

  it('a second send before the peer clears the bit coalesces with the first', () => {
    const hv = world();
    const { fe, be } = connect(hv);
    must(clearEvtchn(hv, 0, be)); // the bind left it pending
    must(notifyRemoteViaEvtchn(hv, 1, fe));
    const again = must(notifyRemoteViaEvtchn(hv, 1, fe));
    expect(again.effects).toMatchObject([{ kind: 'evtchn-send', outcome: 'coalesced' }]);
    must(clearEvtchn(hv, 0, be));
    expect(must(notifyRemoteViaEvtchn(hv, 1, fe)).effects[0]).toMatchObject({ outcome: 'delivered' });
  });

  it('a send on an unbound port is silently dropped', () => {
    const hv = world();
    const fe = must(allocUnbound(hv, 1, 0)).port;
    const r = must(notifyRemoteViaEvtchn(hv, 1, fe));
    expect(r.effects).toMatchObject([{ kind: 'evtchn-send', outcome: 'dropped', remoteDomid: null }]);
  });

  it('a send on a free port is -EINVAL', () => {
    const hv = world();
    expect(notifyRemoteViaEvtchn(hv, 1, 9)).toMatchObject({ ok: false, error: 'EINVAL' });
  });

  it('a masked port records the event without an upcall; unmasking delivers it', () => {
    const hv = world();
    const { fe, be } = connect(hv);
    must(clearEvtchn(hv, 0, be));
    must(maskEvtchn(hv, 0, be));
    const send = must(notifyRemoteViaEvtchn(hv, 1, fe));
    expect(send.effects[1]).toMatchObject({ kind: 'evtchn-pending', pending: true, upcall: false });
    const unmask = must(unmaskEvtchn(hv, 0, be));
    expect(unmask.effects).toMatchObject([{ kind: 'evtchn-mask', masked: false, upcall: true }]);
  });
});

describe('closing', () => {
  it('closing one end frees it and reverts the peer to unbound, expecting the closer', () => {
    const hv = world();
    const { fe, be } = connect(hv);
    const r = must(closeEvtchn(hv, 0, be));
    expect(r.effects).toMatchObject([
      { kind: 'evtchn-close', domid: 0, port: be, cause: 'close' },
      { kind: 'evtchn-peer-unbound', domid: 1, port: fe, remoteDomid: 0 },
    ]);
    expect(port(hv, 0, be)).toMatchObject({ state: 'free', pending: false });
    expect(port(hv, 1, fe)).toMatchObject({ state: 'unbound', remoteDomid: 0, remotePort: null });
    // The backend can bind again to the same frontend port (reconnect).
    expect(must(bindInterdomain(hv, 0, 1, fe)).port).toBe(be);
    expect(checkInvariants(hv)).toEqual([]);
  });

  it('a backend binding to a port the frontend has closed gets -EINVAL', () => {
    const hv = world();
    const fe = must(allocUnbound(hv, 1, 0)).port;
    must(closeEvtchn(hv, 1, fe));
    expect(bindInterdomain(hv, 0, 1, fe)).toMatchObject({ error: 'EINVAL' });
  });

  it('closing a free or reserved port is -EINVAL', () => {
    const hv = world();
    expect(closeEvtchn(hv, 1, 0)).toMatchObject({ error: 'EINVAL' });
    expect(closeEvtchn(hv, 1, 5)).toMatchObject({ error: 'EINVAL' });
  });

  it('EVTCHNOP_reset closes every port of the domain', () => {
    const hv = world();
    const { fe } = connect(hv);
    must(allocUnbound(hv, 0, 2));
    const r = must(evtchnReset(hv, 0));
    expect(r.effects.filter((e) => e.kind === 'evtchn-close')).toHaveLength(2);
    expect(port(hv, 1, fe).state).toBe('unbound');
  });
});

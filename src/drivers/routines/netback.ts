/** netback's effects as routines (drivers/net/xen-netback/xenbus.c; [2006] netback/xenbus.c). */
import type { DriverEvent, KernelEnv } from '../../guest/kernel/env';
import { at, unwatch, watch, xs, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import { xenbusRead, xenbusWrite } from '../../guest/kernel/xenbusCore';
import { XsType } from '../../xenstore';
import { toNumber, writeTransaction, requireDevice } from './common';
import { bindEvtchn, mapRing, unmapRing } from './ring';

const FILE = 'drivers/net/xen-netback/xenbus.c';

/** netback_probe(): the feature transaction (EAGAIN retried), then [modern] plain limit writes. */
export function* writeNetbackFeatures(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('netback_probe', FILE);
  const dev = yield* requireDevice(key);
  const modern = env.profile.label === '[modern]';
  const features: Array<[string, string]> = modern
    ? [
        ['feature-sg', '1'],
        ['feature-gso-tcpv4', '1'],
        ['feature-gso-tcpv6', '1'],
        ['feature-ipv6-csum-offload', '1'],
        ['feature-rx-copy', '1'],
        ['feature-xdp-headroom', '1'],
        ['feature-rx-flip', '0'],
        ['feature-multicast-control', '1'],
        ['feature-dynamic-multicast-control', '1'],
      ]
    : [
        ['feature-sg', '1'],
        ['feature-gso-tcpv4', '1'],
        // feature-rx-copy arrived 2006-08-16, after the RFC
        ...(env.profile.id === 'kexec-merged-2006' ? [['feature-rx-copy', '1'] as [string, string]] : []),
      ];
  yield* writeTransaction(dev.nodename, features);
  if (modern) {
    yield* xenbusWrite(`${dev.nodename}/feature-split-event-channels`, '1');
    yield* xenbusWrite(`${dev.nodename}/multi-queue-max-queues`, '4');
    yield* xenbusWrite(`${dev.nodename}/feature-ctrl-ring`, '1');
  }
  return [];
}

/** backend_create_xenvif() / [2006] the `handle` watch: read handle, create vif<dom>.<handle>. */
export function* createVif(_env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('backend_create_xenvif', FILE);
  const dev = yield* requireDevice(key);
  const handle = toNumber(yield* xenbusRead(`${dev.nodename}/handle`), 0);
  yield* sys('devSetPriv', key, { vif: `vif${dev.otherendId}.${handle}` });
  yield* sys('log', `vif${dev.otherendId}.${handle}: interface created`);
  return [];
}

/** "prepare for reconnect" in the 2006 trees: netif_disconnect, drop the interface. */
export function* destroyVif(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* backendDisconnect(env, key);
  const dev = yield* requireDevice(key);
  yield* sys('log', `${String(dev.priv['vif'] ?? 'vif')}: interface removed`);
  yield* sys('devSetPriv', key, { vif: null });
  return [];
}

/**
 * connect() / [2006] connect_rings(): read the frontend's rings, port and rx mode ([modern]:
 * request-rx-copy must be 1), map both rings, bind the port.
 */
export function* netbackConnect(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('connect', FILE);
  const dev = yield* requireDevice(key);
  const fe = dev.otherend;
  const modern = env.profile.label === '[modern]';
  if (modern) yield* xenbusRead(`${fe}/multi-queue-num-queues`);
  const tx = yield* xenbusRead(`${fe}/tx-ring-ref`);
  const rx = yield* xenbusRead(`${fe}/rx-ring-ref`);
  const evtchn = yield* xenbusRead(`${fe}/event-channel`);
  if (tx === null || rx === null || evtchn === null)
    return [{ type: 'CONNECT_FAILED', errno: 2, message: `reading ${fe}/ring-ref and event-channel` }];
  const copy = toNumber(yield* xenbusRead(`${fe}/request-rx-copy`), 0);
  if (modern && copy !== 1)
    return [{ type: 'CONNECT_FAILED', errno: 95, message: `${fe} request-rx-copy must be 1` }];
  yield* xenbusRead(`${fe}/feature-rx-notify`);
  const handles: number[] = [];
  let rxRing: string | null = null;
  for (const ref of [tx, rx]) {
    const m = yield* mapRing(dev.otherendId, [toNumber(ref, 0)]);
    if ('failedRef' in m) {
      yield* unmapRing(env, key, null, handles);
      return [
        {
          type: 'CONNECT_FAILED',
          errno: 2,
          message: `mapping shared-frames ${tx}/${rx} port ${evtchn}`,
        },
      ];
    }
    handles.push(...m.handles);
    if (ref === rx) rxRing = m.ringId;
  }
  const port = yield* bindEvtchn(dev.otherendId, toNumber(evtchn, 0));
  yield* sys('devSetPriv', key, { handles, port, rxRing, rxMode: copy === 1 ? 'copy' : 'flip' });
  yield* sys('log', `${String(dev.priv['vif'] ?? 'vif')}: carrier on`);
  return [{ type: 'CONNECT_DONE' }];
}

/** backend_disconnect(): unmap the rings, unbind the port. */
export function* backendDisconnect(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('backend_disconnect', FILE);
  const dev = yield* requireDevice(key);
  const port = (dev.priv['port'] as number | null | undefined) ?? null;
  const handles = (dev.priv['handles'] as number[] | undefined) ?? [];
  if (port === null && handles.length === 0) return [];
  yield* unmapRing(env, key, port, handles);
  yield* sys('devSetPriv', key, { port: null, handles: [], rxRing: null });
  return [];
}

/** connect() tail: xenbus_watch_pathfmt(<BE>/hotplug-status, hotplug_status_changed). */
export function* watchHotplugStatus(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  const dev = yield* requireDevice(key);
  const token = `${env.actor}:hotplug_status_watch:${dev.relname}`;
  yield* sys('devSetPriv', key, { hotplugWatch: token });
  yield* watch(`${dev.nodename}/hotplug-status`, token, {
    routine: 'netback.hotplugStatusChanged',
    arg: key,
  });
  return [];
}

/** hotplug_status_changed(): the watch callback. */
export function* hotplugStatusChanged(env: KernelEnv, key: string, _path: string): Routine {
  yield* at('hotplug_status_changed', FILE);
  const dev = yield* sys('devGet', key);
  if (dev === null) return;
  const value = (yield* xenbusRead(`${dev.nodename}/hotplug-status`)) ?? '';
  yield* env.dispatch(env, key, { type: 'HOTPLUG_STATUS', value });
}

/** unregister_hotplug_status_watch(). */
export function* unwatchHotplugStatus(_env: KernelEnv, key: string): Routine<DriverEvent[]> {
  const dev = yield* requireDevice(key);
  const token = dev.priv['hotplugWatch'];
  if (typeof token !== 'string') return [];
  yield* sys('devSetPriv', key, { hotplugWatch: null });
  yield* unwatch(token);
  return [];
}

/** netback_remove(): unwatch hotplug-status, rm hotplug-status, OFFLINE uevent, free the vif. */
export function* netbackRemove(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('netback_remove', FILE);
  yield* unwatchHotplugStatus(env, key);
  const dev = yield* requireDevice(key);
  if (env.profile.label === '[modern]') yield* xs(XsType.RM, [`${dev.nodename}/hotplug-status`]);
  yield* backendDisconnect(env, key);
  yield* sys('log', `${String(dev.priv['vif'] ?? 'vif')}: offline uevent`);
  return [];
}

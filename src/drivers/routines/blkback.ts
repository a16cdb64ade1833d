/**
 * blkback's effects as routines (drivers/block/xen-blkback/xenbus.c, seed 002; [2006] blkback/xenbus.c).
 * Each returns the events that answer it.
 */
import type { DriverEvent, KernelEnv } from '../../guest/kernel/env';
import { at, unwatch, watch, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import { xenbusDevFatal, xenbusRead, xenbusWrite } from '../../guest/kernel/xenbusCore';
import type { DriverEffect } from '../effects';
import { EINVAL } from '../effects';
import { numberOption, toNumber, writeTransaction, requireDevice } from './common';
import { bindEvtchn, mapRing, unmapRing } from './ring';

const FILE = 'drivers/block/xen-blkback/xenbus.c';
type Effect<K extends DriverEffect['kind']> = Extract<DriverEffect, { kind: K }>;

/** The disk behind every vbd: 10 GiB, 512-byte sectors. */
const SECTORS = 20971520;

/**
 * xen_blkbk_probe() after the driver's allocation: [modern] publish limits, watch physical-device
 * (its first event fires at once), [modern] publish max-ring-page-order.
 */
export function* watchPhysicalDevice(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('xen_blkbk_probe', FILE);
  const dev = yield* requireDevice(key);
  const modern = env.profile.label === '[modern]';
  if (modern) {
    yield* xenbusWrite(`${dev.nodename}/feature-max-indirect-segments`, '256');
    yield* xenbusWrite(`${dev.nodename}/multi-queue-max-queues`, '4');
  }
  const token = `${env.actor}:backend_watch:${dev.relname}`;
  yield* watch(`${dev.nodename}/physical-device`, token, { routine: 'blkback.backendChanged', arg: key });
  yield* sys('devSetPriv', key, { physdevWatch: token });
  if (modern && env.options['oldBackend'] !== true)
    yield* xenbusWrite(
      `${dev.nodename}/max-ring-page-order`,
      String(numberOption(env.options, 'backendMaxOrder', 4)),
    );
  return [];
}

/** backend_changed(): the physical-device watch; "%x:%x", absent on the registration event. */
export function* backendChanged(env: KernelEnv, key: string, _path: string): Routine {
  yield* at('backend_changed', FILE);
  if ((yield* sys('devGet', key)) === null) return;
  const dev = yield* requireDevice(key);
  const raw = yield* xenbusRead(`${dev.nodename}/physical-device`);
  const m = raw === null ? null : /^([0-9a-fA-F]+):([0-9a-fA-F]+)/.exec(raw);
  if (raw === null || m === null || m[1] === undefined || m[2] === undefined) {
    yield* env.dispatch(env, key, { type: 'PHYSICAL_DEVICE_ABSENT' });
    return;
  }
  yield* env.dispatch(env, key, {
    type: 'PHYSICAL_DEVICE',
    major: Number.parseInt(m[1], 16),
    minor: Number.parseInt(m[2], 16),
  });
}

/** backend_changed() → xen_vbd_create(): read mode and the frontend's device-type, open the bdev. */
export function* createVbd(env: KernelEnv, key: string, e: Effect<'createVbd'>): Routine<DriverEvent[]> {
  yield* at('xen_vbd_create', FILE);
  const dev = yield* requireDevice(key);
  yield* xenbusRead(`${dev.nodename}/mode`);
  yield* xenbusRead(`${dev.otherend}/device-type`);
  yield* sys(
    'log',
    `vbd ${dev.devid}: opened physical device ${e.major.toString(16)}:${e.minor.toString(16)}`,
  );
  void env;
  return [{ type: 'VBD_CREATED' }];
}

/** xen_blkif_disconnect(): stop the I/O thread, unbind the port, unmap the ring. */
export function* blkifDisconnect(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('xen_blkif_disconnect', FILE);
  const dev = yield* requireDevice(key);
  const port = (dev.priv['port'] as number | undefined) ?? null;
  const handles = (dev.priv['handles'] as number[] | undefined) ?? [];
  if (port === null && handles.length === 0) return [];
  const inflight = Number(dev.priv['inflight'] ?? 0);
  if (inflight > 0) {
    // requests still in flight: -EBUSY, the ring stays mapped until they complete (xen_blkif_put)
    yield* sys('log', `blkback.${dev.otherendId}.xvda: ${inflight} in flight, ring kept mapped (-EBUSY)`);
    return [];
  }
  yield* unmapRing(env, key, port, handles);
  yield* sys('devSetPriv', key, { port: null, handles: [] });
  return [];
}

/**
 * connect_ring(): protocol, feature-persistent, ring-page-order (> max: fatal EINVAL), the ring refs
 * and the event channel; xen_blkif_map() maps the pages and binds the port.
 */
export function* connectRing(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('connect_ring', FILE);
  const dev = yield* requireDevice(key);
  const fe = dev.otherend;
  const modern = env.profile.label === '[modern]';
  if (modern) {
    yield* xenbusRead(`${fe}/protocol`);
    yield* xenbusRead(`${fe}/feature-persistent`);
  }
  const order = modern ? toNumber(yield* xenbusRead(`${fe}/ring-page-order`), 0) : 0;
  const max = numberOption(env.options, 'backendMaxOrder', 4);
  if (order > max) {
    return [
      { type: 'RING_FAILED', errno: EINVAL, message: `requested ring page order ${order} exceed max:${max}` },
    ];
  }
  const refs: number[] = [];
  if (order === 0) {
    const ref = yield* xenbusRead(`${fe}/ring-ref`);
    if (ref === null) return [{ type: 'RING_FAILED', errno: 2, message: `reading ${fe}/ring-ref` }];
    refs.push(toNumber(ref, 0));
  } else {
    for (let i = 0; i < 1 << order; i++) {
      const ref = yield* xenbusRead(`${fe}/ring-ref${i}`);
      if (ref === null) return [{ type: 'RING_FAILED', errno: 2, message: `reading ${fe}/ring-ref${i}` }];
      refs.push(toNumber(ref, 0));
    }
  }
  const evtchn = yield* xenbusRead(`${fe}/event-channel`);
  if (evtchn === null) return [{ type: 'RING_FAILED', errno: 2, message: `reading ${fe}/event-channel` }];
  yield* at('xen_blkif_map', FILE);
  const mapped = yield* mapRing(dev.otherendId, refs);
  if ('failedRef' in mapped) {
    return [
      {
        type: 'RING_FAILED',
        errno: 2,
        message: `mapping in shared page ${mapped.failedRef} from domain ${dev.otherendId}`,
      },
    ];
  }
  const port = yield* bindEvtchn(dev.otherendId, toNumber(evtchn, 0));
  if (port === null) {
    yield* unmapRing(env, key, null, mapped.handles);
    return [{ type: 'RING_FAILED', errno: 22, message: `binding port ${evtchn}` }];
  }
  yield* sys('devSetPriv', key, { handles: mapped.handles, port, pages: refs.length });
  return [{ type: 'RING_CONNECTED' }];
}

/** connect(): one transaction with the capabilities and geometry, redone on EAGAIN. */
export function* connect(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('connect', FILE);
  const dev = yield* requireDevice(key);
  const modern = env.profile.label === '[modern]';
  const nodes: Array<[string, string]> = modern
    ? [
        ['feature-flush-cache', '1'],
        ['feature-discard', '1'],
        ['discard-granularity', '512'],
        ['discard-alignment', '0'],
        ['feature-barrier', '1'],
        ['feature-persistent', '1'],
        ['sectors', String(SECTORS)],
        ['info', '0'],
        ['sector-size', '512'],
        ['physical-sector-size', '512'],
      ]
    : [
        ['sectors', String(SECTORS)],
        ['info', '0'],
        ['sector-size', '512'],
      ];
  const r = yield* writeTransaction(dev.nodename, nodes);
  if (r !== 'ok') return [{ type: 'CONNECT_FAILED', errno: 5, message: `ending transaction (${r})` }];
  return [{ type: 'CONNECTED_TX_DONE' }];
}

/** xen_blkif_schedule kthread: the I/O thread of a connected vbd. */
export function* startIoThread(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  const dev = yield* requireDevice(key);
  yield* sys('log', `blkback.${dev.otherendId}.xvda: I/O thread started`);
  // fault (S11): the backend fails right after Connected, e.g. the I/O thread hits a fatal error
  if (env.options['blkbackFatalAfterConnect'] === true)
    yield* xenbusDevFatal(env, key, 5, 'fatal error right after connect');
  return [];
}

/** xenbus_dev_is_online(). */
export function* readOnline(_env: KernelEnv, key: string): Routine<DriverEvent[]> {
  const dev = yield* requireDevice(key);
  const v = yield* xenbusRead(`${dev.nodename}/online`);
  return [{ type: 'ONLINE', value: toNumber(v, 0) === 1 }];
}

/** xen_blkbk_remove(): unwatch physical-device, disconnect, free. */
export function* blkbackRemove(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('xen_blkbk_remove', FILE);
  const dev = yield* requireDevice(key);
  const token = dev.priv['physdevWatch'];
  if (typeof token === 'string') yield* unwatch(token);
  yield* blkifDisconnect(env, key);
  return [];
}

/**
 * Requests taken off the ring and not yet answered (blkif->inflight), as the I/O thread would leave
 * them: the fault "in-flight I/O at detach". Count 0 lets them complete.
 */
export function* setInflight(env: KernelEnv, domid: number, count: number): Routine {
  yield* at('xen_blkif_schedule', 'drivers/block/xen-blkback/blkback.c');
  const dev = (yield* sys('devList')).find(
    (d) => d.type === 'vbd' && d.side === 'backend' && d.otherendId === domid,
  );
  if (!dev) {
    yield* sys('log', `blkback: no vbd for domain ${domid}`);
    return;
  }
  yield* sys('log', `blkback.${domid}.xvda: ${count} request${count === 1 ? '' : 's'} in flight`);
  yield* sys('devSetPriv', dev.key, { inflight: count });
  yield* env.dispatch(env, dev.key, { type: 'IO_INFLIGHT', count });
}

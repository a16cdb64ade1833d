/** blkfront's effects as routines (drivers/block/xen-blkfront.c; [2006] blkfront/blkfront.c). */
import type { DriverEvent, KernelEnv } from '../../guest/kernel/env';
import { at, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import { xenbusRead, xenbusSwitchState } from '../../guest/kernel/xenbusCore';
import type { FrontRingInfo } from './ring';
import { allocEvtchn, freeFrontRing, setupRing } from './ring';
import { numberOption, toNumber, writeTransaction, requireDevice } from './common';

const FILE = 'drivers/block/xen-blkfront.c';

/**
 * talk_to_blkback() / [2006] talk_to_backend(): read the backend's limits ([modern]), set up the ring
 * (2^order pages), allocate the event channel, publish them in one transaction (EAGAIN retried).
 * Faults: `badRingRef` publishes a ref that was never granted; `frontendIgnoresMax` asks for
 * `frontendMaxOrder` whatever the backend allows.
 */
export function* talkToBlkback(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('talk_to_blkback', FILE);
  const dev = yield* requireDevice(key);
  const modern = env.profile.label === '[modern]';
  let order = 0;
  if (modern) {
    const beMax = toNumber(yield* xenbusRead(`${dev.otherend}/max-ring-page-order`), 0);
    yield* xenbusRead(`${dev.otherend}/multi-queue-max-queues`);
    const feMax = numberOption(env.options, 'frontendMaxOrder', 0);
    order = env.options['frontendIgnoresMax'] === true ? feMax : Math.min(feMax, beMax);
  }
  const old = dev.priv['ring'] as FrontRingInfo | undefined;
  if (old) yield* freeFrontRing(old, modern ? 'defer' : 'leak');
  const ring = yield* setupRing(dev.otherendId, 'blkif', 1 << order, `blkif ring of ${dev.relname}`);
  if (ring === null) return [{ type: 'TALK_FAILED', errno: 28, message: 'granting ring' }];
  const port = yield* allocEvtchn(dev.otherendId);
  if (port === null) return [{ type: 'TALK_FAILED', errno: 28, message: 'allocating event channel' }];
  yield* sys('devSetPriv', key, { ring, port });
  const published = env.options['badRingRef'] === true ? ring.refs.map((r) => r + 1) : ring.refs;
  const nodes: Array<[string, string]> = [];
  if (order === 0) nodes.push(['ring-ref', String(published[0])]);
  else {
    nodes.push(['ring-page-order', String(order)]);
    published.forEach((r, i) => nodes.push([`ring-ref${i}`, String(r)]));
  }
  nodes.push(['event-channel', String(port)]);
  if (modern) nodes.push(['protocol', 'x86_64-abi'], ['feature-persistent', '1']);
  const r = yield* writeTransaction(dev.nodename, nodes);
  if (r !== 'ok') return [{ type: 'TALK_FAILED', errno: 5, message: `completing transaction (${r})` }];
  return [{ type: 'TALK_DONE' }];
}

/** blkfront_connect(): read the geometry and features; create the gendisk (or re-read sectors). */
export function* blkfrontConnect(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('blkfront_connect', FILE);
  const dev = yield* requireDevice(key);
  const sectors = yield* xenbusRead(`${dev.otherend}/sectors`);
  const info = yield* xenbusRead(`${dev.otherend}/info`);
  const sectorSize = yield* xenbusRead(`${dev.otherend}/sector-size`);
  if (sectors === null || info === null || sectorSize === null)
    return [{ type: 'CONNECT_FAILED', errno: 2, message: `reading backend fields at ${dev.otherend}` }];
  if (env.profile.label === '[modern]') {
    for (const f of [
      'physical-sector-size',
      'feature-barrier',
      'feature-flush-cache',
      'feature-discard',
      'feature-persistent',
      'feature-max-indirect-segments',
    ])
      yield* xenbusRead(`${dev.otherend}/${f}`);
  }
  yield* sys('devSetPriv', key, { sectors: toNumber(sectors, 0) });
  return [{ type: 'DISK_READY' }];
}

export function* addDisk(_env: KernelEnv, key: string): Routine<DriverEvent[]> {
  const dev = yield* requireDevice(key);
  yield* sys('log', `xvda: ${String(dev.priv['sectors'] ?? 0)} sectors, disk added`);
  return [];
}

/** blkfront_closing(): stop the queues, mark the disk dead (the ring is freed by remove or resume). */
export function* blkfrontClosing(_env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('blkfront_closing', FILE);
  yield* sys('log', `${(yield* requireDevice(key)).relname}: closing, disk removed`);
  return [];
}

/** blkfront_remove(): blkif_free, delete the gendisk. */
export function* blkfrontRemove(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('blkfront_remove', FILE);
  yield* freeRing(env, key);
  return [];
}

/** blkfront_resume() first half: blkif_free(info, suspend) — the old ring goes (deferred while mapped). */
export function* blkfrontResume(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('blkfront_resume', FILE);
  yield* freeRing(env, key);
  return [];
}

/** blkif_recover(): switch Connected and requeue what was in flight, on the ring set up by resume. */
export function* blkifRecover(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('blkif_recover', FILE);
  yield* xenbusSwitchState(env, key, 'Connected');
  const dev = yield* requireDevice(key);
  const ring = dev.priv['ring'] as FrontRingInfo | null | undefined;
  yield* sys(
    'log',
    `${dev.relname}: recovered, requests requeued on ring-ref ${String(ring?.refs[0] ?? '?')}`,
  );
  return [];
}

function* freeRing(env: KernelEnv, key: string): Routine {
  const dev = yield* requireDevice(key);
  const ring = dev.priv['ring'] as FrontRingInfo | undefined;
  const port = dev.priv['port'] as number | undefined;
  if (port !== undefined && port !== null) yield* sys('hv', 'closeEvtchn', { port });
  if (ring) yield* freeFrontRing(ring, env.profile.label === '[modern]' ? 'defer' : 'leak');
  yield* sys('devSetPriv', key, { ring: null, port: null });
}

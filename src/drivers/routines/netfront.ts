/** netfront's effects as routines (drivers/net/xen-netfront.c; [2006] netfront/netfront.c). */
import type { DriverEvent, KernelEnv } from '../../guest/kernel/env';
import { at, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import { xenbusRead } from '../../guest/kernel/xenbusCore';
import type { DriverEffect } from '../effects';
import { ENODEV } from '../effects';
import { numberOption, toNumber, writeTransaction, requireDevice } from './common';
import { allocEvtchn, endRingAccess, freeFrontRing, setupRing, type FrontRingInfo } from './ring';

const FILE = 'drivers/net/xen-netfront.c';
type Effect<K extends DriverEffect['kind']> = Extract<DriverEffect, { kind: K }>;

/** NET_RX_RING_SIZE for 4 KiB pages; [2006] rx_target starts at RX_DFL_MIN_TARGET = 64. */
export const NET_RX_RING_SIZE = 256;
export const RX_DFL_MIN_TARGET = 64;

/**
 * xennet_connect() / [2006] network_connect(): [modern] the backend must offer feature-rx-copy;
 * talk_to_netback sets up the tx and rx rings and one event channel and publishes them in a
 * transaction (EAGAIN retried); then the rx buffers are posted (flip: granted for transfer and the
 * frames given back to Xen, driver_pages += n).
 */
export function* xennetConnect(
  env: KernelEnv,
  key: string,
  e: Effect<'xennetConnect'>,
): Routine<DriverEvent[]> {
  yield* at('xennet_connect', FILE);
  const dev = yield* requireDevice(key);
  const modern = env.profile.label === '[modern]';
  if (modern && toNumber(yield* xenbusRead(`${dev.otherend}/feature-rx-copy`), 0) !== 1)
    return [
      { type: 'CONNECT_FAILED', errno: ENODEV, message: 'backend does not support copying receive path' },
    ];
  yield* at('talk_to_netback', FILE);
  if (modern) {
    yield* xenbusRead(`${dev.otherend}/multi-queue-max-queues`);
    yield* xenbusRead(`${dev.otherend}/feature-split-event-channels`);
  }
  yield* xenbusRead(`${dev.nodename}/mac`);
  const tx = yield* setupRing(dev.otherendId, 'netif-tx', 1, `netif tx ring of ${dev.relname}`);
  const rx = yield* setupRing(dev.otherendId, 'netif-rx', 1, `netif rx ring of ${dev.relname}`);
  const port = yield* allocEvtchn(dev.otherendId);
  if (tx === null || rx === null || port === null)
    return [{ type: 'CONNECT_FAILED', errno: 28, message: 'setting up rings' }];
  yield* sys('devSetPriv', key, { tx, rx, port });
  const nodes: Array<[string, string]> = [
    ['tx-ring-ref', String(tx.refs[0])],
    ['rx-ring-ref', String(rx.refs[0])],
    ['event-channel', String(port)],
    ['request-rx-copy', e.rxMode === 'copy' ? '1' : '0'],
    ['feature-rx-notify', '1'],
    ['feature-sg', '1'],
    ['feature-gso-tcpv4', '1'],
  ];
  if (modern) nodes.push(['feature-gso-tcpv6', '1'], ['feature-ipv6-csum-offload', '1']);
  const r = yield* writeTransaction(dev.nodename, nodes);
  if (r !== 'ok') return [{ type: 'CONNECT_FAILED', errno: 5, message: `completing transaction (${r})` }];
  yield* at(modern ? 'xennet_alloc_rx_buffers' : 'network_alloc_rx_buffers', FILE);
  const count =
    e.rxMode === 'copy' ? NET_RX_RING_SIZE : numberOption(env.options, 'rxTarget', RX_DFL_MIN_TARGET);
  const posted = yield* sys('hv', 'netfrontAllocRxBuffers', {
    ringId: rx.ringId,
    backend: dev.otherendId,
    count,
    mode: e.rxMode,
    checkNotify: modern,
  });
  if (posted['notify'] === true || !modern) yield* sys('hv', 'notify', { port });
  return [{ type: 'CONNECT_DONE' }];
}

/** netdev_notify_peers() / [2006] send_fake_arp(). */
export function* notifyPeers(_env: KernelEnv, key: string): Routine<DriverEvent[]> {
  const dev = yield* requireDevice(key);
  yield* sys('log', `eth${dev.devid}: gratuitous ARP`);
  return [];
}

/** close_netdev(): unregister_netdev; netif_uninit runs the rx release (a separate effect). */
export function* closeNetdev(_env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('close_netdev', FILE);
  const dev = yield* requireDevice(key);
  yield* sys('log', `eth${dev.devid}: unregistered`);
  return [];
}

/** netif_release_rx_bufs() / xennet_release_rx_bufs(): the variant's counters, printed. */
export function* releaseRxBufs(
  _env: KernelEnv,
  key: string,
  e: Effect<'releaseRxBufs'>,
): Routine<DriverEvent[]> {
  yield* at(e.variant === 'modern' ? 'xennet_release_rx_bufs' : 'netif_release_rx_bufs', FILE);
  const dev = yield* requireDevice(key);
  const rx = dev.priv['rx'] as FrontRingInfo | null | undefined;
  if (!rx) return [];
  const r = yield* sys('hv', 'netifReleaseRxBufs', { ringId: rx.ringId, variant: e.variant });
  if (r['ok'] !== true) return [];
  if (r['skipped'] === true) yield* sys('log', 'fix me for copying receiver');
  else if (e.variant === 'merged-2006')
    yield* sys(
      'log',
      `xfer ${String(r['released'])}, noxfer ${String(r['gnttabErrs'])}, unused ${String(r['unused'])}`,
    );
  else if (e.variant === 'rfc-2006')
    yield* sys(
      'log',
      `${String(r['released'])} released ok, ${String(r['gnttabErrs'])} gnttab errs, ${String(r['unused'])} unused slots`,
    );
  yield* sys('devSetPriv', key, { rx: null, rxReleased: true });
  return [];
}

/** netfront_resume() → xennet_disconnect_backend(): the same teardown as remove; the netdev stays. */
export function* netfrontResume(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('netfront_resume', FILE);
  return yield* netfrontRemove(env, key);
}

/** netfront_remove() / xennet_remove(): release the rings and the port. */
export function* netfrontRemove(env: KernelEnv, key: string): Routine<DriverEvent[]> {
  yield* at('xennet_remove', FILE);
  const dev = yield* requireDevice(key);
  const port = dev.priv['port'] as number | null | undefined;
  if (port !== undefined && port !== null) yield* sys('hv', 'closeEvtchn', { port });
  const modern = env.profile.label === '[modern]';
  const tx = dev.priv['tx'] as FrontRingInfo | null | undefined;
  if (tx) yield* freeFrontRing(tx, modern ? 'defer' : 'leak');
  // the buffers first (xennet_release_rx_bufs), then the ring page itself (xennet_disconnect_backend)
  const rx = dev.priv['rx'] as FrontRingInfo | null | undefined;
  if (rx && modern) {
    // xennet_release_rx_bufs already took netfront off the ring: only the page's grant is left
    yield* releaseRxBufs(env, key, { kind: 'releaseRxBufs', variant: 'modern' });
    yield* endRingAccess(rx, 'defer');
  } else if (rx) yield* freeFrontRing(rx, 'leak');
  yield* sys('devSetPriv', key, { tx: null, rx: null, port: null });
  return [];
}

/**
 * Receive traffic on a connected vif (user action "net traffic"): netback fills posted rx buffers
 * ([2006] page flip, [modern] grant copy) and kicks the guest; netfront's poll consumes the
 * responses and refills toward rx_target, doubling the target when it nearly ran dry
 * ([2006] network_alloc_rx_buffers). This is what grows the outstanding buffers from 64 to 128
 * before the S10 teardown.
 */
import type { KernelEnv } from '../../guest/kernel/env';
import { at, type Routine } from '../../guest/kernel/routine';
import { sys } from '../../guest/kernel/sys';
import { numberOption } from './common';
import { NET_RX_RING_SIZE, RX_DFL_MIN_TARGET } from './netfront';
import type { FrontRingInfo } from './ring';

const PACKET_BYTES = 1500;

/** netback net_rx_action() / xenvif_rx_action(): `packets` arrive for the guest behind vif<domid>.0. */
export function* netbackRxAction(env: KernelEnv, domid: number, packets: number, polled: boolean): Routine {
  const modern = env.profile.label === '[modern]';
  yield* at(
    modern ? 'xenvif_rx_action' : 'net_rx_action',
    modern ? 'drivers/net/xen-netback/rx.c' : 'drivers/xen/netback/netback.c',
  );
  const dev = (yield* sys('devList')).find(
    (d) => d.type === 'vif' && d.side === 'backend' && d.otherendId === domid,
  );
  const ringId = dev?.priv['rxRing'] as string | null | undefined;
  if (!dev || !ringId) {
    yield* sys('log', `vif${domid}.0: not connected, ${packets} packets dropped`);
    return;
  }
  const r = yield* sys('hv', 'netbackRxDeliver', {
    ringId,
    packets,
    bytes: PACKET_BYTES,
    mode: dev.priv['rxMode'] ?? 'flip',
  });
  const delivered = Number(r['delivered'] ?? 0);
  yield* sys('log', `vif${domid}.${dev.devid}: ${delivered} of ${packets} packets to the guest`);
  if (delivered === 0) return;
  const port = dev.priv['port'] as number | null | undefined;
  if (port !== undefined && port !== null) yield* sys('hv', 'notify', { port });
  if (!polled) return;
  const kernel = yield* sys('fact', `kernelOf:${domid}`);
  if (typeof kernel === 'string') yield* sys('spawnOn', kernel, 'netfront.poll', []);
}

/** netif_poll() / xennet_poll(), then network_alloc_rx_buffers()'s target adjustment and refill. */
export function* netfrontPoll(env: KernelEnv): Routine {
  const modern = env.profile.label === '[modern]';
  yield* at(modern ? 'xennet_poll' : 'netif_poll', 'drivers/net/xen-netfront.c');
  for (const dev of yield* sys('devList')) {
    const rx = dev.priv['rx'] as FrontRingInfo | null | undefined;
    if (dev.type !== 'vif' || dev.side !== 'frontend' || !rx) continue;
    const polled = yield* sys('hv', 'netfrontPollRx', { ringId: rx.ringId, budget: NET_RX_RING_SIZE });
    const consumed = Number(polled['consumed'] ?? 0);
    const mode = modern ? 'copy' : 'flip';
    let target = modern
      ? NET_RX_RING_SIZE
      : Number(dev.priv['rxTarget'] ?? numberOption(env.options, 'rxTarget', RX_DFL_MIN_TARGET));
    const outstanding = Number((yield* sys('hv', 'rxOutstanding', { ringId: rx.ringId }))['count'] ?? 0);
    yield* at(modern ? 'xennet_alloc_rx_buffers' : 'network_alloc_rx_buffers', 'drivers/net/xen-netfront.c');
    if (!modern && outstanding < target / 4) target = Math.min(target * 2, NET_RX_RING_SIZE);
    const posted = yield* sys('hv', 'netfrontAllocRxBuffers', {
      ringId: rx.ringId,
      backend: dev.otherendId,
      count: target - outstanding,
      mode,
      checkNotify: modern,
    });
    yield* sys('devSetPriv', dev.key, { rxTarget: target });
    yield* sys(
      'log',
      `eth${dev.devid}: ${consumed} packets received, ${String(posted['posted'] ?? 0)} buffers posted, rx_target ${target}`,
    );
  }
}

/**
 * The hypervisor operations routines may call through `sys('hv', op, args)`, always on behalf of
 * the calling domain. Each returns the operation's result without its effects; the effects go to
 * the trace.
 */
import * as hv from '../../hypervisor';
import type { HvEffect, HypervisorState } from '../../hypervisor';

type Args = Record<string, unknown>;
type Call = (state: HypervisorState, domid: number, a: Args) => { effects: HvEffect[] };

const num = (a: Args, k: string): number => a[k] as number;
const str = (a: Args, k: string): string => a[k] as string;

export const HV_CALLS: Readonly<Record<string, Call>> = {
  /** SHARED_RING_INIT + FRONT_RING_INIT on a fresh page */
  sharedRingInit: (s, d, a) =>
    hv.sharedRingInit(s, d, {
      protocol: a['protocol'] as 'blkif' | 'netif-tx' | 'netif-rx',
      pages: num(a, 'pages'),
      label: str(a, 'label'),
    }),
  xenbusGrantRing: (s, d, a) => hv.xenbusGrantRing(s, d, str(a, 'ringId'), num(a, 'otherendId')),
  allocUnbound: (s, d, a) => hv.allocUnbound(s, d, num(a, 'remote')),
  bindInterdomain: (s, d, a) => hv.bindInterdomain(s, d, num(a, 'remote'), num(a, 'remotePort')),
  closeEvtchn: (s, d, a) => hv.closeEvtchn(s, d, num(a, 'port')),
  notify: (s, d, a) => hv.notifyRemoteViaEvtchn(s, d, num(a, 'port')),
  xenbusMapRingValloc: (s, d, a) => hv.xenbusMapRingValloc(s, d, num(a, 'otherendId'), a['refs'] as number[]),
  xenbusUnmapRingVfree: (s, d, a) => hv.xenbusUnmapRingVfree(s, d, a['handles'] as number[]),
  backRingAttach: (s, d, a) => hv.backRingAttach(s, d, { granter: num(a, 'granter'), ref: num(a, 'ref') }),
  endForeignAccess: (s, d, a) => hv.endForeignAccess(s, d, num(a, 'ref'), a['policy'] as hv.EndAccessPolicy),
  frontRingRelease: (s, _d, a) => hv.frontRingRelease(s, str(a, 'ringId')),
  netfrontAllocRxBuffers: (s, d, a) =>
    hv.netfrontAllocRxBuffers(s, d, {
      ringId: str(a, 'ringId'),
      backend: num(a, 'backend'),
      count: num(a, 'count'),
      mode: a['mode'] as hv.RxMode,
      checkNotify: a['checkNotify'] as boolean,
    }),
  netbackRxDeliver: (s, d, a) =>
    hv.netbackRxDeliver(s, d, a as unknown as Parameters<typeof hv.netbackRxDeliver>[2]),
  netfrontPollRx: (s, d, a) =>
    hv.netfrontPollRx(s, d, { ringId: str(a, 'ringId'), budget: num(a, 'budget') }),
  netifReleaseRxBufs: (s, d, a) =>
    hv.netifReleaseRxBufs(s, d, {
      ringId: str(a, 'ringId'),
      variant: a['variant'] as Parameters<typeof hv.netifReleaseRxBufs>[2]['variant'],
    }),
  /** netfront's valid grant_rx_ref[] entries: buffers posted and not yet consumed */
  rxOutstanding: (s, _d, a) => ({ count: hv.netfrontRxOutstanding(s, str(a, 'ringId')).length, effects: [] }),
  createDomain: (s, _d, a) =>
    hv.createDomain(s, { kind: a['kind'] as hv.DomainKind, domid: num(a, 'domid'), name: str(a, 'name') }),
  destroyDomain: (s, _d, a) => hv.destroyDomain(s, num(a, 'domid')),
  evtchnReset: (s, _d, a) => hv.evtchnReset(s, num(a, 'domid')),
};

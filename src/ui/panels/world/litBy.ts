/**
 * What the last step used, for lighting the world map: rings it changed, event-channel ports it
 * signalled or bound (by domain), and grant references it mapped or copied (by granting domain).
 * Pure.
 */
import type { TraceEntry } from '../../../sim/world/trace';

export interface LitSet {
  rings: Set<string>;
  /** `domid:port` */
  ports: Set<string>;
  /** `granter:ref` */
  grants: Set<string>;
}

export function litBy(entry: TraceEntry | null | undefined): LitSet {
  const lit: LitSet = { rings: new Set(), ports: new Set(), grants: new Set() };
  for (const f of entry?.effects ?? []) {
    if (f.k !== 'hv') continue;
    const e = f.e;
    if ('ringId' in e && typeof e.ringId === 'string') lit.rings.add(e.ringId);
    if (e.kind.startsWith('evtchn-') && 'port' in e) {
      lit.ports.add(`${e.domid}:${e.port}`);
      if ('remotePort' in e && e.remotePort !== null) lit.ports.add(`${e.remoteDomid}:${e.remotePort}`);
    }
    if (e.kind === 'grant-map' || e.kind === 'grant-unmap') lit.grants.add(`${e.granter}:${e.ref}`);
    if (e.kind === 'grant-copy') lit.grants.add(`${e.granter}:${e.ref}`);
  }
  return lit;
}

/**
 * Rule `resources-at-closed` (xenbus.md §6.1 step 5, §7.1; rings-and-evtchn.md §5): a backend must
 * unmap the ring and close its port before it reports Closed.
 *
 * Attribution of hypervisor objects to a device pair. The hypervisor effects name domains, refs and
 * ports, never devices, and one domain pair shares refs and ports between its vbd and its vif, so
 * the link is made through the store, where the frontend publishes exactly what its backend will
 * use (xenbus.md §2.2, §2.3):
 *   FE dir/{ring-ref, ring-refN, tx-ring-ref, rx-ring-ref, queue-N/…}  → grant refs of the FE domain
 *   FE dir/{event-channel, event-channel-tx, event-channel-rx, …}      → unbound ports of the FE domain
 * A `grant-map` of (granter, ref) belongs to the frontend directories that publish that ref of that
 * granter at the moment of the map; an `evtchn-bind-interdomain` to (remoteDomid, remotePort) to the
 * ones publishing that port. The link is fixed at map/bind time, so a ref or port number reused
 * later by another device (after a kexec, say) is not confused with it. Data-page grants (blkback
 * persistent grants, netback copies) are never published, so they are not counted.
 * When a backend directory reaches Closed (its state node written 6, or its driver entering Closed;
 * checked once per stay in Closed, after the step's other effects), every object still held by the
 * backend's domain and attributed to its frontend directory is reported.
 */
import { addToSet, parseDeviceKey, parseDevicePath } from './paths';
import { RULE_SPEC, type CheckerContext, type RuleChecker } from './types';

interface Held {
  /** attributed frontend directories */
  dirs: string[];
  /** the domain holding it (mapper, or owner of the bound port) */
  domid: number;
  what: string;
  seq: number;
}

const RING_REF = /^(?:(?:tx|rx)-)?ring-ref\d*$/;
const EVENT_CHANNEL = /^event-channel(?:-tx|-rx)?$/;

/** value → frontend directories publishing it now; keys are `${domid}:${number}` */
function createIndex() {
  const m = new Map<string, Set<string>>();
  return {
    add: (k: string, dir: string) => addToSet(m, k, dir),
    delete: (k: string, dir: string) => void m.get(k)?.delete(dir),
    get: (k: string): string[] => [...(m.get(k) ?? [])],
  };
}

export function createResourcesAtClosed({ emit, topo }: CheckerContext): RuleChecker {
  const refs = createIndex();
  const ports = createIndex();
  const live = new Map<string, Held>();
  const byDir = new Map<string, Set<string>>();
  /** backend directories that reached Closed in this step → the device to name */
  const reached = new Map<string, string>();
  /** backend directories in Closed already checked */
  const checked = new Set<string>();

  const hold = (key: string, h: Held) => {
    if (h.dirs.length === 0) return;
    live.set(key, h);
    for (const d of h.dirs) addToSet(byDir, d, key);
  };
  const release = (key: string) => {
    for (const d of live.get(key)?.dirs ?? []) byDir.get(d)?.delete(key);
    live.delete(key);
  };
  const closedMove = (dir: string, device: string, from: boolean, to: boolean) => {
    if (to && !from) reached.set(dir, device);
    else if (!to) checked.delete(dir);
  };

  return {
    effect(f, e) {
      if (f.k === 'node-write' || f.k === 'node-remove') {
        const p = parseDevicePath(f.path);
        if (!p) return;
        if (p.side === 'backend') {
          if (p.rest === 'state' && f.k === 'node-write')
            closedMove(p.dir, topo.deviceKeyOf(p.dir) ?? p.dir, f.old === '6', f.value === '6');
          return;
        }
        const leaf = p.rest.split('/').at(-1) ?? '';
        const index = RING_REF.test(leaf) ? refs : EVENT_CHANNEL.test(leaf) ? ports : undefined;
        if (!index) return;
        if (f.old !== null) index.delete(`${p.domid}:${Number(f.old)}`, p.dir);
        if (f.k === 'node-write') index.add(`${p.domid}:${Number(f.value)}`, p.dir);
      } else if (f.k === 'transition') {
        const d = parseDeviceKey(f.device);
        if (d?.side === 'backend') closedMove(d.dir, d.key, f.from === 'Closed', f.to === 'Closed');
      } else if (f.k === 'hv') {
        const h = f.e;
        if (h.kind === 'grant-map')
          hold(`map:${h.mapper}:${h.handle}`, {
            dirs: refs.get(`${h.granter}:${h.ref}`),
            domid: h.mapper,
            what: `grant ref ${h.ref} of dom${h.granter} mapped`,
            seq: e.seq,
          });
        else if (h.kind === 'grant-unmap') release(`map:${h.mapper}:${h.handle}`);
        else if (h.kind === 'evtchn-bind-interdomain')
          hold(`port:${h.domid}:${h.port}`, {
            dirs: ports.get(`${h.remoteDomid}:${h.remotePort}`),
            domid: h.domid,
            what: `port ${h.port} bound to dom${h.remoteDomid} port ${h.remotePort}`,
            seq: e.seq,
          });
        else if (h.kind === 'evtchn-close') release(`port:${h.domid}:${h.port}`);
      }
    },
    endStep(e) {
      for (const [dir, device] of reached) {
        if (checked.has(dir)) continue;
        checked.add(dir);
        const fe = topo.otherend(dir);
        const domid = parseDevicePath(dir)?.domid;
        const held = [...((fe !== undefined && byDir.get(fe)) || [])]
          .map((k) => live.get(k))
          .filter((h): h is Held => h?.domid === domid);
        if (held.length === 0) continue;
        emit({
          seq: e.seq,
          rule: 'resources-at-closed',
          device,
          message:
            `${dir} reached Closed while dom${domid} still holds ` +
            held.map((h) => `${h.what} (since seq ${h.seq})`).join(', ') +
            ': the backend did not disconnect first, so they stay pinned',
          spec: RULE_SPEC['resources-at-closed'],
        });
      }
      reached.clear();
    },
  };
}

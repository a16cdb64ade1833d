/**
 * What the world map draws, read from the world at its current position: domains with their
 * kernels and balloon counter, and device pairs (a backend and the frontend(s) facing it) with their
 * xenbus states, rings and event-channel ports. Pure: it reads the world and returns plain data;
 * it never steps or changes it.
 */
import type { World } from '../../sim/world/world';
import { classifyActor } from '../layout/lanes';
import { lastFreedBefore, type DeviceHistory } from './deviceHistory';

export interface KernelView {
  actor: string;
  /** K1 → 1, the kernel a kexec started → 2 … */
  epoch: number;
  alive: boolean;
  /** stopped by a kexec jump until it jumps back */
  frozen: boolean;
}

export interface DomainView {
  domid: number;
  name: string;
  kind: string;
  kernels: KernelView[];
  /** balloon driver_pages: pages handed to drivers and not given back */
  driverPages: number;
}

export interface DeviceEndView {
  key: string;
  actor: string;
  domid: number;
  /** XenbusState name of its machine (Initialising, InitWait, …) */
  state: string;
  /** ids of the shared rings it set up or mapped (from the driver's private fields) */
  rings: string[];
  /** its event-channel port, if bound */
  port: number | null;
  /** a frontend of a kernel that has stopped (kexec): shown with the state it was left in */
  gone: boolean;
  /** its kernel is frozen by a kexec jump: the state stands still until it jumps back */
  frozen: boolean;
}

export interface DevicePairView {
  /** the frontend's node (`/local/domain/1/device/vbd/51712`): one pair per device */
  id: string;
  type: string;
  devid: number;
  frontendDomid: number;
  backend: DeviceEndView | null;
  /** one per kernel that probed the device, oldest first (two across a kexec) */
  frontends: DeviceEndView[];
}

export interface WorldView {
  domains: DomainView[];
  pairs: DevicePairView[];
}

/** Ring ids named anywhere in a driver's private fields (`ring`, `tx`, `rx`, `rxRing` …). */
function ringsOf(priv: Readonly<Record<string, unknown>>): string[] {
  const rings: string[] = [];
  for (const v of Object.values(priv)) {
    if (typeof v === 'string' && /^ring-\d+$/.test(v)) rings.push(v);
    else if (v !== null && typeof v === 'object' && 'ringId' in v) {
      const id = (v as { ringId: unknown }).ringId;
      if (typeof id === 'string') rings.push(id);
    }
  }
  return rings;
}

function endView(world: World, key: string): DeviceEndView | null {
  const d = world.devices.get(key);
  if (d === undefined) return null;
  const port = d.priv['port'];
  return {
    key,
    actor: d.actor,
    domid: d.domid,
    state: world.deviceState(key),
    rings: ringsOf(d.priv),
    port: typeof port === 'number' ? port : null,
    gone: false,
    frozen: world.actors.get(d.actor)?.frozen === true,
  };
}

/**
 * The world map's data at the world's position. With `history` (the trace's device lives), each
 * pair also keeps the frontends of its domain's stopped kernels, with the state each was left in.
 */
export function worldView(world: World, history?: DeviceHistory): WorldView {
  const kernels = new Map<number, KernelView[]>();
  for (const a of world.actors.values()) {
    if (a.kind !== 'kernel') continue;
    const list = kernels.get(a.domid) ?? [];
    list.push({ actor: a.id, epoch: classifyActor(a.id).epoch ?? 1, alive: a.alive, frozen: a.frozen });
    kernels.set(a.domid, list);
  }
  const domains: DomainView[] = [...world.hv.domains.values()]
    .map((d) => ({
      domid: d.domid,
      name: d.name,
      kind: d.kind,
      kernels: (kernels.get(d.domid) ?? []).sort((a, b) => a.epoch - b.epoch),
      driverPages: d.balloon.driverPages,
    }))
    .sort((a, b) => a.domid - b.domid);

  const pairs = new Map<string, DevicePairView>();
  const pairOf = (frontendNode: string, type: string, devid: number, frontendDomid: number) => {
    let p = pairs.get(frontendNode);
    if (p === undefined) {
      p = { id: frontendNode, type, devid, frontendDomid, backend: null, frontends: [] };
      pairs.set(frontendNode, p);
    }
    return p;
  };
  for (const d of world.devices.values()) {
    const end = endView(world, d.key);
    if (end === null) continue;
    if (d.side === 'backend') pairOf(d.otherend, d.type, d.devid, d.otherendId).backend = end;
    else pairOf(d.nodename, d.type, d.devid, d.domid).frontends.push(end);
  }
  if (history !== undefined) addGoneFrontends(world, history, pairs);
  for (const p of pairs.values())
    p.frontends.sort((a, b) => (classifyActor(a.actor).epoch ?? 0) - (classifyActor(b.actor).epoch ?? 0));
  return {
    domains,
    pairs: [...pairs.values()].sort((a, b) => a.frontendDomid - b.frontendDomid || a.id.localeCompare(b.id)),
  };
}

/** The frontends of stopped kernels (a kexec's predecessors), next to their successors' (kept order: by epoch). */
function addGoneFrontends(world: World, history: DeviceHistory, pairs: Map<string, DevicePairView>): void {
  for (const a of world.actors.values()) {
    if (a.kind !== 'kernel' || a.alive) continue;
    const prefix = `/local/domain/${a.domid}/`;
    for (const p of pairs.values()) {
      if (p.frontendDomid !== a.domid || p.frontends.some((f) => f.actor === a.id)) continue;
      const key = `${a.id}|${p.id.slice(prefix.length)}`;
      const freed = lastFreedBefore(history, key, world.seq);
      if (freed === null) continue;
      p.frontends.push({
        key,
        actor: a.id,
        domid: a.domid,
        state: freed.state,
        rings: [],
        port: null,
        gone: true,
        frozen: false,
      });
    }
  }
}

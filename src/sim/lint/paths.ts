/**
 * Reading device identity out of the trace: store paths of device directories (spec xenbus.md §2.1),
 * device keys (`actor|nodename`), actors' domains, the value a xenstored READ step returned, and the
 * frontend/backend pairing learnt from the `frontend` and `backend` nodes. Pure string work.
 */
import type { TraceEffect, TraceEntry } from '../world/trace';

export type Side = 'frontend' | 'backend';

/** A path under a device directory: FE `/local/domain/<d>/device/<type>/<id>`, BE `…/backend/<type>/<fe>/<id>`. */
export interface DevicePath {
  dir: string;
  side: Side;
  /** the domain whose store home holds the directory */
  domid: number;
  /** the rest of the path below the directory ('' for the directory itself) */
  rest: string;
}

const FE_PATH = /^(\/local\/domain\/(\d+)\/device\/[^/]+\/[^/]+)(?:\/(.*))?$/;
const BE_PATH = /^(\/local\/domain\/(\d+)\/backend\/[^/]+\/(\d+)\/[^/]+)(?:\/(.*))?$/;

export function parseDevicePath(path: string): DevicePath | undefined {
  const fe = FE_PATH.exec(path);
  if (fe) return { dir: fe[1] as string, side: 'frontend', domid: Number(fe[2]), rest: fe[3] ?? '' };
  const be = BE_PATH.exec(path);
  if (be) return { dir: be[1] as string, side: 'backend', domid: Number(be[2]), rest: be[4] ?? '' };
  return undefined;
}

/** The device directory whose `state` node this is, or undefined. */
export function stateNodeDir(path: string): DevicePath | undefined {
  const p = parseDevicePath(path);
  return p?.rest === 'state' ? p : undefined;
}

/** `dom1.K1` → 1; actors outside a domain (xenstored, user) → undefined. */
export function actorDomid(actor: string): number | undefined {
  const m = /^dom(\d+)\./.exec(actor);
  return m ? Number(m[1]) : undefined;
}

/** A client's path made absolute: relative paths are under the client's domain home. */
export function absolutePath(path: string, actor: string): string | undefined {
  if (path.startsWith('/')) return path;
  const domid = actorDomid(actor);
  return domid === undefined ? undefined : `/local/domain/${domid}/${path}`;
}

export interface DeviceKey {
  key: string;
  actor: string;
  dir: string;
  side: Side;
  /** the domain whose store home holds the directory */
  domid: number;
}

/** `dom0.kernel|backend/vbd/1/51712` → its absolute directory; non-xenbus machines (`|kexec`) → undefined. */
export function parseDeviceKey(key: string): DeviceKey | undefined {
  const bar = key.indexOf('|');
  if (bar < 0) return undefined;
  const actor = key.slice(0, bar);
  const abs = absolutePath(key.slice(bar + 1), actor);
  const p = abs === undefined ? undefined : parseDevicePath(abs);
  return p && p.rest === '' ? { key, actor, dir: p.dir, side: p.side, domid: p.domid } : undefined;
}

/** What a xenstored READ step answered: who read which node, and the value it got. */
export interface StoreRead {
  actor: string;
  path: string;
  value: string;
}

/** Summary of a successful READ (world/summary.ts): `dom1.K1: READ [tx 3] <path> → "<value>"`. */
const READ_SUMMARY = /^(\S+): READ(?: \[tx \d+\])? (\S+) → "(.*)"$/s;

export function parseStoreRead(e: TraceEntry): StoreRead | undefined {
  if (e.kind !== 'xenstored') return undefined;
  const m = READ_SUMMARY.exec(e.summary);
  if (!m) return undefined;
  const actor = m[1] as string;
  const path = absolutePath(m[2] as string, actor);
  return path === undefined ? undefined : { actor, path, value: m[3] as string };
}

/**
 * The pairing of device directories and the device objects living on them, kept up to date from
 * the effects: `<FE>/backend` and `<BE>/frontend` name the other end (a BE path also encodes its
 * frontend's domain and id, the fallback); `device` and `transition` effects name the key of the
 * device object that currently drives a directory.
 */
export interface Topology {
  otherend(dir: string): string | undefined;
  deviceKeyOf(dir: string): string | undefined;
  effect(f: TraceEffect): void;
}

export function createTopology(): Topology {
  const peers = new Map<string, string>();
  const keys = new Map<string, string>();
  return {
    otherend(dir) {
      const known = peers.get(dir);
      if (known !== undefined) return known;
      const m = /^\/local\/domain\/\d+\/backend\/([^/]+)\/(\d+)\/([^/]+)$/.exec(dir);
      return m ? `/local/domain/${m[2]}/device/${m[1]}/${m[3]}` : undefined;
    },
    deviceKeyOf: (dir) => keys.get(dir),
    effect(f) {
      if (f.k === 'node-write') {
        const p = parseDevicePath(f.path);
        const link = p?.side === 'frontend' ? 'backend' : 'frontend';
        if (p && p.rest === link && parseDevicePath(f.value)?.rest === '') peers.set(p.dir, f.value);
      } else if (f.k === 'device' || f.k === 'transition') {
        const d = parseDeviceKey(f.device);
        if (d && !(f.k === 'device' && f.change === 'freed')) keys.set(d.dir, d.key);
      }
    },
  };
}

/** Add `value` to the set kept under `key`. */
export function addToSet<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

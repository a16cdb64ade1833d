/**
 * A world's state as one canonical string: the store tree and watches, the scheduler's queues, the
 * RNG streams, the hypervisor, every actor's client, device machines and routines. Two worlds with
 * equal fingerprints behave alike from here on; time-travel tests compare them.
 */
import type { World } from './world';

function canonical(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value).join(',');
  if (value instanceof Map) return [...(value as Map<unknown, unknown>).entries()];
  if (value instanceof Set) return [...(value as Set<unknown>).values()];
  return value;
}

function storeTree(world: World): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    const n = world.store.getNode(path);
    if (!n) return;
    out.push(`${path}=${Array.from(n.value).join(',')} ${JSON.stringify(n.perms)} g${n.generation}`);
    for (const c of n.children) walk(path === '/' ? `/${c}` : `${path}/${c}`);
  };
  walk('/');
  return out;
}

export function worldFingerprint(world: World): string {
  const snap = world.snapshot();
  const { store: _store, ...rest } = snap;
  return JSON.stringify(
    {
      tree: storeTree(world),
      watches: world.store.listWatches(),
      ...rest,
      // a routine's snapshot may share a longer log: its own part is the first logLength values
      routines: snap.routines.map((r) => ({ ...r, log: r.log.slice(0, r.logLength) })),
      states: [...world.devices.keys()].map((k) => [k, world.deviceState(k)]),
    },
    canonical,
  );
}

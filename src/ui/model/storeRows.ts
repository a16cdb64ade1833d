/**
 * What the store view shows at the cursor: the tree read from the store, with the nodes the last
 * step removed kept as ghosts under their parent (so a removal can fade out where it was), and per
 * node its value, owner and permissions. Pure: it reads the store through `getNode`.
 */
import type { TraceEntry } from '../../sim/world/trace';
import { bytesToString, type NodeSnapshot } from '../../xenstore';
import type { StoreTreeNode } from '../layout/storeTree';

export interface StoreNodeInfo {
  value: string;
  /** `n0 r1`: the owner's entry first (owner domid, then everyone's access), then the ACL */
  perms: string;
  owner: number | null;
  /** the last step removed it (a ghost row) */
  removed: boolean;
  /** what the last step did to it: written (old value, null if created) */
  written: { old: string | null } | null;
}

/** A permission list as xenstore-ls prints it: `n0 r1`. */
export function permsText(perms: NodeSnapshot['perms']): string {
  return perms.map((p) => `${p.access}${p.domid}`).join(' ');
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
const nameOf = (path: string) => (path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1));

/**
 * The tree below `/` and each node's info. `last` is the step just run (null at step 0): its writes
 * mark nodes written, its removals come back as ghosts (with their old value) under a parent that
 * still exists.
 */
export function readStoreRows(
  getNode: (path: string) => NodeSnapshot | undefined,
  last: TraceEntry | null,
): { root: StoreTreeNode; info: Map<string, StoreNodeInfo> } {
  const info = new Map<string, StoreNodeInfo>();
  const ghosts = new Map<string, string[]>();
  const written = new Map<string, string | null>();
  const removedOld = new Map<string, string>();
  for (const e of last?.effects ?? []) {
    if (e.k === 'node-write') written.set(e.path, e.old);
    else if (e.k === 'node-remove') {
      removedOld.set(e.path, e.old);
      const parent = parentOf(e.path);
      ghosts.set(parent, [...(ghosts.get(parent) ?? []), e.path]);
    }
  }
  const read = (path: string): StoreTreeNode => {
    const node = getNode(path);
    if (node === undefined) {
      info.set(path, {
        value: removedOld.get(path) ?? '',
        perms: '',
        owner: null,
        removed: true,
        written: null,
      });
      return { name: nameOf(path), path, children: (ghosts.get(path) ?? []).map(read) };
    }
    const old = written.get(path);
    info.set(path, {
      value: bytesToString(node.value),
      perms: permsText(node.perms),
      owner: node.perms[0]?.domid ?? null,
      removed: false,
      written: old === undefined ? null : { old },
    });
    const childPaths = node.children.map((c) => (path === '/' ? `/${c}` : `${path}/${c}`));
    for (const g of ghosts.get(path) ?? []) if (!childPaths.includes(g)) childPaths.push(g);
    return { name: nameOf(path), path, children: childPaths.map(read) };
  };
  return { root: read('/'), info };
}

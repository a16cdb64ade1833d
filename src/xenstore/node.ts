/**
 * One node of the tree, as stored. Kept small: about 200 bytes per node including its Map entry
 * (bench/xenstore.ts measures it).
 *
 * - `value` is a binary string (one char per byte, see payload.ts), not a typed array: a short
 *   Uint8Array costs ~200 bytes in V8, a short one-byte string ~24.
 * - `children` holds the children's full paths in creation order (the C daemon's order). The paths
 *   are the very strings used as Map keys, so a child costs one array slot; leaves share `NO_CHILDREN`.
 *   The array is never changed in place (adding or removing a child replaces it), so the copies of
 *   a node share it.
 * - `owner` is the era token (tree.ts) of the one tree that may change the node in place; any other
 *   tree, and the same tree after a fork, must copy it first (copy-on-write), so every other holder
 *   (another tree, an open transaction, a pre-image) keeps the version it saw. null: nobody may,
 *   as for a node an open transaction or a pre-image refers to. A stale null only costs a copy.
 */
import type { NodeSnapshot } from './types';
import { binaryToBytes } from './payload';
import { childName } from './path';
import type { PermList } from './perms';

/** The children array of every leaf. Never mutated: adding a child replaces it. */
export const NO_CHILDREN: string[] = Object.freeze([]) as unknown as string[];

/** Generation recorded for a node that does not exist (transaction.c NO_GENERATION). */
export const NO_GENERATION = -1;

export class XsNode {
  constructor(
    public value: string,
    public perms: PermList,
    public children: string[],
    public generation: number,
    public owner: object | null = null,
  ) {}

  /** A private copy that may be changed without affecting this node (owned by nobody yet). */
  clone(): XsNode {
    return new XsNode(this.value, this.perms, this.children, this.generation);
  }

  addChild(path: string): void {
    const c = this.children;
    const n = c.length;
    if (n === 0) {
      this.children = [path];
      return;
    }
    // sized to fit: a grown array would reserve half as much again
    const next = new Array<string>(n + 1);
    for (let i = 0; i < n; i++) next[i] = c[i] as string;
    next[n] = path;
    this.children = next;
  }

  removeChild(path: string): void {
    const c = this.children;
    const i = c.indexOf(path);
    if (i < 0) return;
    this.children = c.length === 1 ? NO_CHILDREN : c.filter((_, j) => j !== i);
  }
}

/**
 * A node as plain data (for effects and introspection): value bytes, perms in order (the entry
 * objects are the interned, frozen ones), child names.
 */
export function snapshotOf(path: string, node: XsNode): NodeSnapshot {
  const children = node.children;
  const names: string[] = [];
  for (let i = 0; i < children.length; i++) names.push(childName(path, children[i] as string));
  return {
    path,
    value: binaryToBytes(node.value),
    perms: node.perms.entries.slice(),
    children: names,
    generation: node.generation,
  };
}

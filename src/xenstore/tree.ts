/**
 * The committed tree: one Map from absolute path to node, the node generation counter, and the
 * count of nodes each domain owns (the `nodes` quota; xenstored domain.c nbentry).
 *
 * All changes go through `edit`, `put` and `drop`, which keep three promises:
 * - a node an open transaction or a forked tree refers to (`shared`) is copied before it changes;
 * - under the [2006] 'global' policy, each open transaction first gets the node as it was (its
 *   snapshot of the store at TRANSACTION_START, like the daemon's copy of the tdb file);
 * - ownership counts follow every create, delete and change of owner.
 */
import { NO_CHILDREN, XsNode } from './node';
import { DEFAULT_PERMS } from './perms';

/** Something that wants the previous version of a node before the tree changes it. */
export interface PreImageSink {
  keepPreImage(path: string, node: XsNode | undefined): void;
}

export class Tree {
  readonly nodes: Map<string, XsNode>;
  /** last generation handed out; every node write takes the next one (core.c write_node) */
  generation: number;
  private readonly owned: Map<number, number>;
  /** transactions that need pre-images (only under the 'global' policy) */
  readonly snapshotters = new Set<PreImageSink>();

  /** A tree holding only `/`; given `from`, the copy described at fork(). */
  constructor(from?: Tree) {
    if (from === undefined) {
      this.nodes = new Map([['/', new XsNode('', DEFAULT_PERMS, NO_CHILDREN, 0)]]);
      this.generation = 0;
      this.owned = new Map();
      this.countOwner(DEFAULT_PERMS.owner, 1);
      return;
    }
    // every node becomes `shared`: whichever tree changes it first copies it (see edit()), so both
    // trees may hold the same node objects. The flag only ever costs a copy, never changes a result.
    const nodes = new Map<string, XsNode>();
    from.nodes.forEach((node, path) => {
      node.shared = true;
      nodes.set(path, node);
    });
    this.nodes = nodes;
    this.generation = from.generation;
    this.owned = new Map(from.owned);
  }

  /**
   * An independent tree with the same nodes, generation counter and ownership counts, sharing the
   * node objects with this one (copy-on-write through the `shared` flag). Only the path index is
   * copied, one Map entry per node. `snapshotters` starts empty: the caller registers the copies of
   * its transactions.
   */
  fork(): Tree {
    return new Tree(this);
  }

  get(path: string): XsNode | undefined {
    return this.nodes.get(path);
  }

  /** Nodes owned by `domid` (domain.c domain_nbentry()). */
  ownedBy(domid: number): number {
    return this.owned.get(domid | 0) ?? 0;
  }

  countOwner(domid: number, delta: number): void {
    const d = domid | 0;
    const n = (this.owned.get(d) ?? 0) + delta;
    if (n === 0) this.owned.delete(d);
    else this.owned.set(d, n);
  }

  private preImage(path: string, node: XsNode | undefined): void {
    if (this.snapshotters.size === 0) return;
    if (node !== undefined) node.shared = true;
    for (const s of this.snapshotters) s.keepPreImage(path, node);
  }

  /** The node at `path` ready to be changed in place (copied first if a transaction shares it). */
  edit(path: string, node: XsNode): XsNode {
    this.preImage(path, node);
    if (!node.shared) return node;
    const copy = node.clone();
    this.nodes.set(path, copy);
    return copy;
  }

  /**
   * Stores a changed or new node and gives it the next generation. `oldOwner` is the owner before
   * the change (null for a new node), so the ownership counts can follow.
   */
  put(path: string, node: XsNode, oldOwner: number | null): void {
    node.generation = ++this.generation;
    const current = this.nodes.get(path);
    if (current !== node) {
      this.preImage(path, current);
      this.nodes.set(path, node);
    }
    if (oldOwner !== node.perms.owner) {
      if (oldOwner !== null) this.countOwner(oldOwner, -1);
      this.countOwner(node.perms.owner, 1);
    }
  }

  /** Removes one node (its children are the caller's business). */
  drop(path: string): void {
    const node = this.nodes.get(path);
    if (node === undefined) return;
    this.preImage(path, node);
    this.nodes.delete(path);
    this.countOwner(node.perms.owner, -1);
  }
}

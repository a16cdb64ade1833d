/**
 * The committed tree: an index from absolute path to node, the node generation counter, and the
 * count of nodes each domain owns (the `nodes` quota; xenstored domain.c nbentry).
 *
 * All changes go through `edit`, `put` and `drop`, which keep three promises:
 * - a node another holder may see (an open transaction, a pre-image, a forked tree) is copied
 *   before it changes;
 * - under the [2006] 'global' policy, each open transaction first gets the node as it was (its
 *   snapshot of the store at TRANSACTION_START, like the daemon's copy of the tdb file);
 * - ownership counts follow every create, delete and change of owner.
 *
 * Forking is O(1) (the store is cloned for every simulator checkpoint): the path index is a PMap
 * (pmap.ts), shared copy-on-write with the trees forked from this one, each tree paying later for
 * the paths it changes. The node objects are shared too: a node may be changed in place only by
 * the tree whose current era it carries (`XsNode.owner`, the index's `era`); any other node is
 * copied first. Nodes an open transaction or a pre-image refers to carry no owner at all.
 */
import { NO_CHILDREN, XsNode } from './node';
import { DEFAULT_PERMS } from './perms';
import { PMap } from './pmap';

/** Something that wants the previous version of a node before the tree changes it. */
export interface PreImageSink {
  keepPreImage(path: string, node: XsNode | undefined): void;
}

export class Tree {
  private readonly nodes: PMap<string, XsNode>;
  /** last generation handed out; every node write takes the next one (core.c write_node) */
  generation: number;
  private readonly owned: Map<number, number>;
  /** transactions that need pre-images (only under the 'global' policy) */
  readonly snapshotters = new Set<PreImageSink>();

  /** A tree holding only `/`; given `from`, the copy described at fork(). */
  constructor(from?: Tree) {
    if (from === undefined) {
      this.nodes = new PMap();
      this.nodes.set('/', new XsNode('', DEFAULT_PERMS, NO_CHILDREN, 0, this.nodes.era));
      this.generation = 0;
      this.owned = new Map();
      this.countOwner(DEFAULT_PERMS.owner, 1);
      return;
    }
    this.nodes = from.nodes.fork();
    this.generation = from.generation;
    this.owned = new Map(from.owned);
  }

  /**
   * An independent tree with the same nodes, generation counter and ownership counts: O(1) plus
   * the ownership counts (one entry per owning domain), see the header. `snapshotters` starts
   * empty: the caller registers the copies of its transactions.
   */
  fork(): Tree {
    return new Tree(this);
  }

  get(path: string): XsNode | undefined {
    return this.nodes.get(path);
  }

  has(path: string): boolean {
    return this.nodes.has(path);
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
    if (node !== undefined) node.owner = null;
    for (const s of this.snapshotters) s.keepPreImage(path, node);
  }

  /** The node at `path` ready to be changed in place (copied first if anyone else may see it). */
  edit(path: string, node: XsNode): XsNode {
    this.preImage(path, node);
    if (node.owner === this.nodes.era) return node;
    const copy = node.clone();
    this.nodes.set(path, copy);
    // after set(): a split there would change the era
    copy.owner = this.nodes.era;
    return copy;
  }

  /**
   * Stores a changed or new node and gives it the next generation. `oldOwner` is the owner before
   * the change (null for a new node), so the ownership counts can follow. The node must be this
   * tree's to keep: from edit(), new, or a committed transaction's own copy.
   */
  put(path: string, node: XsNode, oldOwner: number | null): void {
    node.generation = ++this.generation;
    const current = this.nodes.get(path);
    if (current !== node) {
      this.preImage(path, current);
      this.nodes.set(path, node);
    }
    node.owner = this.nodes.era;
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

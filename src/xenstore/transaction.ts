/**
 * One open transaction (xenstored transaction.c struct transaction): the nodes it accessed, in
 * first-access order, with its private versions of the ones it changed.
 *
 * Isolation follows the daemon of each policy:
 * - 'read-set' [modern]: a node is copied into the transaction when first accessed (access_node()),
 *   so a transaction sees the store as it was at each node's first access; a first access by read
 *   records the node's generation, and the commit fails if any of those changed.
 * - 'global' [2006]: the transaction sees the store as it was at TRANSACTION_START (the daemon
 *   copied the whole database); any change to the store since then makes the commit fail.
 */
import type { ConnId } from './types';
import type { XsNode } from './node';
import type { PermList } from './perms';
import type { PreImageSink } from './tree';

/** transaction.c struct accessed_node. */
export interface TxEntry {
  /** the node as this transaction sees it (undefined: absent) */
  node: XsNode | undefined;
  /** `node` is this transaction's own copy (or a new node) and may be changed in place */
  own: boolean;
  /** first access was a read: the generation is checked at commit */
  checkGen: boolean;
  /** generation at first access (NO_GENERATION if absent) */
  generation: number;
  /** permissions at first access, for watch_permitted() at commit */
  oldPerms: PermList | null;
  modified: boolean;
  /** a watch event is due for this node at commit (transaction.c queue_watches()) */
  fire: boolean;
  exact: boolean;
}

export class Transaction implements PreImageSink {
  readonly entries = new Map<string, TxEntry>();
  /** [2006] nodes as they were at start, kept before the store changed them */
  readonly base = new Map<string, XsNode | undefined>();
  /** a write failed half way: the commit must fail (transaction.c fail_transaction()) */
  failed = false;
  /** a node was created: the commit re-checks the nodes quota */
  nodeCreated = false;

  constructor(
    readonly id: number,
    readonly conn: ConnId,
    /** the store's change count at start ('global' policy) */
    readonly startChange: number,
  ) {}

  /**
   * An independent copy: its own entries and flags. Nodes the transaction owns (`own`) are changed
   * in place by later requests, so they are copied (one copy per node object, keeping any sharing
   * between entries); the other nodes it refers to are tree nodes no tree may change in place
   * (their `owner` is null) or pre-images, which nobody changes in place, so both copies keep
   * referring to them.
   */
  fork(): Transaction {
    const t = new Transaction(this.id, this.conn, this.startChange);
    t.failed = this.failed;
    t.nodeCreated = this.nodeCreated;
    // made on the first owned node (many transactions own none)
    let owned: Map<XsNode, XsNode> | null = null;
    const entries = t.entries;
    // forEach, not for…of: no [key, value] pair per entry
    this.entries.forEach((e, path) => {
      let node = e.node;
      if (e.own && node !== undefined) {
        if (owned === null) owned = new Map();
        let copy = owned.get(node);
        if (copy === undefined) {
          copy = node.clone();
          owned.set(node, copy);
        }
        node = copy;
      }
      entries.set(path, {
        node,
        own: e.own,
        checkGen: e.checkGen,
        generation: e.generation,
        oldPerms: e.oldPerms,
        modified: e.modified,
        fire: e.fire,
        exact: e.exact,
      });
    });
    if (this.base.size !== 0) this.base.forEach((node, path) => t.base.set(path, node));
    return t;
  }

  keepPreImage(path: string, node: XsNode | undefined): void {
    if (!this.entries.has(path) && !this.base.has(path)) this.base.set(path, node);
  }
}

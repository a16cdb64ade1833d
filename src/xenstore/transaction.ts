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
import type { PreImageSink } from './tree';

/** TxEntry.flags: `node` is this transaction's own copy (or a new node) and may be changed in place */
export const TX_OWN = 1;
/** TxEntry.flags: the first access was a read, so the generation is checked at commit */
export const TX_CHECK_GEN = 2;
/** TxEntry.flags: the node was written or removed, so the commit applies it */
export const TX_MODIFIED = 4;
/** TxEntry.flags: a watch event is due for this node at commit (transaction.c queue_watches()) */
export const TX_FIRE = 8;
/** TxEntry.flags: that event fires watches on the node itself only */
export const TX_EXACT = 16;
/** TxEntry.flags: the path passed is_valid_nodename() (a name check need not run again) */
export const TX_VALID_NAME = 32;

/**
 * transaction.c struct accessed_node. The generation and permissions the commit checks are those
 * of `first`, the node at first access: such a node is never changed in place again (access
 * clears its `owner`), so they stay as they were then.
 */
export class TxEntry {
  constructor(
    /** the node as this transaction sees it (undefined: absent) */
    public node: XsNode | undefined,
    /** the node at first access (undefined: absent then) */
    readonly first: XsNode | undefined,
    /** TX_* bits */
    public flags: number,
  ) {}
}

export class Transaction implements PreImageSink {
  /** [2006] nodes as they were at start, kept before the store changed them (made on first use) */
  base: Map<string, XsNode | undefined> | null = null;
  /**
   * `entries` and `base` (and the nodes the entries hold) may be seen by another transaction, a
   * fork: they must not change. own() copies them first; meanwhile no node is this transaction's to
   * change in place, whatever TX_OWN says (see owns()).
   */
  shared = false;
  /** a write failed half way: the commit must fail (transaction.c fail_transaction()) */
  failed = false;
  /** a node was created: the commit re-checks the nodes quota */
  nodeCreated = false;

  constructor(
    readonly id: number,
    readonly conn: ConnId,
    /** the store's change count at start ('global' policy) */
    readonly startChange: number,
    /** the accessed nodes by path, in first-access order (shared with forks until changed: see own()) */
    public entries = new Map<string, TxEntry>(),
  ) {}

  /**
   * An independent copy, in O(1): both share the entries until either changes them (own()). The
   * nodes the entries refer to are tree nodes no tree may change in place (their `owner` is null),
   * pre-images, which nobody changes in place, or nodes of the transaction's own, which from now on
   * neither copy changes in place: a change first copies them (TX_OWN is cleared by own()).
   */
  fork(): Transaction {
    const t = new Transaction(this.id, this.conn, this.startChange, this.entries);
    t.failed = this.failed;
    t.nodeCreated = this.nodeCreated;
    t.base = this.base;
    t.shared = true;
    this.shared = true;
    return t;
  }

  /**
   * Makes the entries and the pre-images this transaction's own, before it changes them: copies of
   * them if they may be shared with a fork, whose nodes are then not TX_OWN any more.
   */
  own(): void {
    if (!this.shared) return;
    const entries = new Map<string, TxEntry>();
    // forEach, not for…of: no [key, value] pair per entry
    this.entries.forEach((e, path) => {
      entries.set(path, new TxEntry(e.node, e.first, e.flags & ~TX_OWN));
    });
    this.entries = entries;
    if (this.base !== null) this.base = new Map(this.base);
    this.shared = false;
  }

  /** The entry's node may be changed in place: the transaction's own copy, seen by no fork. */
  owns(e: TxEntry): boolean {
    return (e.flags & TX_OWN) !== 0 && !this.shared;
  }

  keepPreImage(path: string, node: XsNode | undefined): void {
    if (this.entries.has(path)) return;
    if (this.base !== null && this.base.has(path)) return;
    this.own();
    if (this.base === null) this.base = new Map();
    this.base.set(path, node);
  }
}

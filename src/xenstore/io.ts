/**
 * How operations read and change nodes: xenstored's read_node()/write_node()/delete and
 * fire_watches(), which behave differently inside a transaction (conn->transaction set).
 *
 * Operations are written once against `NodeIO`; outside a transaction it acts on the tree and
 * fires watches at once, inside one it works on the transaction's copies, records accesses and
 * queues watch events for the commit.
 */
import type { XsError } from './types';
import type { Effects } from './effects';
import type { XsNode } from './node';
import type { PermList } from './perms';
import type { Conn, StoreState } from './state';
import type { Transaction } from './transaction';
import { TX_CHECK_GEN, TX_EXACT, TX_FIRE, TX_MODIFIED, TX_OWN, TX_VALID_NAME, TxEntry } from './transaction';
import { isValidNodename } from './path';
import type { FireInfo } from './watches';
import { fireWatches } from './watches';

export interface NodeIO {
  /** the transaction in use, or null */
  readonly tx: Transaction | null;
  /**
   * core.c get_node()'s lookup: EINVAL for a name that is neither stored nor valid
   * (is_valid_nodename()), else read_node() (with its quota error inside a transaction)
   */
  lookup(path: string, pathMax: number): XsNode | XsError | undefined;
  /** core.c read_node(): the node or undefined (then see takeError) */
  read(path: string): XsNode | undefined;
  /** a quota error raised by the last read (transaction-nodes), cleared when taken */
  takeError(): XsError | null;
  /** the node at `path` ready to be changed in place */
  edit(path: string, node: XsNode): XsNode;
  /** core.c write_node(): `oldOwner` is the owner before the change, null for a new node */
  put(path: string, node: XsNode, oldOwner: number | null): void;
  /** removes one node */
  drop(path: string): void;
  /** core.c fire_watches(): now, or at commit inside a transaction */
  fire(path: string, exact: boolean, info: FireInfo, out: Effects): void;
}

/** Permissions of the committed node at `path`, for watch_permitted()'s parent check. */
export function treePerms(state: StoreState): (path: string) => PermList | null {
  return (path) => state.tree.get(path)?.perms ?? null;
}

/** The committed store. One per store; it keeps no per-request state. */
export class GlobalIO implements NodeIO {
  readonly tx = null;
  private readonly parentOf: (path: string) => PermList | null;

  constructor(private readonly state: StoreState) {
    this.parentOf = treePerms(state);
  }

  lookup(path: string, pathMax: number): XsNode | XsError | undefined {
    // only valid names are ever stored: a node found needs no name check
    const node = this.state.tree.get(path);
    return node === undefined && !isValidNodename(path, pathMax) ? 'EINVAL' : node;
  }

  read(path: string): XsNode | undefined {
    return this.state.tree.get(path);
  }

  takeError(): XsError | null {
    return null;
  }

  edit(path: string, node: XsNode): XsNode {
    return this.state.tree.edit(path, node);
  }

  put(path: string, node: XsNode, oldOwner: number | null): void {
    this.state.changeCount++;
    this.state.tree.put(path, node, oldOwner);
  }

  drop(path: string): void {
    this.state.changeCount++;
    this.state.tree.drop(path);
  }

  fire(path: string, exact: boolean, info: FireInfo, out: Effects): void {
    fireWatches(this.state.watches, path, exact, info, this.parentOf, out);
  }
}

/**
 * A transaction's view. One per store, bound to the connection, transaction and effects of each
 * request in turn (see bind()); all it keeps of a request is the quota error not yet taken.
 */
export class TxIO implements NodeIO {
  private error: XsError | null = null;
  private conn: Conn | null = null;
  private current: Transaction | null = null;
  private effects: Effects | null = null;

  constructor(private readonly state: StoreState) {}

  /** Serves the next request: `conn`'s transaction `tx`, recording accesses into `effects`. */
  bind(conn: Conn, tx: Transaction, effects: Effects): this {
    this.conn = conn;
    this.current = tx;
    this.effects = effects;
    this.error = null;
    return this;
  }

  get tx(): Transaction {
    return this.current as Transaction;
  }

  /** The transaction's entries, made its own first: every use may change them. */
  private entries(): Map<string, TxEntry> {
    const tx = this.current as Transaction;
    if (tx.shared) tx.own();
    return tx.entries;
  }

  /**
   * transaction.c access_node() on a first access: a new entry for the node the transaction sees
   * (`stored`, the tree's node, unless a pre-image was kept), or undefined past the quota.
   */
  private first(path: string, read: boolean, stored: XsNode | undefined): TxEntry | undefined {
    const tx = this.current as Transaction;
    const conn = this.conn as Conn;
    const entries = this.entries();
    if (read && !conn.privileged && entries.size >= this.state.options.quotas.transactionNodes) {
      this.error = 'ENOSPC';
      return undefined;
    }
    const base = tx.base;
    const node = base !== null && base.has(path) ? base.get(path) : stored;
    if (node !== undefined) node.owner = null;
    const entry = new TxEntry(node, node, read ? TX_CHECK_GEN : 0);
    entries.set(path, entry);
    (this.effects as Effects).push({
      kind: 'transaction-access',
      conn: conn.id,
      txId: tx.id,
      path,
      access: read ? 'read' : 'write',
    });
    return entry;
  }

  /** transaction.c access_node(): the entry for `path`, created on first access. */
  private access(path: string, read: boolean): TxEntry | undefined {
    const found = this.entries().get(path);
    if (found !== undefined) return found;
    return this.first(path, read, this.state.tree.get(path));
  }

  private entry(path: string): TxEntry {
    return this.access(path, false) as TxEntry;
  }

  lookup(path: string, pathMax: number): XsNode | XsError | undefined {
    const found = this.entries().get(path);
    if (found !== undefined) {
      if ((found.flags & TX_VALID_NAME) === 0 && !this.state.tree.has(path)) {
        if (!isValidNodename(path, pathMax)) return 'EINVAL';
        found.flags |= TX_VALID_NAME;
      }
      return found.node;
    }
    const stored = this.state.tree.get(path);
    const checked = stored === undefined;
    if (checked && !isValidNodename(path, pathMax)) return 'EINVAL';
    const e = this.first(path, true, stored);
    if (e === undefined) return this.takeError() as XsError;
    if (checked) e.flags |= TX_VALID_NAME;
    return e.node;
  }

  read(path: string): XsNode | undefined {
    return this.access(path, true)?.node;
  }

  takeError(): XsError | null {
    const e = this.error;
    this.error = null;
    return e;
  }

  edit(path: string, node: XsNode): XsNode {
    const e = this.entry(path);
    if ((e.flags & TX_OWN) !== 0 && e.node === node) return node;
    const copy = node.clone();
    e.node = copy;
    e.flags |= TX_OWN;
    return copy;
  }

  put(path: string, node: XsNode, oldOwner: number | null): void {
    const e = this.entry(path);
    e.node = node;
    e.flags |= TX_OWN | TX_MODIFIED;
    if (oldOwner === null) (this.current as Transaction).nodeCreated = true;
  }

  drop(path: string): void {
    const e = this.entry(path);
    e.node = undefined;
    e.flags |= TX_OWN | TX_MODIFIED;
  }

  fire(path: string, exact: boolean): void {
    const e = this.entry(path);
    if ((e.flags & TX_FIRE) === 0) e.flags |= exact ? TX_FIRE | TX_EXACT : TX_FIRE;
  }
}

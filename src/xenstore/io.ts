/**
 * How operations read and change nodes: xenstored's read_node()/write_node()/delete and
 * fire_watches(), which behave differently inside a transaction (conn->transaction set).
 *
 * Operations are written once against `NodeIO`; outside a transaction it acts on the tree and
 * fires watches at once, inside one it works on the transaction's copies, records accesses and
 * queues watch events for the commit.
 */
import type { XsEffect, XsError } from './types';
import type { XsNode } from './node';
import { NO_GENERATION } from './node';
import type { PermList } from './perms';
import type { Conn, StoreState } from './state';
import type { Transaction, TxEntry } from './transaction';
import type { FireInfo } from './watches';
import { fireWatches } from './watches';

export interface NodeIO {
  /** the transaction in use, or null */
  readonly tx: Transaction | null;
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
  fire(path: string, exact: boolean, info: FireInfo, out: XsEffect[]): void;
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

  fire(path: string, exact: boolean, info: FireInfo, out: XsEffect[]): void {
    fireWatches(this.state.watches, path, exact, info, this.parentOf, out);
  }
}

/** A transaction's view, for one request. */
export class TxIO implements NodeIO {
  private error: XsError | null = null;

  constructor(
    private readonly state: StoreState,
    private readonly conn: Conn,
    readonly tx: Transaction,
    private readonly effects: XsEffect[],
  ) {}

  /** transaction.c access_node(): the entry for `path`, created on first access. */
  private access(path: string, read: boolean): TxEntry | undefined {
    const tx = this.tx;
    const found = tx.entries.get(path);
    if (found !== undefined) return found;
    const quota = this.state.options.quotas.transactionNodes;
    if (read && !this.conn.privileged && tx.entries.size >= quota) {
      this.error = 'ENOSPC';
      return undefined;
    }
    const node = tx.base.has(path) ? tx.base.get(path) : this.state.tree.get(path);
    if (node !== undefined) node.owner = null;
    const entry: TxEntry = {
      node,
      own: false,
      checkGen: read,
      generation: node === undefined ? NO_GENERATION : node.generation,
      oldPerms: node === undefined ? null : node.perms,
      modified: false,
      fire: false,
      exact: false,
    };
    tx.entries.set(path, entry);
    this.effects.push({
      kind: 'transaction-access',
      conn: this.conn.id,
      txId: tx.id,
      path,
      access: read ? 'read' : 'write',
    });
    return entry;
  }

  private entry(path: string): TxEntry {
    return this.access(path, false) as TxEntry;
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
    if (e.own && e.node === node) return node;
    const copy = node.clone();
    e.node = copy;
    e.own = true;
    return copy;
  }

  put(path: string, node: XsNode, oldOwner: number | null): void {
    const e = this.entry(path);
    e.node = node;
    e.own = true;
    e.modified = true;
    if (oldOwner === null) this.tx.nodeCreated = true;
  }

  drop(path: string): void {
    const e = this.entry(path);
    e.node = undefined;
    e.own = true;
    e.modified = true;
  }

  fire(path: string, exact: boolean): void {
    const e = this.entry(path);
    if (!e.fire) {
      e.fire = true;
      e.exact = exact;
    }
  }
}

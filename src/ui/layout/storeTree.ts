/**
 * The store view's layout: the xenstore tree as an indented list (one row per node, children under
 * their parent and indented one step), computed with d3-hierarchy. Pure: no DOM; units are pixels.
 *
 * An indented tree rather than a node-link diagram because xenstore names are long
 * (`/local/domain/0/backend/vbd/1/51712/physical-device`) and a device has a dozen leaves: one row
 * per node keeps every name and value readable, and collapses cleanly.
 */
import { hierarchy } from 'd3-hierarchy';

/** One store node with its children, in xenstored's order (the order they were created). */
export interface StoreTreeNode {
  /** the node's own name; '/' for the root */
  name: string;
  /** canonical path: `/`, `/local`, `/local/domain/0` … */
  path: string;
  children: StoreTreeNode[];
}

export interface StoreRow {
  path: string;
  name: string;
  depth: number;
  /** left edge of the name, px */
  x: number;
  /** top of the row, px */
  y: number;
  /** the node has children (shown or collapsed) */
  hasChildren: boolean;
  collapsed: boolean;
}

export interface StoreTreeLayout {
  rows: StoreRow[];
  /** height of all rows, px */
  height: number;
  /** indent of the deepest row shown, px (names start there) */
  maxX: number;
}

export interface StoreTreeOptions {
  rowHeight: number;
  indent: number;
}

export const STORE_TREE_DEFAULTS: StoreTreeOptions = { rowHeight: 20, indent: 14 };

/**
 * Rows for `root` with the nodes in `collapsed` (by path) folded: their descendants get no row.
 * Row i is at y = i · rowHeight; a node at depth d at x = d · indent.
 */
export function storeTreeLayout(
  root: StoreTreeNode,
  collapsed: ReadonlySet<string>,
  options: StoreTreeOptions = STORE_TREE_DEFAULTS,
): StoreTreeLayout {
  const tree = hierarchy(root, (d) => (collapsed.has(d.path) ? null : d.children));
  const rows: StoreRow[] = [];
  let maxX = 0;
  tree.eachBefore((n) => {
    const x = n.depth * options.indent;
    if (x > maxX) maxX = x;
    rows.push({
      path: n.data.path,
      name: n.data.name,
      depth: n.depth,
      x,
      y: rows.length * options.rowHeight,
      hasChildren: n.data.children.length > 0,
      collapsed: n.data.children.length > 0 && collapsed.has(n.data.path),
    });
  });
  return { rows, height: rows.length * options.rowHeight, maxX };
}

/** The tree below `path` read through `getNode` (the store's node lookup), children in order. */
export function readStoreTree(
  getNode: (path: string) => { children: readonly string[] } | undefined,
  path = '/',
): StoreTreeNode {
  const node = getNode(path);
  const name = path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
  const children = (node?.children ?? []).map((c) =>
    readStoreTree(getNode, path === '/' ? `/${c}` : `${path}/${c}`),
  );
  return { name, path, children };
}

/**
 * What the store view shows at the cursor: the tree read from the store, with the nodes the last
 * step removed kept as ghosts under their parent (so a removal can fade out where it was), and per
 * node its value, owner and permissions. Pure: it reads the store through `getNode` (the store's
 * copy-free getNodeView).
 */
import type { TraceEntry } from '../../sim/world/trace';
import { binaryToBytes, bytesToString, getParent, type NodeView } from '../../xenstore';
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
export function permsText(perms: NodeView['perms']): string {
  let out = '';
  for (const p of perms) out += `${out === '' ? '' : ' '}${p.access}${p.domid}`;
  return out;
}

/** Values as text, by their stored bytes (a binary string): the tree is read every frame. */
const TEXT = new Map<string, string>();
const MAX_CACHED = 20_000;

const isAscii = (s: string) => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};

/** A stored value (one character per byte) as UTF-8 text. */
export function valueText(binary: string): string {
  let text = TEXT.get(binary);
  if (text === undefined) {
    text = isAscii(binary) ? binary : bytesToString(binaryToBytes(binary));
    if (TEXT.size >= MAX_CACHED) TEXT.clear();
    TEXT.set(binary, text);
  }
  return text;
}

const nameOf = (path: string) => (path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1));

/** What the step just run did to the store: nodes written (with the old value) and removed. */
export interface StepMarks {
  written: Map<string, string | null>;
  removed: Map<string, string>;
  /** removed paths by parent, to keep them in the tree as ghosts */
  ghosts: Map<string, string[]>;
}

export function stepMarks(last: TraceEntry | null): StepMarks {
  const marks: StepMarks = { written: new Map(), removed: new Map(), ghosts: new Map() };
  for (const e of last?.effects ?? []) {
    if (e.k === 'node-write') marks.written.set(e.path, e.old);
    else if (e.k === 'node-remove') {
      marks.removed.set(e.path, e.old);
      const parent = getParent(e.path);
      marks.ghosts.set(parent, [...(marks.ghosts.get(parent) ?? []), e.path]);
    }
  }
  return marks;
}

/**
 * The tree below `/`, with the removed nodes of `marks` kept as ghosts under their parent.
 * `previous` holds the subtrees of the last read by path: a subtree whose children are unchanged
 * is returned as the very same object, so a read where only values changed allocates nothing and
 * gives back the same root (and the layout of it need not be computed again).
 */
export function readStoreTree(
  getNode: (path: string) => NodeView | undefined,
  marks: StepMarks,
  previous: Map<string, StoreTreeNode>,
): StoreTreeNode {
  const read = (path: string): StoreTreeNode => {
    const node = getNode(path);
    const gone = marks.ghosts.get(path);
    const own = node?.children ?? [];
    const childPaths = gone === undefined ? own : [...own, ...gone.filter((g) => !own.includes(g))];
    const children: StoreTreeNode[] = [];
    let same = true;
    const prev = previous.get(path);
    for (let i = 0; i < childPaths.length; i++) {
      const c = read(childPaths[i] as string);
      children.push(c);
      if (prev === undefined || prev.children[i] !== c) same = false;
    }
    if (prev !== undefined && same && prev.children.length === children.length) return prev;
    const made = { name: nameOf(path), path, children };
    previous.set(path, made);
    return made;
  };
  return read('/');
}

/** One node's value, owner and permissions, and what the last step did to it (a row's text). */
export function storeNodeInfo(
  getNode: (path: string) => NodeView | undefined,
  path: string,
  marks: StepMarks,
): StoreNodeInfo {
  const node = getNode(path);
  if (node === undefined)
    return { value: marks.removed.get(path) ?? '', perms: '', owner: null, removed: true, written: null };
  const old = marks.written.get(path);
  return {
    value: valueText(node.value),
    perms: permsText(node.perms),
    owner: node.perms[0]?.domid ?? null,
    removed: false,
    written: old === undefined ? null : { old },
  };
}

/** The whole tree and every node's info at once (tests, small stores). */
export function readStoreRows(
  getNode: (path: string) => NodeView | undefined,
  last: TraceEntry | null,
): { root: StoreTreeNode; info: Map<string, StoreNodeInfo> } {
  const marks = stepMarks(last);
  const root = readStoreTree(getNode, marks, new Map());
  const info = new Map<string, StoreNodeInfo>();
  const visit = (n: StoreTreeNode) => {
    info.set(n.path, storeNodeInfo(getNode, n.path, marks));
    n.children.forEach(visit);
  };
  visit(root);
  return { root, info };
}

/**
 * The inspector's device machine graph: the states of an XState v5 machine as boxes in one column and
 * its state changes as curved edges. Pure: no DOM; units are pixels.
 *
 * Nodes are the leaf states (a compound state such as kexec's `inSuccessor` shows as its children,
 * `inSuccessor.booting`), each id the dotted path a snapshot value gives. XenbusState names come in
 * enum order (Initialising, InitWait, Initialised, Connected, Closing, Closed), other states after them
 * in definition order. Forward edges bulge to the right, backward ones (reconnects) to the left.
 *
 * The driver machines move only on SWITCHED, the echo of xenbus_switch_state() from any state, so an
 * edge is drawn from its cause instead: a transition that can run in state S (stateIn guards evaluated,
 * other guards taken as possible) and either targets T or calls a routine that switches to T.
 */
import { and, not, or, stateIn, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { XENBUS_STATE_NAMES } from '../../drivers/xenbusState';

export interface MachineNode {
  /** dotted state path: 'Connected', 'inSuccessor.booting' */
  id: string;
  label: string;
  /** top-left corner and size of the box, px */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MachineEdge {
  /** `${from}->${to}` */
  id: string;
  from: string;
  to: string;
  /** event types of every transition (guarded alternatives included) causing this change */
  events: string[];
  /** 'forward' when `to` comes after `from` in the column */
  direction: 'forward' | 'back';
  /** cubic Bézier from the source box's side to the target box's side (arrowhead: the caller's marker) */
  d: string;
  /** the curve's midpoint */
  labelX: number;
  labelY: number;
}

export interface MachineGraph {
  nodes: MachineNode[];
  edges: MachineEdge[];
  width: number;
  height: number;
}

/**
 * All px: a label character's approximate width, box height, padding inside a box, gap between boxes,
 * how far an edge bulges out per row it spans, margin round the drawing.
 */
export interface MachineGraphOptions {
  charWidth: number;
  nodeHeight: number;
  padX: number;
  gap: number;
  bend: number;
  margin: number;
}

export const MACHINE_GRAPH_DEFAULTS: MachineGraphOptions = {
  charWidth: 7,
  nodeHeight: 24,
  padX: 8,
  gap: 18,
  bend: 22,
  margin: 4,
};

/** xenbus_switch_state() callers among the drivers' actions: the states each can switch to. */
const SWITCHES: Readonly<Record<string, (params: Record<string, unknown>) => readonly unknown[]>> = {
  switchState: (p) => [p['state']],
  // set_backend_state(): one edge to the target; each hop of the walk is an edge of its own cause
  setBackendState: (p) => [p['target']],
  devFatal: () => ['Closing'],
  frontendClosed: () => ['Closed'],
  // xenbus_closing_done(): Initialising if shutdown_in_progress, else Closed
  closingDone: () => ['Initialising', 'Closed'],
  blkifRecover: () => ['Connected'],
  finishConnectHop: () => ['Connected'],
  // hotplug_status_changed(): the pending state, Connected once the hotplug-status watch is set
  completePendingState: () => ['Connected'],
};
/** events that only report a switch already drawn from its cause */
const ECHO_EVENTS = new Set(['SWITCHED']);

/** The node id of a snapshot value: 'Connected', { inSuccessor: 'booting' } → 'inSuccessor.booting'. */
export function stateIdOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  return Object.entries(value)
    .map(([key, child]) => `${key}.${stateIdOf(child)}`)
    .join(',');
}

export const edgeIdOf = (from: string, to: string): string => `${from}->${to}`;

/** The ids of the edges that trace `transition` effects ({from, to} node ids) took; self-transitions have none. */
export function takenEdges(
  graph: MachineGraph,
  transitions: Iterable<{ from: string; to: string }>,
): Set<string> {
  const ids = new Set(graph.edges.map((e) => e.id));
  const taken = new Set<string>();
  for (const { from, to } of transitions) if (ids.has(edgeIdOf(from, to))) taken.add(edgeIdOf(from, to));
  return taken;
}

const cache = new WeakMap<AnyStateMachine, Map<string, MachineGraph>>();

/** The graph of `machine`, cached per machine and options (call it on every render). */
export function machineGraph(machine: AnyStateMachine, options?: Partial<MachineGraphOptions>): MachineGraph {
  const o = { ...MACHINE_GRAPH_DEFAULTS, ...options };
  const key = JSON.stringify(o);
  let byOptions = cache.get(machine);
  if (!byOptions) cache.set(machine, (byOptions = new Map()));
  let graph = byOptions.get(key);
  if (!graph) byOptions.set(key, (graph = layOut(machine, o)));
  return graph;
}

// ---- reading the definition ----

const idOf = (n: AnyStateNode): string => n.path.join('.');
const leavesOf = (n: AnyStateNode): AnyStateNode[] =>
  Object.values(n.states as Record<string, AnyStateNode>).flatMap((c) =>
    c.type === 'history' ? [] : Object.keys(c.states).length === 0 ? [c] : leavesOf(c),
  );
/** the leaf a target enters: the initial child, all the way down (parallel regions are not drawn) */
const enteredLeaf = (n: AnyStateNode): AnyStateNode | undefined =>
  n.type === 'compound' ? (n.initial.target[0] ? enteredLeaf(n.initial.target[0]) : undefined) : n;

const checkOf = (g: unknown): unknown => (g as { check?: unknown }).check;
const [AND, OR, NOT, IN] = [and([]), or([]), not(() => true), stateIn('#')].map(checkOf);

/** A guard seen from `leaf`: true or false where stateIn decides it, undefined where the context does. */
function guardIn(guard: unknown, leaf: AnyStateNode): boolean | undefined {
  if (guard === undefined) return true;
  const name = typeof guard === 'string' ? guard : (guard as { type?: unknown }).type;
  const impl: unknown =
    typeof guard === 'function' ? guard : leaf.machine.implementations.guards[String(name)];
  if (typeof impl !== 'function') return undefined;
  const g = impl as { check?: unknown; guards?: unknown[]; stateValue?: unknown };
  if (g.check === IN) {
    const ref = g.stateValue;
    if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
    const target = leaf.machine.getStateNodeById(ref.slice(1));
    for (let n: AnyStateNode | undefined = leaf; n; n = n.parent) if (n === target) return true;
    return false;
  }
  const parts = (g.guards ?? []).map((p) => guardIn(p, leaf));
  if (g.check === AND) return parts.includes(false) ? false : parts.every((p) => p) || undefined;
  if (g.check === OR) return parts.includes(true) || (parts.every((p) => p === false) ? false : undefined);
  if (g.check === NOT) return parts[0] === undefined ? undefined : !parts[0];
  return undefined;
}

/** The states an action switches the device to: 'switchState' with { state: 'Closed' } → ['Closed']. */
function switchesOf(action: unknown): string[] {
  const a = (typeof action === 'string' ? { type: action } : action) as { type?: unknown; params?: unknown };
  const params = typeof a.params === 'object' && a.params !== null ? a.params : {};
  const states = SWITCHES[String(a.type)]?.(params as Record<string, unknown>) ?? [];
  return states.filter((s) => typeof s === 'string');
}

/** Where each transition that can run in `leaf` leads: [event type, target id][], echo events left out. */
function changesFrom(leaf: AnyStateNode, ids: ReadonlySet<string>): [string, string][] {
  const changes: [string, string][] = [];
  const settled = new Set<string>(); // events a definitely-enabled candidate below already takes
  for (let n: AnyStateNode | undefined = leaf; n; n = n.parent) {
    const lists = [...n.transitions, ['always', n.always ?? []] as const];
    for (const [event, candidates] of lists) {
      if (settled.has(event) || settled.has('*')) continue;
      for (const t of candidates) {
        const enabled = guardIn(t.guard, leaf);
        if (enabled === false) continue;
        if (!ECHO_EVENTS.has(event)) {
          for (const target of t.target ?? []) {
            const entered = enteredLeaf(target);
            if (entered) changes.push([event, idOf(entered)]);
          }
          for (const to of t.actions.flatMap(switchesOf)) if (ids.has(to)) changes.push([event, to]);
        }
        if (enabled) {
          settled.add(event);
          break;
        }
      }
    }
  }
  return changes;
}

// ---- layout ----

function layOut(machine: AnyStateMachine, o: MachineGraphOptions): MachineGraph {
  // 1. leaves in column order: XenbusState enum order first, then definition order
  const rankOf = (id: string, i: number) => {
    const x = (XENBUS_STATE_NAMES as readonly string[]).indexOf(id);
    return x >= 0 ? x : XENBUS_STATE_NAMES.length + i;
  };
  const leaves = leavesOf(machine.root)
    .map((n, i) => ({ n, id: idOf(n), rank: rankOf(idOf(n), i) }))
    .sort((a, b) => a.rank - b.rank);
  const row = new Map(leaves.map((l, i) => [l.id, i]));
  const ids = new Set(row.keys());

  // 2. edges {from, to, events}, one per pair, no self-loops; from a final state nothing leaves
  const pairs = new Map<string, { from: string; to: string; events: string[] }>();
  for (const { n, id: from } of leaves) {
    if (n.type === 'final') continue;
    for (const [event, to] of changesFrom(n, ids)) {
      if (to === from) continue;
      const key = edgeIdOf(from, to);
      const pair = pairs.get(key) ?? { from, to, events: [] };
      if (!pair.events.includes(event)) pair.events.push(event);
      pairs.set(key, pair);
    }
  }

  // 3. boxes centred on x = 0, one row each, then edges as cubic arcs from side to side
  const step = o.nodeHeight + o.gap;
  const nodes = leaves.map(({ id }, i) => {
    const width = id.length * o.charWidth + 2 * o.padX;
    return { id, label: id, x: -width / 2, y: i * step, width, height: o.nodeHeight };
  });
  const half = Math.max(...nodes.map((n) => n.width / 2));
  const rowOf = (id: string) => row.get(id) ?? 0;
  const byRows = (e: { from: string; to: string }) => rowOf(e.from) * nodes.length + rowOf(e.to);
  const arcs = [...pairs.values()]
    .sort((a, b) => byRows(a) - byRows(b))
    .map((pair) => {
      const [i, j] = [rowOf(pair.from), rowOf(pair.to)];
      const side = j > i ? 1 : -1; // forward edges on the right, backward on the left
      const edgeOf = (k: number) => side * ((nodes[k]?.width ?? 0) / 2);
      const xc = side * (half + o.bend * Math.abs(j - i));
      // leave from the lower quarter of a side, arrive at the upper one (mirrored for backward edges)
      const [x0, y0] = [edgeOf(i), i * step + o.nodeHeight * (side > 0 ? 0.75 : 0.25)];
      const [x3, y3] = [edgeOf(j), j * step + o.nodeHeight * (side > 0 ? 0.25 : 0.75)];
      const pts = [x0, y0, xc, y0, xc, y3, x3, y3] as const;
      const mid = [(x0 + 6 * xc + x3) / 8, (y0 + y3) / 2] as const; // B(½) = (P0 + 3·P1 + 3·P2 + P3) / 8
      const reach = (pair.events.join(', ').length * o.charWidth) / 2;
      return { ...pair, side, pts, mid, lo: Math.min(xc, mid[0] - reach), hi: Math.max(xc, mid[0] + reach) };
    });

  // 4. shift so the leftmost curve or label sits at the margin; round to 0.1 px for stable strings
  const dx = o.margin - Math.min(-half, ...arcs.map((a) => a.lo));
  const dy = o.margin;
  const r = (v: number) => Math.round(v * 10) / 10;
  const P = (x: number, y: number) => `${r(x + dx)} ${r(y + dy)}`;
  return {
    nodes: nodes.map((n) => ({ ...n, x: r(n.x + dx), y: r(n.y + dy) })),
    edges: arcs.map(({ from, to, events, side, pts: [x0, y0, x1, y1, x2, y2, x3, y3], mid }) => ({
      id: edgeIdOf(from, to),
      from,
      to,
      events,
      direction: side > 0 ? 'forward' : 'back',
      d: `M ${P(x0, y0)} C ${P(x1, y1)}, ${P(x2, y2)}, ${P(x3, y3)}`,
      labelX: r(mid[0] + dx),
      labelY: r(mid[1] + dy),
    })),
    width: r(Math.max(half, ...arcs.map((a) => a.hi)) + dx + o.margin),
    height: r(nodes.length * step - o.gap + 2 * o.margin),
  };
}

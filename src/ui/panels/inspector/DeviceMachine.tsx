import type { AnyStateMachine } from 'xstate';
import { WORLD_DEPS } from '../../../sim/world/createWorld';
import { useTraceDerived } from '../../app/useTraceDerived';
import { useView } from '../../app/useView';
import { useWorldAt } from '../../app/useWorldAt';
import { machineGraph, takenEdges } from '../../layout/machineGraph';
import { createDeviceHistory, transitionsBefore } from '../../model/deviceHistory';
import { useTimeline } from '../../app/useTimeline';

interface EndInfo {
  key: string;
  machine: string;
  state: string;
}

/** One machine drawn from its XState definition: current state filled, transitions taken so far marked. */
function MachineDiagram({
  title,
  machine,
  state,
  taken,
}: {
  title: string;
  machine: AnyStateMachine;
  state: string;
  taken: Array<{ from: string; to: string }>;
}) {
  const graph = machineGraph(machine);
  const done = takenEdges(graph, taken);
  return (
    <figure className="machine" data-testid={`machine.${title}`}>
      <figcaption>
        {title}: <strong>{state}</strong>
      </figcaption>
      <svg
        width={graph.width}
        height={graph.height}
        role="img"
        aria-label={`${title} state machine, now ${state}`}
      >
        <defs>
          <marker
            id="machine-arrow"
            viewBox="0 0 8 8"
            refX="7"
            refY="4"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L8,4 L0,8 z" className="machine__head" />
          </marker>
        </defs>
        {graph.edges.map((e) => (
          <g
            key={e.id}
            className={`medge${done.has(e.id) ? ' medge--taken' : ''}`}
            data-taken={done.has(e.id)}
          >
            <path d={e.d} markerEnd="url(#machine-arrow)" />
            <title>{`${e.from} → ${e.to}: ${e.events.join(', ')}`}</title>
          </g>
        ))}
        {graph.nodes.map((n) => (
          <g
            key={n.id}
            className={`mnode state--${n.id}${n.id === state ? ' mnode--current' : ''}`}
            data-current={n.id === state}
          >
            <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={5} />
            <text x={n.x + n.width / 2} y={n.y + n.height / 2 + 4} textAnchor="middle">
              {n.label}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** The selected device pair's machines (backend and newest frontend), as XState defines them. */
export function DeviceMachine() {
  const selected = useView((s) => s.device);
  const history = useTraceDerived(createDeviceHistory);
  const cursor = useTimeline((s) => s.cursor);
  const ends = useWorldAt((w) => {
    if (w === null || selected === null) return null;
    const out: EndInfo[] = [];
    // the pair is named by its frontend node: the backend's other end, the frontends' own node
    for (const d of w.devices.values())
      if ((d.side === 'backend' ? d.otherend : d.nodename) === selected)
        out.push({ key: d.key, machine: d.machine, state: w.deviceState(d.key) });
    // the backend, then the frontends, the newest kernel's first (K2 before K1)
    const rank = (e: EndInfo) => (e.key.includes('|backend/') ? 0 : 1);
    return out.sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  });
  if (selected === null)
    return <p className="inspector__hint">Choose a device on the world map to see its state machines.</p>;
  if (ends === null || ends.length === 0)
    return <p className="inspector__hint">{selected}: no driver holds this device at this step.</p>;
  return (
    <div className="machines">
      {ends.map((e) => {
        const machine = WORLD_DEPS.machines[e.machine];
        if (machine === undefined) return null;
        const taken = transitionsBefore(history, e.key, cursor);
        return <MachineDiagram key={e.key} title={e.key} machine={machine} state={e.state} taken={taken} />;
      })}
    </div>
  );
}

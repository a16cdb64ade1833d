import type { RxBufferState } from '../../../hypervisor/effects';
import type { SharedRing as Ring, SlotState } from '../../../hypervisor/types';
import { indexMarker, ringRuns, ringSlots, slotArc, slotAt, type RingGeometry } from '../../layout/ringSlots';

/** What a slot is drawn as: its ring state, or for a netfront rx slot what became of its buffer. */
export type SlotLook = 'free' | 'request' | 'service' | 'response' | 'posted' | 'transferred' | 'leaked';

const SLOT_LOOK: Record<SlotState, SlotLook> = {
  free: 'free',
  'request-written': 'request',
  'request-posted': 'request',
  'in-service': 'service',
  'response-written': 'response',
  'response-ready': 'response',
};

export const SLOT_LABELS: Record<SlotLook, string> = {
  free: 'free',
  request: 'request posted',
  service: 'being served',
  response: 'response ready',
  posted: 'rx buffer posted',
  transferred: 'transferred back',
  leaked: 'leaked',
};

/** A slot's look: an rx buffer's fate wins over the slot state once the buffer left the ring. */
export function slotLook(state: SlotState, rx: RxBufferState | undefined): SlotLook {
  if (rx === 'leaked') return 'leaked';
  if (rx === 'transferred') return 'transferred';
  if (rx === 'posted' && state !== 'free') return 'posted';
  return SLOT_LOOK[state];
}

const GEOMETRY: RingGeometry = { radius: 36, thickness: 11, padAngle: 0.02 };

interface SharedRingProps {
  ring: Ring;
  cx: number;
  cy: number;
  rx: ReadonlyMap<number, RxBufferState>;
  /** the last step changed this ring */
  lit: boolean;
  /** the slot selected on this ring, if any */
  selected?: number | null;
  /** a click on a slot selects it */
  onSelectSlot?: (slot: number) => void;
}

/**
 * A shared ring as a circle of slots (slot 0 at twelve o'clock, clockwise), coloured by state, with
 * the producer and consumer indices of both sides as ticks: req_prod (frontend), req_cons (backend),
 * rsp_prod (backend), rsp_cons (frontend).
 */
export function SharedRing({ ring, cx, cy, rx, lit, selected = null, onSelectSlot }: SharedRingProps) {
  const counts = new Map<SlotLook, number>();
  const looks: SlotLook[] = [];
  for (let i = 0; i < ring.nrEnts; i++) {
    const look = slotLook(ring.slots[i]?.state ?? 'free', rx.get(i));
    counts.set(look, (counts.get(look) ?? 0) + 1);
    looks.push(look);
  }
  // up to 64 slots each is drawn; a larger ring (netif: 256) as runs of equal slots, to keep the SVG small
  const runs =
    ring.nrEnts <= 64
      ? ringSlots(ring.nrEnts, GEOMETRY).map((a) => ({ first: a.slot, look: looks[a.slot]!, d: a.d }))
      : ringRuns(looks, GEOMETRY);
  const markers: Array<[string, number | undefined]> = [
    ['req_prod', ring.sring.reqProd],
    ['req_cons', ring.back?.reqCons],
    ['rsp_prod', ring.sring.rspProd],
    ['rsp_cons', ring.front?.rspCons],
  ];
  const summary = [...counts].map(([look, n]) => `${n} ${SLOT_LABELS[look]}`).join(', ');
  const kind = ring.protocol.replace('netif-', 'net ').replace('blkif', 'blk');
  return (
    <g
      className={`ring${lit ? ' ring--lit' : ''}`}
      transform={`translate(${cx},${cy})`}
      data-testid={`ring.${ring.id}`}
      data-leaked={counts.get('leaked') ?? 0}
      role="img"
      aria-label={`${ring.label}: ${summary}; req_prod ${ring.sring.reqProd}, rsp_prod ${ring.sring.rspProd}`}
      onClick={
        onSelectSlot === undefined
          ? undefined
          : (e) => {
              const ctm = e.currentTarget.getScreenCTM();
              if (ctm === null) return;
              const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
              // only the ring itself, not its centre label
              if (Math.hypot(p.x, p.y) < GEOMETRY.radius - GEOMETRY.thickness - 2) return;
              onSelectSlot(slotAt(p.x, p.y, ring.nrEnts));
            }
      }
    >
      <title>{`${ring.label}\n${summary}\nreq_prod ${ring.sring.reqProd} · req_cons ${ring.back?.reqCons ?? '—'} · rsp_prod ${ring.sring.rspProd} · rsp_cons ${ring.front?.rspCons ?? '—'}\ngrant refs ${ring.refs.join(', ') || '—'}`}</title>
      {runs.map((r) => (
        <path key={r.first} d={r.d} className={`slot slot--${r.look}`} />
      ))}
      {selected !== null && selected < ring.nrEnts && (
        <path
          d={slotArc(ring.nrEnts, selected, GEOMETRY)}
          className="slot--selected"
          data-testid="slot.selected"
        />
      )}
      {markers.map(([name, idx], i) =>
        idx === undefined ? null : (
          <MarkerTick key={name} name={name} idx={idx} nrEnts={ring.nrEnts} side={i % 2 === 0 ? 1 : -1} />
        ),
      )}
      <text className="ring__label" textAnchor="middle" dy={-3}>
        {kind}
      </text>
      <text className="ring__label ring__label--sub" textAnchor="middle" dy={9}>
        {ring.front === null && ring.back === null ? 'detached' : `ref ${ring.refs.join(',') || '—'}`}
      </text>
    </g>
  );
}

function MarkerTick({
  name,
  idx,
  nrEnts,
  side,
}: {
  name: string;
  idx: number;
  nrEnts: number;
  side: 1 | -1;
}) {
  const m = indexMarker(idx, nrEnts, GEOMETRY, side > 0 ? 4 : -GEOMETRY.thickness - 4);
  return (
    <g className={`tick tick--${name}`}>
      <circle cx={m.x} cy={m.y} r={2.5} />
      <title>{`${name} = ${idx} (slot ${m.slot})`}</title>
    </g>
  );
}

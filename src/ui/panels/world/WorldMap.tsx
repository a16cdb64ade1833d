import { useMemo } from 'react';
import { useTimeline } from '../../app/useTimeline';
import { useTraceDerived } from '../../app/useTraceDerived';
import { useView } from '../../app/useView';
import { useWorldAt } from '../../app/useWorldAt';
import { useWhyChain } from '../../app/useWhyChain';
import { useXenScope } from '../../app/useXenScope';
import {
  MAP_DEFAULTS,
  ringsOfPair,
  worldMapLayout,
  type ChipBox,
  type PairLayout,
} from '../../layout/worldMap';
import { createDeviceHistory } from '../../model/deviceHistory';
import { createRxIndex, leakedRings, rxStatesAt } from '../../model/rxBuffers';
import { worldView, type DeviceEndView, type DevicePairView } from '../../model/worldView';
import { deviceCommands } from '../../commands/ContextMenu';
import { litBy } from './litBy';
import type { RxBufferState } from '../../../hypervisor/effects';
import type { SharedRing as Ring } from '../../../hypervisor/types';
import { SharedRing, SLOT_LABELS, type SlotLook } from './SharedRing';
import { StateMatrix } from './StateMatrix';

/** Above this many device pairs the map becomes a state matrix (domains × devices). */
export const MATRIX_THRESHOLD = 16;

function Chip({
  box,
  end,
  title,
  selected,
  onSelect,
  onMenu,
  onChain,
}: {
  box: ChipBox;
  end: DeviceEndView;
  title: string;
  selected: boolean;
  onSelect: () => void;
  /** opens the device's context menu at a point on the page */
  onMenu: (x: number, y: number) => void;
  /** a step of the why-chain shown moved this device */
  onChain: boolean;
}) {
  return (
    <g
      className={`chip state--${end.state}${end.gone ? ' chip--gone' : ''}${end.frozen ? ' chip--frozen' : ''}${selected ? ' chip--selected' : ''}${onChain ? ' chip--why' : ''}`}
      transform={`translate(${box.x},${box.y})`}
      data-testid={`device.${end.key}`}
      data-state={end.state}
      role="button"
      tabIndex={0}
      aria-label={`${title}: ${end.state}${end.gone ? ' (its kernel has stopped)' : ''}${end.frozen ? ' (its kernel is frozen)' : ''}`}
      aria-haspopup="menu"
      onClick={onSelect}
      onContextMenu={(e) => {
        e.preventDefault();
        onSelect();
        onMenu(e.clientX, e.clientY);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onSelect();
        if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
          e.preventDefault();
          const r = e.currentTarget.getBoundingClientRect();
          onSelect();
          onMenu(r.left + 12, r.bottom);
        }
      }}
    >
      <rect width={box.width} height={box.height} rx={6} />
      <text x={8} y={16} className="chip__title">
        {title}
      </text>
      <text x={8} y={34} className="chip__state">
        {end.state}
        {end.frozen ? ' · frozen' : end.gone ? ' · gone' : ''}
      </text>
      {end.port !== null && (
        <text x={box.width - 8} y={16} textAnchor="end" className="chip__port">
          port {end.port}
        </text>
      )}
    </g>
  );
}

/**
 * dom0 and each guest: per device a frontend/backend pair with its xenbus states, the shared ring(s)
 * between them, the event channel as a link (lit when signalled), the balloon's driver_pages per
 * domain. During a kexec the old and the new kernel's frontends stand side by side.
 */
export function WorldMap() {
  const app = useXenScope();
  const selected = useView((s) => s.device);
  const slot = useView((s) => s.slot);
  const selectSlot = (ring: string) => (index: number) => app.view.getState().selectSlot({ ring, index });
  const cursor = useTimeline((s) => s.cursor);
  const history = useTraceDerived(createDeviceHistory);
  const rxIndex = useTraceDerived(createRxIndex);
  const view = useWorldAt((w) => (w === null ? null : worldView(w, history)));
  const world = useTimeline((s) => s.world)();
  const zoomed = useView((s) => s.mapZoom);
  const setZoomed = (id: string | null) => app.view.getState().setMapZoom(id);
  const why = useWhyChain();
  const leaks = useMemo(() => leakedRings(rxIndex, cursor), [rxIndex, cursor]);
  const layout = useMemo(() => {
    if (view === null || world === null) return null;
    // rings with leaked buffers that no pair shows any more stay on the map, under their domain
    const shownRings = new Set(view.pairs.flatMap(ringsOfPair));
    const left = new Map<number, string[]>();
    for (const l of leaks) {
      if (!world.hv.rings.has(l.ringId) || shownRings.has(l.ringId)) continue;
      left.set(l.domid, [...(left.get(l.domid) ?? []), l.ringId]);
    }
    return worldMapLayout(view, MAP_DEFAULTS, left);
  }, [view, world, leaks]);
  if (view === null || layout === null || world === null) return null;
  const last = cursor > 0 ? world.trace[cursor - 1] : null;
  const lit = litBy(last);

  if (view.pairs.length > MATRIX_THRESHOLD && zoomed === null)
    return (
      <StateMatrix
        view={view}
        history={history}
        onZoom={(id) => {
          setZoomed(id);
          app.view.getState().selectDevice(id);
        }}
      />
    );
  const shown =
    zoomed === null
      ? layout
      : worldMapLayout({ domains: view.domains, pairs: view.pairs.filter((p) => p.id === zoomed) });

  const dom0 = view.domains.find((d) => d.domid === 0);
  const openMenu = (pair: DevicePairView, device: string, x: number, y: number) => {
    const v = app.view.getState();
    v.setTargetDomid(pair.frontendDomid);
    v.setContextMenu({
      x,
      y,
      title: `dom${pair.frontendDomid} ${pair.type} ${pair.devid}`,
      commands: deviceCommands(pair.type),
      device,
    });
  };
  return (
    <div className="world">
      {zoomed !== null && (
        <button
          type="button"
          className="world__back"
          data-testid="world.matrix"
          onClick={() => setZoomed(null)}
        >
          ← All {view.pairs.length} devices
        </button>
      )}
      <svg
        className="world__map"
        width={MAP_DEFAULTS.width}
        height={Math.max(shown.height, 60)}
        viewBox={`0 0 ${MAP_DEFAULTS.width} ${Math.max(shown.height, 60)}`}
        role="group"
        aria-label="World map"
        data-testid="world"
      >
        <text
          x={MAP_DEFAULTS.padding}
          y={MAP_DEFAULTS.padding + 4}
          className="world__dom0"
          data-testid="domain.0"
        >
          {dom0 === undefined
            ? 'No domains yet.'
            : `dom0 (${dom0.name}): kernel ${dom0.kernels.some((k) => k.alive) ? 'up' : 'not up yet'}; runs xl, ` +
              `the hotplug scripts and every backend below` +
              (shown.domains.length === 0 ? '. No guest domain yet.' : '')}
        </text>
        {shown.domains.map((d) => {
          const own = leaks.filter((r) => r.domid === d.domain.domid);
          return (
            <g key={d.domain.domid} className="domain" data-testid={`domain.${d.domain.domid}`}>
              <rect
                x={4}
                y={d.y}
                width={MAP_DEFAULTS.width - 8}
                height={d.height}
                rx={8}
                className="domain__box"
              />
              <text x={MAP_DEFAULTS.padding} y={d.y + 19} className="domain__title">
                dom{d.domain.domid} {d.domain.name} ({d.domain.kind})
              </text>
              {own.length > 0 && (
                <text x={340} y={d.y + 19} className="domain__leak" data-testid="leaks">
                  leaked rx buffers: {own.reduce((n, l) => n + l.leaked, 0)} in {own.length} ring
                  {own.length > 1 ? 's' : ''}
                </text>
              )}
              {d.leftBehind.map((r) => {
                const ring = world.hv.rings.get(r.id);
                return ring === undefined ? null : (
                  <SharedRing
                    key={r.id}
                    ring={ring}
                    cx={r.cx}
                    cy={r.cy}
                    rx={rxStatesAt(rxIndex, r.id, cursor)}
                    lit={false}
                    selected={slot?.ring === r.id ? slot.index : null}
                    onSelectSlot={selectSlot(r.id)}
                  />
                );
              })}
              {d.leftBehind.length > 0 && (
                <text x={MAP_DEFAULTS.padding} y={d.leftBehind[0]!.cy + 4} className="domain__title">
                  rings left behind
                </text>
              )}
              <g transform={`translate(${MAP_DEFAULTS.width - MAP_DEFAULTS.padding},${d.y + 6})`}>
                {d.domain.kernels.map((k, i) => (
                  <g key={k.actor} transform={`translate(${-(d.domain.kernels.length - i) * 62},0)`}>
                    <rect
                      width={58}
                      height={18}
                      rx={9}
                      className={`kernel ${k.alive ? (k.frozen ? 'kernel--frozen' : 'kernel--alive') : 'kernel--dead'}`}
                    />
                    <text x={29} y={13} textAnchor="middle" className="kernel__label">
                      {k.actor.split('.')[1]} {k.alive ? (k.frozen ? 'frozen' : 'up') : 'gone'}
                    </text>
                  </g>
                ))}
              </g>
              <BalloonMeter x={MAP_DEFAULTS.padding + 150} y={d.y + 10} pages={d.domain.driverPages} />
            </g>
          );
        })}
        {shown.pairs.map((p) => {
          const end = p.pair.frontends.at(-1);
          const portLit = (e: DeviceEndView | null | undefined) =>
            e?.port != null && lit.ports.has(`${e.domid}:${e.port}`);
          const linkLit = portLit(p.pair.backend) || portLit(end);
          return (
            <g key={p.pair.id} className="pair" data-testid={`pair.${p.pair.id}`}>
              {p.link !== null && (
                <g className={`evtchn${linkLit ? ' evtchn--lit' : ''}`}>
                  <path
                    d={`M${p.link.x1},${p.link.top} V${p.link.y} H${p.link.x2} V${p.link.top}`}
                    fill="none"
                  />
                  <text x={(p.link.x1 + p.link.x2) / 2} y={p.link.y + 14} textAnchor="middle">
                    {p.pair.backend?.port != null || end?.port != null
                      ? `evtchn ${p.pair.backend?.port ?? '—'} ↔ ${end?.port ?? '—'}`
                      : 'no event channel'}
                  </text>
                </g>
              )}
              <GrantLink
                pair={p}
                rings={p.rings.flatMap((r) => world.hv.rings.get(r.id) ?? [])}
                litGrants={lit.grants}
              />
              {p.rings.map((r) => {
                const ring = world.hv.rings.get(r.id);
                if (ring === undefined) return null;
                return (
                  <SharedRing
                    key={r.id}
                    ring={ring}
                    cx={r.cx}
                    cy={r.cy + 8}
                    rx={rxStatesAt(rxIndex, r.id, cursor)}
                    lit={
                      lit.rings.has(r.id) || ring.refs.some((ref) => lit.grants.has(`${ring.owner}:${ref}`))
                    }
                    selected={slot?.ring === r.id ? slot.index : null}
                    onSelectSlot={selectSlot(r.id)}
                  />
                );
              })}
              {p.backend !== null && p.pair.backend !== null && (
                <Chip
                  box={p.backend}
                  end={p.pair.backend}
                  title={`${p.pair.type === 'vbd' ? 'blkback' : 'netback'} ${p.pair.devid}`}
                  selected={selected === p.pair.id}
                  onSelect={() => app.view.getState().selectDevice(p.pair.id)}
                  onMenu={(x, y) => openMenu(p.pair, p.pair.backend!.key, x, y)}
                  onChain={why?.devices.has(p.pair.backend.key) === true}
                />
              )}
              {p.frontends.map((box, i) => {
                const f = p.pair.frontends[i]!;
                return (
                  <Chip
                    key={f.key}
                    box={box}
                    end={f}
                    title={`${p.pair.type === 'vbd' ? 'blkfront' : 'netfront'} ${f.actor.split('.')[1]}`}
                    selected={selected === p.pair.id}
                    onSelect={() => app.view.getState().selectDevice(p.pair.id)}
                    onMenu={(x, y) => openMenu(p.pair, f.key, x, y)}
                    onChain={why?.devices.has(f.key) === true}
                  />
                );
              })}
            </g>
          );
        })}
      </svg>
      {slot !== null && (
        <SlotDetails
          ring={world.hv.rings.get(slot.ring)}
          id={slot.ring}
          index={slot.index}
          rx={rxStatesAt(rxIndex, slot.ring, cursor).get(slot.index)}
          onClose={() => app.view.getState().selectSlot(null)}
        />
      )}
      <RingLegend />
    </div>
  );
}

/** The balloon's driver_pages: pages handed to drivers and not given back. */
function BalloonMeter({ x, y, pages }: { x: number; y: number; pages: number }) {
  const full = Math.max(256, pages);
  return (
    <g className="balloon" transform={`translate(${x},${y})`} data-testid="balloon" data-pages={pages}>
      <title>{`balloon driver_pages: ${pages}`}</title>
      <rect width={60} height={10} rx={3} className="balloon__track" />
      <rect width={(60 * pages) / full} height={10} rx={3} className="balloon__fill" />
      <text x={66} y={9} className="balloon__label">
        driver_pages {pages}
      </text>
    </g>
  );
}

const payload = (p: Readonly<Record<string, unknown>> | null) =>
  p === null
    ? '—'
    : Object.entries(p)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ') || '—';

/** The selected ring slot: its state, the ring index that last wrote it, request and response, rx buffer. */
function SlotDetails({
  ring,
  id,
  index,
  rx,
  onClose,
}: {
  ring: Ring | undefined;
  id: string;
  index: number;
  rx: RxBufferState | undefined;
  onClose: () => void;
}) {
  const s = ring?.slots[index];
  return (
    <div className="slot-details" data-testid="slot.details" aria-live="polite">
      {ring === undefined || s === undefined ? (
        <span>
          Ring {id} slot {index}: no such ring at this step.
        </span>
      ) : (
        <span>
          <strong>
            {ring.label}, slot {index}
          </strong>
          : {s.state}
          {s.idx === null ? '' : ` (written at ring index ${s.idx})`}; request {payload(s.req)}; response{' '}
          {payload(s.rsp)}
          {rx === undefined ? '' : `; rx buffer ${rx}`}
        </span>
      )}
      <button
        type="button"
        className="banner-dismiss"
        aria-label="Clear the slot selection"
        onClick={onClose}
      >
        ×
      </button>
    </div>
  );
}

/** What the slot colours mean. */
function RingLegend() {
  return (
    <ul className="legend" aria-label="Ring slot colours">
      {(Object.keys(SLOT_LABELS) as SlotLook[]).map((look) => (
        <li key={look}>
          <svg width={12} height={12} aria-hidden="true">
            <rect width={12} height={12} rx={2} className={`slot slot--${look}`} />
          </svg>
          {SLOT_LABELS[look]}
        </li>
      ))}
    </ul>
  );
}

/**
 * The ring pages' grant references as the link between the pair: the frontend grants, the backend
 * maps. Lit in a step that mapped, unmapped or copied through one of them.
 */
function GrantLink({
  pair,
  rings,
  litGrants,
}: {
  pair: PairLayout;
  rings: ReadonlyArray<{ owner: number; refs: number[] }>;
  litGrants: ReadonlySet<string>;
}) {
  const front = pair.frontends.at(-1);
  const refs = rings.flatMap((r) => r.refs.map((ref) => ({ owner: r.owner, ref })));
  if (pair.backend === null || front === undefined || refs.length === 0) return null;
  const lit = refs.some((g) => litGrants.has(`${g.owner}:${g.ref}`));
  const y = pair.backend.y + pair.backend.height / 2;
  const x1 = pair.backend.x + pair.backend.width;
  return (
    <g className={`grant${lit ? ' grant--lit' : ''}`} data-testid={`grant.${pair.pair.id}`}>
      <line x1={x1} x2={front.x} y1={y} y2={y} />
      <text x={x1 + 6} y={y - 5}>
        gref {refs.map((g) => g.ref).join(', ')}
      </text>
    </g>
  );
}

import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TraceEntry } from '../../../sim/world/trace';
import { useTimeline } from '../../app/useTimeline';
import { useView } from '../../app/useView';
import { useWorldAt } from '../../app/useWorldAt';
import { useXenScope } from '../../app/useXenScope';
import { storeTreeLayout, STORE_TREE_DEFAULTS } from '../../layout/storeTree';
import { visibleRows } from '../../layout/virtualRows';
import { readStoreRows } from '../../model/storeRows';
import { WatchPulses } from './WatchPulses';

const ROW_H = STORE_TREE_DEFAULTS.rowHeight;

/** How far back the store view looks for the latest change to show. */
const LOOK_BACK = 2000;

/** The path the latest store change before `cursor` touched (a write or a removal), if recent. */
export function latestChange(trace: readonly TraceEntry[], cursor: number): string | null {
  for (let i = cursor - 1; i >= 0 && i >= cursor - LOOK_BACK; i--)
    for (const e of trace[i]?.effects ?? []) if (e.k === 'node-write' || e.k === 'node-remove') return e.path;
  return null;
}

/** How strongly the last step's marks show: full while paused on it, fading as playback moves on. */
function useFlashStrength(): number {
  return useView((s) => (s.clock.playing ? Math.max(0.15, 1 - (s.clock.position % 1)) : 1));
}

/**
 * The xenstore tree at the cursor as an indented, collapsible list. The last step's writes flash
 * with old → new, its removals fade out where they were, and watch events travel from the node to
 * the watching domain (WatchPulses). Value, owner and permissions show on hover or focus.
 */
export function StoreView() {
  const app = useXenScope();
  const selected = useView((s) => s.node);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const { root, info } = useWorldAt((w, cursor) =>
    w === null
      ? null
      : readStoreRows((p) => w.store.getNode(p), cursor > 0 ? (w.trace[cursor - 1] ?? null) : null),
  ) ?? { root: null, info: new Map() };
  const layout = useMemo(() => (root === null ? null : storeTreeLayout(root, collapsed)), [root, collapsed]);
  const flash = useFlashStrength();
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 300, width: 400 });
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const cursor = useTimeline((s) => s.cursor);
  const world = useTimeline((s) => s.world);
  // the node the latest store change touched sits in the middle of the view: a function of the
  // cursor alone, so stepping back shows exactly the picture from before
  useLayoutEffect(() => {
    const el = scroller.current;
    const trace = world()?.trace;
    if (el === null || layout === null || trace === undefined) return;
    const path = latestChange(trace, cursor);
    const row = path === null ? -1 : layout.rows.findIndex((r) => r.path === path);
    if (row < 0) return;
    const top = Math.max(0, row * ROW_H - (el.clientHeight - ROW_H) / 2);
    if (top !== el.scrollTop) el.scrollTop = top;
  }, [cursor, layout, world]);
  if (layout === null) return null;

  const { first, end } = visibleRows(layout.rows.length, ROW_H, view.top, view.height);
  const toggle = (path: string) => {
    const next = new Set(collapsed);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setCollapsed(next);
  };
  const rowOf = new Map(layout.rows.map((r, i) => [r.path, i]));

  return (
    <div
      className="store"
      ref={scroller}
      data-testid="store"
      onScroll={(e) =>
        setView({
          top: e.currentTarget.scrollTop,
          height: e.currentTarget.clientHeight,
          width: e.currentTarget.clientWidth,
        })
      }
    >
      <div className="store__canvas" style={{ height: layout.height }} role="tree" aria-label="xenstore">
        {layout.rows.slice(first, end).map((r) => {
          const i = info.get(r.path);
          const written = i?.written ?? null;
          const cls = [
            'store__row',
            written !== null ? 'store__row--written' : '',
            i?.removed === true ? 'store__row--removed' : '',
            selected === r.path ? 'store__row--selected' : '',
          ].join(' ');
          const meta =
            i === undefined || i.removed ? 'removed' : `owner dom${i.owner ?? '?'} · perms ${i.perms}`;
          return (
            <div
              key={r.path}
              className={cls}
              style={{
                top: r.y,
                height: ROW_H,
                ['--flash' as string]: written !== null || i?.removed === true ? flash : 0,
              }}
              role="treeitem"
              aria-level={r.depth + 1}
              aria-expanded={r.hasChildren ? !r.collapsed : undefined}
              aria-selected={selected === r.path}
              data-testid={`store.node.${r.path}`}
              data-value={i?.value ?? ''}
            >
              <span style={{ width: r.x }} className="store__indent" />
              {r.hasChildren ? (
                <button
                  type="button"
                  className="store__toggle"
                  aria-label={`${r.collapsed ? 'Expand' : 'Collapse'} ${r.path}`}
                  onClick={() => toggle(r.path)}
                >
                  {r.collapsed ? '▸' : '▾'}
                </button>
              ) : (
                <span className="store__toggle" />
              )}
              <button
                type="button"
                className="store__name"
                aria-describedby={`meta-${r.path}`}
                onClick={() => app.view.getState().selectNode(r.path)}
              >
                {r.name}
              </button>
              {i !== undefined && i.value !== '' && (
                <span className="store__value">
                  {written !== null && written.old !== null && (
                    <>
                      <s className="store__old">{written.old}</s> →{' '}
                    </>
                  )}
                  “{i.value}”
                </span>
              )}
              <span className="store__meta" id={`meta-${r.path}`}>
                {meta}
              </span>
            </div>
          );
        })}
        <WatchPulses rowOf={rowOf} rowHeight={ROW_H} width={view.width} />
      </div>
    </div>
  );
}

import { useMemo } from 'react';
import { useFollowScroll } from '../../app/useFollowScroll';
import { useTimeline } from '../../app/useTimeline';
import { useView } from '../../app/useView';
import { useTraceDerived } from '../../app/useTraceDerived';
import { useWhyChain } from '../../app/useWhyChain';
import { chainForEffect } from '../../model/whyChain';
import { useXenScope } from '../../app/useXenScope';
import { storeTreeLayout, STORE_TREE_DEFAULTS } from '../../layout/storeTree';
import { visibleRows } from '../../layout/virtualRows';
import { createStoreChanges, lastStoreChange } from '../../model/storeChanges';
import type { StoreTreeNode } from '../../layout/storeTree';
import { readStoreTree, stepMarks, storeNodeInfo } from '../../model/storeRows';
import { WatchPulses } from './WatchPulses';

const ROW_H = STORE_TREE_DEFAULTS.rowHeight;

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
  const collapsed = useView((s) => s.collapsed);
  const collapseKey = useMemo(() => [...collapsed].sort().join('\n'), [collapsed]);
  const cursor = useTimeline((s) => s.cursor);
  const world = useTimeline((s) => s.world);
  const traceVersion = useTimeline((s) => s.traceVersion);
  const changes = useTraceDerived(createStoreChanges);
  // the tree is read again only when a step changed the store: at the step just after a change
  // (with its flashes and ghosts), and once more when the cursor moves past it (without them)
  const last = lastStoreChange(changes, cursor);
  const treeKey = last?.seq ?? -1;
  const flashing = last !== null && last.seq === cursor - 1;
  // subtrees of the last read, by path, for this trace: reused where nothing came or went
  // eslint-disable-next-line react-hooks/exhaustive-deps -- a new trace starts a new cache
  const subtrees = useMemo(() => new Map<string, StoreTreeNode>(), [world, traceVersion]);
  const w = world();
  const getNode = (p: string) => w?.store.getNodeView(p);
  const marks = useMemo(
    () => stepMarks(flashing ? (w?.trace[cursor - 1] ?? null) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the step is named by treeKey and flashing
    [w, traceVersion, treeKey, flashing],
  );
  const root = useMemo(() => {
    if (w === null) return null;
    return readStoreTree((p) => w.store.getNodeView(p), marks, subtrees);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the store is the same while treeKey is
  }, [w, subtrees, treeKey, marks]);
  const layout = useMemo(() => (root === null ? null : storeTreeLayout(root, collapsed)), [root, collapsed]);
  const rowOf = useMemo(() => new Map(layout?.rows.map((r, i) => [r.path, i]) ?? []), [layout]);
  const flash = useFlashStrength();
  const why = useWhyChain();
  // the node the latest store change touched sits in the middle of the view: a function of the
  // cursor alone, so stepping back shows exactly the picture from before
  const centre = last === null ? undefined : rowOf.get(last.path);
  const { ref: scrollRef, ...scroll } = useFollowScroll(
    (height) =>
      centre === undefined
        ? 0
        : Math.min(centre * ROW_H - (height - ROW_H) / 2, (layout?.height ?? 0) - height),
    // collapsing or expanding moves the rows: the view follows again (a link shows the same picture)
    `${cursor}|${collapseKey}`,
  );
  const view = { top: scroll.top, height: scroll.height, width: scroll.width };
  if (layout === null) return null;

  const { first, end } = visibleRows(layout.rows.length, ROW_H, view.top, view.height);
  const toggle = (path: string) => {
    const next = new Set(collapsed);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    app.view.getState().setCollapsed(next);
  };

  return (
    <div className="store" ref={scrollRef} data-testid="store" onScroll={scroll.onScroll}>
      <div className="store__canvas" style={{ height: layout.height }} role="tree" aria-label="xenstore">
        {layout.rows.slice(first, end).map((r) => {
          const i = storeNodeInfo(getNode, r.path, marks);
          const written = i?.written ?? null;
          const cls = [
            'store__row',
            written !== null ? 'store__row--written' : '',
            i?.removed === true ? 'store__row--removed' : '',
            selected === r.path ? 'store__row--selected' : '',
            why?.paths.has(r.path) === true ? 'store__row--why' : '',
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
              {(written !== null || i?.removed === true) && (
                <button
                  type="button"
                  className="store__why linklike"
                  data-testid={`store.why.${r.path}`}
                  onClick={() => {
                    const w = world();
                    if (w === null) return;
                    const found = chainForEffect(w.trace, app.traceIndexes().why, cursor - 1, r.path);
                    if (found !== null) {
                      app.view.getState().setWhy({ seq: found.seq, about: r.path });
                      app.view.getState().setInspectorTab('step');
                    }
                  }}
                >
                  why?
                </button>
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

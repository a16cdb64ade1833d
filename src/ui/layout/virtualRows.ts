/**
 * Virtualised lists (the sequence chart's 100,000 steps, a large store tree): only the rows in
 * view, plus `overscan` on each side, are drawn. Pure: rows are `rowHeight` px tall and start at 0.
 */

export interface RowRange {
  /** first row to draw */
  first: number;
  /** one past the last row to draw */
  end: number;
}

export function visibleRows(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): RowRange {
  if (count <= 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight) + overscan);
  return { first: Math.min(first, end), end };
}

/** The scrollTop that brings row `index` into view, moving as little as possible. */
export function scrollToRow(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight;
  return scrollTop;
}

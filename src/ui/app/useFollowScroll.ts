import { useEffect, useLayoutEffect, useRef, useState, type RefObject, type UIEvent } from 'react';
import { useXenScope } from './useXenScope';

export interface FollowScroll {
  ref: RefObject<HTMLDivElement | null>;
  /** the scroll position to draw for: where the panel follows to, or where the user scrolled */
  top: number;
  /** the viewport's height, px (measured on resize only, never read during a frame) */
  height: number;
  width: number;
  onScroll: (e: UIEvent<HTMLDivElement>) => void;
}

/**
 * A scroll container that follows a position derived from the cursor (`follow`, px) until the
 * user scrolls it, and follows again once `key` (the cursor, and whatever else the position is
 * derived from) changes. The position drawn is known
 * during render, so a frame never waits for a scroll event, and the layout is never read back in
 * a frame: only a resize measures the viewport. While playing, the scroll position itself is set
 * at the start of the next frame (the rows drawn carry an overscan that covers the difference).
 */
export function useFollowScroll(follow: (height: number) => number, key: number | string): FollowScroll {
  const ref = useRef<HTMLDivElement>(null);
  const applied = useRef(-1);
  const [size, setSize] = useState({ height: 300, width: 400 });
  const [user, setUser] = useState<{ key: number | string; top: number } | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const measure = () => {
      const next = { height: el.clientHeight, width: el.clientWidth };
      setSize((prev) => (prev.height === next.height && prev.width === next.width ? prev : next));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const top = user !== null && user.key === key ? user.top : Math.max(0, follow(size.height));
  const app = useXenScope();
  useEffect(() => {
    const el = ref.current;
    if (el === null || applied.current === top) return;
    applied.current = top;
    // while playing, at the start of the next frame: setting it now would lay out the page twice
    app.atFrameStart(() => {
      if (applied.current === top) el.scrollTop = top;
    });
  }, [top, app]);
  return {
    ref,
    top,
    height: size.height,
    width: size.width,
    onScroll: (e) => {
      const t = e.currentTarget.scrollTop;
      if (Math.abs(t - applied.current) < 1) return;
      applied.current = t;
      setUser({ key, top: t });
    },
  };
}

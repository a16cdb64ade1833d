import { useMemo } from 'react';
import type { World } from '../../sim/world/world';
import { useTimeline } from './useTimeline';

/**
 * Something derived from the world at the cursor, recomputed only when the world moves (its
 * revision). `derive` must be pure; the world is null before a scenario is open.
 */
export function useWorldAt<T>(derive: (world: World | null, cursor: number) => T): T {
  const revision = useTimeline((s) => s.revision);
  const cursor = useTimeline((s) => s.cursor);
  const world = useTimeline((s) => s.world);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the revision stands for the world's content
  return useMemo(() => derive(world(), cursor), [revision, cursor, world]);
}

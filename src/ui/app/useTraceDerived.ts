import { useMemo } from 'react';
import type { TraceEntry } from '../../sim/world/trace';
import { useTimeline } from './useTimeline';

const EMPTY: readonly TraceEntry[] = [];

/**
 * Something derived from the whole trace (lanes, indexes), rebuilt only when the trace changes (an
 * open or an action), never when the cursor moves. `derive` must be pure.
 */
export function useTraceDerived<T>(derive: (trace: readonly TraceEntry[]) => T): T {
  const version = useTimeline((s) => s.traceVersion);
  const world = useTimeline((s) => s.world);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for the trace's content
  return useMemo(() => derive(world()?.trace ?? EMPTY), [version, world]);
}

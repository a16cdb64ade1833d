import type { TraceIndexes } from './traceIndexes';
import { useTimeline } from './useTimeline';
import { useXenScope } from './useXenScope';

/** The indexes of the open trace, shared by every panel and rebuilt when the trace changes. */
export function useTraceIndexes(): TraceIndexes {
  useTimeline((s) => s.traceVersion);
  return useXenScope().traceIndexes();
}

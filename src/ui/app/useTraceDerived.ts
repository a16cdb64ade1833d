import type { TraceDerivation } from './traceIndexes';
import { useTraceIndexes } from './useTraceIndexes';

/**
 * Something derived from the whole trace (lanes, indexes), computed once per trace and shared by
 * every panel that asks (an open or an action changes the trace; the cursor never does). `derive`
 * must be pure and module-level: it is the key of the shared result.
 */
export function useTraceDerived<T>(derive: TraceDerivation<T>): T {
  return useTraceIndexes().derived(derive);
}

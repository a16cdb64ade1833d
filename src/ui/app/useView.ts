import { useStore } from 'zustand';
import { useXenScope } from './useXenScope';
import type { ViewState } from './viewStore';

/** A narrow read of the view state (clock, selection, overlays); re-renders when it changes. */
export function useView<T>(selector: (s: ViewState) => T): T {
  return useStore(useXenScope().view, selector);
}

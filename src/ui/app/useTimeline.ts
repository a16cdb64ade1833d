import { useStore } from 'zustand';
import type { TimelineState } from '../session/timelineStore';
import { useXenScope } from './useXenScope';

/** A narrow read of the timeline (what is open, cursor, revision); re-renders when it changes. */
export function useTimeline<T>(selector: (s: TimelineState) => T): T {
  return useStore(useXenScope().timeline, selector);
}

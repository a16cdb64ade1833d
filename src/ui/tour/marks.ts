/**
 * A mark: one reason a step matters, with its caption. `rank` says how much: 1 worth a caption, 2
 * worth a stop while stepping (interesting.ts), 3–5 worth a stop in a short tour (builtinTour.ts).
 * `group` names the kind of thing without the particulars, so a burst of alike steps merges.
 */
import type { Caption } from './types';

export type MarkKind =
  | 'lint'
  | 'transition'
  | 'user'
  | 'timeout'
  | 'eagain'
  | 'watch-dropped'
  | 'watch-merged'
  | 'watch-eexist'
  | 'reset-watches'
  | 'rx-release'
  | 'toolstack-write'
  | 'daemon'
  | 'kernel'
  | 'suspend'
  | 'ring'
  | 'grant'
  | 'evtchn'
  | 'device'
  | 'log';

export interface StepMark {
  kind: MarkKind;
  rank: number;
  group: string;
  caption: Caption;
}

/** Marks of rank ≥ this make a step interesting (a stop for next/prev). */
export const INTERESTING_RANK = 2;

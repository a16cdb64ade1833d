/**
 * Guided tours as data: small, JSON-able records a session or an address can carry. A tour is
 * computed for one (scenario, profile, seed): its stops are cursor positions in that trace.
 */

/** What a stop points at: a device (its key, `dom1.K1|device/vbd/51712`), a store node (absolute path), a ring slot. */
export interface TourHighlight {
  node?: string;
  device?: string;
  slot?: { ring: string; index: number };
}

export interface TourStop {
  /** cursor position shown: steps run so far, 0..trace.length (a stop on step `seq` has step `seq + 1`) */
  step: number;
  caption: string;
  highlight?: TourHighlight;
  /** ask the learner what the driver (a device key) does next before revealing it (see predict.ts) */
  predict?: { device: string };
  /** spec section the caption comes from, e.g. 'xenbus.md §3.7' (several: 'xenbus.md §6.1; scenarios.md S3') */
  source?: string;
}

export interface Tour {
  scenario: string;
  /** the profile the stops were computed under (step numbers differ per profile) */
  profile?: string;
  title: string;
  intro: string;
  /** spec sections the introduction is drawn from */
  introSource?: string;
  /** cursor positions, strictly increasing */
  stops: TourStop[];
}

/** A sentence about one step, where in the spec it comes from, and what to highlight. */
export interface Caption {
  text: string;
  source: string;
  highlight?: TourHighlight;
}

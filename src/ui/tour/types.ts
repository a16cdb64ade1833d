/**
 * Guided tours: an introduction and stops along a scenario's timeline, each with a caption, what to
 * highlight, and optionally a question to the learner. JSON-able and small: tours travel in sessions
 * and links.
 */

export interface TourHighlight {
  node?: string;
  device?: string;
  slot?: { ring: string; index: number };
}

export interface TourStop {
  /** the cursor position shown: steps run so far, 0 … trace length */
  step: number;
  caption: string;
  highlight?: TourHighlight;
  /** ask the learner what this device does next before revealing it */
  predict?: { device: string };
  /** the spec file and section the caption comes from, e.g. 'xenbus.md §3' */
  source?: string;
}

export interface Tour {
  scenario: string;
  title: string;
  intro: string;
  stops: TourStop[];
}

/**
 * The one screen of XenScope (ARCHITECTURE.md "UI"): the panels, in keyboard focus order,
 * which is also their visual reading order (left to right, top to bottom).
 */
export interface RegionSpec {
  /** DOM id and grid area */
  id: 'world-map' | 'store-view' | 'sequence-chart' | 'inspector';
  title: string;
  /** dotted test id (CONVENTIONS.md 17) */
  testId: string;
  /** what the panel will show, said plainly while it has nothing to show */
  purpose: string;
  /** the panel scrolls and pads itself (no padding, no scrolling of the region's body) */
  flush: boolean;
}

export const REGIONS: readonly RegionSpec[] = [
  {
    id: 'world-map',
    title: 'World map',
    testId: 'region.world-map',
    flush: false,
    purpose:
      'dom0 and each guest domain, every device as a frontend/backend pair with its xenbus state, ' +
      'the shared ring, grant references and event channels.',
  },
  {
    id: 'store-view',
    title: 'Store view',
    testId: 'region.store-view',
    flush: true,
    purpose:
      'the xenstore tree with values, owners and permissions; writes flash, removals fade and watch ' +
      'events travel to the watching domain.',
  },
  {
    id: 'sequence-chart',
    title: 'Sequence chart',
    testId: 'region.sequence-chart',
    flush: true,
    purpose:
      'the timeline: one lane per actor, one row per step, with requests, replies and watch events as arrows.',
  },
  {
    id: 'inspector',
    title: 'Inspector',
    testId: 'region.inspector',
    flush: true,
    purpose:
      'the selected step explained, its effects and the kernel or xenstored function behind it, and ' +
      'the selected device’s state machine.',
  },
];

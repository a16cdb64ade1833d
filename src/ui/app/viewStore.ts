/**
 * View state (CONVENTIONS.md 10): the playback clock, what is selected, and the overlays open. Ids
 * only, never copies of the world. Built from slices so each concern stays small and testable.
 */
import { createStore, type StateCreator } from 'zustand/vanilla';
import type { ProfileId } from '../../sim/profiles';
import type { BreakCondition, Breakpoint } from '../model/breakpoints';
import { INITIAL_CLOCK, type PlaybackClock } from '../playback/playbackClock';
import type { SlotRef } from '../share/shareState';
import type { RegionSpec } from '../shell/regions';
import type { Tour } from '../tour/types';

export interface PlaybackSlice {
  clock: PlaybackClock;
  setClock: (clock: PlaybackClock) => void;
}

export interface SelectionSlice {
  /** the selected device pair (its frontend node), shown in the inspector's machine graph */
  device: string | null;
  /** the selected store node */
  node: string | null;
  /** the selected slot of a shared ring */
  slot: SlotRef | null;
  /** the domain the action buttons act on */
  targetDomid: number;
  selectDevice: (id: string | null) => void;
  selectNode: (path: string | null) => void;
  selectSlot: (slot: SlotRef | null) => void;
  setTargetDomid: (domid: number) => void;
}

/** The inspector's tabs, in their order on screen. */
export const INSPECTOR_TABS = ['step', 'device', 'watches', 'kernels', 'resources', 'debug'] as const;
export type InspectorTab = (typeof INSPECTOR_TABS)[number];

/** An open context menu: where, what it is about, and the commands it offers. */
export interface ContextMenuState {
  x: number;
  y: number;
  title: string;
  commands: string[];
  /** the device it was opened on (key of the end clicked), for the commands that need one */
  device?: string;
}

/** Compare mode: the second run shown beside the open one (null: off). */
export interface CompareTarget {
  scenario: string;
  profile: ProfileId;
  seed: number;
}

/** The why-chain shown: the step whose causes are traced back, and what was asked about. */
export interface WhyRequest {
  /** the step explained */
  seq: number;
  /** what the user pointed at, in words ("blkfront Connected", "/local/…/state") */
  about: string;
}

export interface OverlaySlice {
  why: WhyRequest | null;
  setWhy: (why: WhyRequest | null) => void;
  compareWith: CompareTarget | null;
  setCompareWith: (target: CompareTarget | null) => void;
  contextMenu: ContextMenuState | null;
  setContextMenu: (menu: ContextMenuState | null) => void;
  shortcutsOpen: boolean;
  setShortcutsOpen: (open: boolean) => void;
  inspectorTab: InspectorTab;
  setInspectorTab: (tab: InspectorTab) => void;
}

export interface BreakpointSlice {
  breakpoints: Breakpoint[];
  /** where playback last stopped on a breakpoint, and why */
  breakHit: { seq: number; text: string; reason: string } | null;
  addBreakpoint: (text: string, condition: BreakCondition) => void;
  toggleBreakpoint: (id: number) => void;
  removeBreakpoint: (id: number) => void;
  setBreakpoints: (breakpoints: Breakpoint[]) => void;
  setBreakHit: (hit: BreakpointSlice['breakHit']) => void;
}

/** How the page is shown: the panel layout and the modes an address can ask for. */
export interface LayoutSlice {
  /** the panel shown alone (the others hidden), or null for all four */
  maximized: RegionSpec['id'] | null;
  setMaximized: (id: RegionSpec['id'] | null) => void;
  /** the store view's collapsed nodes */
  collapsed: ReadonlySet<string>;
  setCollapsed: (paths: ReadonlySet<string>) => void;
  /** the device pair the world map's state matrix is zoomed into (many devices), or null */
  mapZoom: string | null;
  setMapZoom: (id: string | null) => void;
  /** `?embed=1`: no banner or editing controls, for an iframe */
  embed: boolean;
  /** presenter mode: large type, editing controls hidden, the world map enlarged */
  present: boolean;
  /** presenter mode's blank screen (the `.` key of a clicker) */
  blackout: boolean;
  setModes: (modes: { embed?: boolean; present?: boolean; blackout?: boolean }) => void;
  /** a passing message that is not an error ("Link copied") */
  notice: string | null;
  setNotice: (notice: string | null) => void;
}

/**
 * Tours: the one being played (built in or authored) and the stop shown; the authored one is part
 * of the session (saved, linked); author mode shows the editing controls.
 */
export interface TourSlice {
  /** the tour authored for this session, saved with it */
  authored: Tour | null;
  setAuthored: (tour: Tour | null) => void;
  /**
   * the tour being played, the index of the stop shown (−1: its introduction; stops.length: its
   * end), and the learner's answers at its predict stops (choice null: skipped, revealed unscored)
   */
  playing: {
    tour: Tour;
    stop: number;
    kind: 'builtin' | 'authored';
    answers: Record<number, { choice: string | null; correct: boolean }>;
  } | null;
  setPlaying: (playing: TourSlice['playing']) => void;
  authoring: boolean;
  setAuthoring: (on: boolean) => void;
}

export type ViewState = PlaybackSlice &
  SelectionSlice &
  OverlaySlice &
  BreakpointSlice &
  LayoutSlice &
  TourSlice;

const createPlaybackSlice: StateCreator<ViewState, [], [], PlaybackSlice> = (set) => ({
  clock: INITIAL_CLOCK,
  setClock: (clock) => set({ clock }),
});

const createSelectionSlice: StateCreator<ViewState, [], [], SelectionSlice> = (set) => ({
  device: null,
  node: null,
  slot: null,
  targetDomid: 1,
  selectDevice: (device) => set({ device }),
  selectNode: (node) => set({ node }),
  selectSlot: (slot) => set({ slot }),
  setTargetDomid: (targetDomid) => set({ targetDomid }),
});

const createOverlaySlice: StateCreator<ViewState, [], [], OverlaySlice> = (set) => ({
  why: null,
  setWhy: (why) => set({ why }),
  compareWith: null,
  setCompareWith: (compareWith) => set({ compareWith }),
  contextMenu: null,
  setContextMenu: (contextMenu) => set({ contextMenu }),
  shortcutsOpen: false,
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  inspectorTab: 'step',
  setInspectorTab: (inspectorTab) => set({ inspectorTab }),
});

const createBreakpointSlice: StateCreator<ViewState, [], [], BreakpointSlice> = (set, get) => ({
  breakpoints: [],
  breakHit: null,
  addBreakpoint: (text, condition) => {
    const id = Math.max(0, ...get().breakpoints.map((b) => b.id)) + 1;
    set({ breakpoints: [...get().breakpoints, { id, text, condition, enabled: true }] });
  },
  toggleBreakpoint: (id) =>
    set({ breakpoints: get().breakpoints.map((b) => (b.id === id ? { ...b, enabled: !b.enabled } : b)) }),
  removeBreakpoint: (id) => set({ breakpoints: get().breakpoints.filter((b) => b.id !== id) }),
  setBreakpoints: (breakpoints) => set({ breakpoints }),
  setBreakHit: (breakHit) => set({ breakHit }),
});

const createLayoutSlice: StateCreator<ViewState, [], [], LayoutSlice> = (set) => ({
  maximized: null,
  setMaximized: (maximized) => set({ maximized }),
  collapsed: new Set(),
  setCollapsed: (collapsed) => set({ collapsed }),
  mapZoom: null,
  setMapZoom: (mapZoom) => set({ mapZoom }),
  embed: false,
  present: false,
  blackout: false,
  setModes: (modes) => set(modes),
  notice: null,
  setNotice: (notice) => set({ notice }),
});

const createTourSlice: StateCreator<ViewState, [], [], TourSlice> = (set) => ({
  authored: null,
  setAuthored: (authored) => set({ authored }),
  playing: null,
  setPlaying: (playing) => set({ playing }),
  authoring: false,
  setAuthoring: (authoring) => set({ authoring }),
});

export function createViewStore() {
  return createStore<ViewState>()((...a) => ({
    ...createPlaybackSlice(...a),
    ...createSelectionSlice(...a),
    ...createOverlaySlice(...a),
    ...createBreakpointSlice(...a),
    ...createLayoutSlice(...a),
    ...createTourSlice(...a),
  }));
}

export type ViewStore = ReturnType<typeof createViewStore>;

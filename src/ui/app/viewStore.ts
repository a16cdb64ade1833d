/**
 * View state (CONVENTIONS.md 10): the playback clock, what is selected, and the overlays open. Ids
 * only, never copies of the world. Built from slices so each concern stays small and testable.
 */
import { createStore, type StateCreator } from 'zustand/vanilla';
import type { ProfileId } from '../../sim/profiles';
import type { BreakCondition, Breakpoint } from '../model/breakpoints';
import { INITIAL_CLOCK, type PlaybackClock } from '../playback/playbackClock';

export interface PlaybackSlice {
  clock: PlaybackClock;
  setClock: (clock: PlaybackClock) => void;
}

export interface SelectionSlice {
  /** the selected device pair (its frontend node), shown in the inspector's machine graph */
  device: string | null;
  /** the selected store node */
  node: string | null;
  /** the domain the action buttons act on */
  targetDomid: number;
  selectDevice: (id: string | null) => void;
  selectNode: (path: string | null) => void;
  setTargetDomid: (domid: number) => void;
}

export type InspectorTab = 'step' | 'device' | 'watches' | 'kernels' | 'resources' | 'debug';

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
  setBreakHit: (hit: BreakpointSlice['breakHit']) => void;
}

export type ViewState = PlaybackSlice & SelectionSlice & OverlaySlice & BreakpointSlice;

const createPlaybackSlice: StateCreator<ViewState, [], [], PlaybackSlice> = (set) => ({
  clock: INITIAL_CLOCK,
  setClock: (clock) => set({ clock }),
});

const createSelectionSlice: StateCreator<ViewState, [], [], SelectionSlice> = (set) => ({
  device: null,
  node: null,
  targetDomid: 1,
  selectDevice: (device) => set({ device }),
  selectNode: (node) => set({ node }),
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
  setBreakHit: (breakHit) => set({ breakHit }),
});

export function createViewStore() {
  return createStore<ViewState>()((...a) => ({
    ...createPlaybackSlice(...a),
    ...createSelectionSlice(...a),
    ...createOverlaySlice(...a),
    ...createBreakpointSlice(...a),
  }));
}

export type ViewStore = ReturnType<typeof createViewStore>;

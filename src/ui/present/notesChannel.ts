/**
 * Presenter mode's speaker-notes window and the main window talk with postMessage (it works from
 * file:// too, where other channels are refused): the main window sends what is shown, the notes
 * window sends back the clicker's commands.
 */

export interface NotesState {
  scenario: string;
  title: string;
  profile: string;
  step: number;
  length: number;
  /** the summary of the step just shown */
  summary: string;
  tour: {
    title: string;
    intro: string;
    /** −1: the introduction */
    stop: number;
    count: number;
    caption: string;
    source: string;
    next: string | null;
  } | null;
}

export type NotesMessage =
  | { type: 'xenscope-notes'; state: NotesState }
  | { type: 'xenscope-notes-ready' }
  | { type: 'xenscope-notes-command'; command: 'next' | 'back' | 'blackout' };

export function isNotesMessage(data: unknown): data is NotesMessage {
  if (typeof data !== 'object' || data === null) return false;
  const t = (data as { type?: unknown }).type;
  return t === 'xenscope-notes' || t === 'xenscope-notes-ready' || t === 'xenscope-notes-command';
}

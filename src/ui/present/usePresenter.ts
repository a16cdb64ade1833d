import { useEffect } from 'react';
import type { XenScope } from '../app/xenscope';
import { presenterBack, presenterNext } from '../guide/tourControl';
import { followNotes } from './notesWindow';

/**
 * Presenter mode's keys, as a clicker sends them: PageDown on (a tour's Continue, else the next
 * interesting step), PageUp back, `.` (or b) blanks the screen and brings it back. And the speaker
 * notes window kept up to date.
 */
export function usePresenter(app: XenScope): void {
  useEffect(() => followNotes(app), [app]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const v = app.view.getState();
      if (!v.present || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (
        t instanceof HTMLElement &&
        (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')
      )
        return;
      if (e.key === 'PageDown') presenterNext(app);
      else if (e.key === 'PageUp') presenterBack(app);
      else if (e.key === '.' || e.key === 'b') v.setModes({ blackout: !v.blackout });
      else if (e.key === 'Escape' && v.blackout) v.setModes({ blackout: false });
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    // before the global shortcuts, so a clicker's keys never reach them
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [app]);
}

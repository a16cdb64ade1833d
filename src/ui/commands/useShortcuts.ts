import { useEffect } from 'react';
import type { XenScope } from '../app/xenscope';
import { COMMANDS } from './commands';
import { commandForKey } from './registry';

/** Elements where keys belong to the element (typing, choosing, sliding), not to the shortcuts. */
function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || target.isContentEditable;
}

/** Global keyboard shortcuts: each key runs its command, if enabled (Escape closes the overlay). */
export function useShortcuts(app: XenScope): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || ownsKeys(e.target)) return;
      if (e.key === 'Escape' && app.view.getState().shortcutsOpen) {
        app.view.getState().setShortcutsOpen(false);
        e.preventDefault();
        return;
      }
      // Space on a focused button presses that button
      if (e.key === ' ' && e.target instanceof HTMLButtonElement) return;
      const command = commandForKey(COMMANDS, e.key);
      if (command === undefined) return;
      e.preventDefault();
      if (command.enabled === undefined || command.enabled(app)) command.perform(app);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [app]);
}

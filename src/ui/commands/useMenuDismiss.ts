import { useEffect } from 'react';

/**
 * The banner's disclosure menus (`details.menu`) behave as menus: a click anywhere outside an open
 * one closes it (opening another menu included), and Escape closes them all.
 */
export function useMenuDismiss(): void {
  useEffect(() => {
    const openMenus = () => [...document.querySelectorAll<HTMLDetailsElement>('details.menu[open]')];
    const onPointer = (e: MouseEvent) => {
      // the page's own clicks (a download link clicked from code) are not the user's
      if (!e.isTrusted) return;
      for (const menu of openMenus())
        if (!(e.target instanceof Node && menu.contains(e.target))) menu.removeAttribute('open');
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const open = openMenus();
      for (const menu of open) menu.removeAttribute('open');
      if (open.length > 0) open[0]!.querySelector('summary')?.focus();
    };
    document.addEventListener('click', onPointer, true);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('click', onPointer, true);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
}

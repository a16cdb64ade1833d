import { useEffect, useRef } from 'react';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import { CommandButton } from './CommandButton';

/** The commands a device's menu offers, by device type, then the guest-wide ones. */
export function deviceCommands(type: string): string[] {
  const own =
    type === 'vbd'
      ? [
          'action.detach-disk',
          'fault.open-disk',
          'fault.inflight-io',
          'fault.bad-ring-ref',
          'fault.blkback-fatal',
        ]
      : ['action.net-traffic', 'action.rx-release', 'fault.vif-script-fails'];
  return [
    'why.device',
    ...own,
    'action.guest-shutdown',
    'action.kexec',
    'action.kexec-jump',
    'fault.hold-xenwatch',
  ];
}

/**
 * A device's context menu (right click, or the Menu key / Shift+F10 on a focused device): the same
 * commands as the Actions and Faults menus, aimed at the device's domain. Escape or a click
 * elsewhere closes it; running a command closes it too.
 */
export function ContextMenu() {
  const app = useXenScope();
  const menu = useView((s) => s.contextMenu);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (menu === null) return;
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent && e.key !== 'Escape') return;
      if (e instanceof MouseEvent && ref.current?.contains(e.target as Node)) return;
      app.view.getState().setContextMenu(null);
    };
    window.addEventListener('keydown', close);
    window.addEventListener('mousedown', close);
    return () => {
      window.removeEventListener('keydown', close);
      window.removeEventListener('mousedown', close);
    };
  }, [menu, app]);
  if (menu === null) return null;
  return (
    <div
      ref={ref}
      className="context-menu menu__items"
      role="menu"
      aria-label={menu.title}
      style={{ left: menu.x, top: menu.y }}
      data-testid="context-menu"
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('button') !== null) app.view.getState().setContextMenu(null);
      }}
    >
      <p className="context-menu__title">{menu.title}</p>
      {menu.commands.map((name) => (
        <CommandButton key={name} name={name} />
      ))}
    </div>
  );
}

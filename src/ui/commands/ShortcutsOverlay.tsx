import { useEffect, useRef } from 'react';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import { COMMANDS } from './commands';

/** What presenter mode's keys do (src/ui/present/usePresenter.ts). */
const PRESENTER_KEYS: ReadonlyArray<[string, string]> = [
  ['PageDown', 'Continue the tour (without one: next interesting step)'],
  ['PageUp', 'Back in the tour (without one: previous interesting step)'],
  ['.', 'Blank the screen, and bring it back'],
];

/** The `?` overlay: every command that has a key, and presenter mode's keys, as a modal dialog. */
export function ShortcutsOverlay() {
  const app = useXenScope();
  const open = useView((s) => s.shortcutsOpen);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d === null) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="shortcuts"
      data-testid="shortcuts"
      aria-labelledby="shortcuts-heading"
      onClose={() => app.view.getState().setShortcutsOpen(false)}
    >
      <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
      <table>
        <tbody>
          {COMMANDS.filter((c) => c.keyLabel !== undefined).map((c) => (
            <tr key={c.name}>
              <th scope="row">
                <kbd>{c.keyLabel}</kbd>
              </th>
              <td>{c.label}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="shortcuts__sub">In presenter mode (a clicker's keys)</h3>
      <table>
        <tbody>
          {PRESENTER_KEYS.map(([key, what]) => (
            <tr key={key}>
              <th scope="row">
                <kbd>{key}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit" data-testid="shortcuts.close">
          Close
        </button>
      </form>
    </dialog>
  );
}

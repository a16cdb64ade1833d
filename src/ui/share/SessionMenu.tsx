import { useRef, useState } from 'react';
import { useTimeline } from '../app/useTimeline';
import { useXenScope } from '../app/useXenScope';
import { ExportRange } from './ExportRange';
import { readDamaged, readRecent } from './autosave';
import {
  downloadDamagedSave,
  exportSessionFile,
  exportTraceFile,
  openFileText,
  openLink,
  openRecent,
  shareLink,
} from './shareActions';

/**
 * Session ▸ the link of what is shown (copy it, or paste one to open), session and trace files
 * out and in, a step range as a diagram or a review bundle, and the recent sessions this browser
 * kept. Everything that opens something checks it first; a bad link or file leaves the session.
 */
export function SessionMenu() {
  const details = useRef<HTMLDetailsElement>(null);
  // the menu's contents exist only while it is open: nothing in it follows the timeline otherwise
  const [open, setOpen] = useState(false);
  const close = () => details.current?.removeAttribute('open');
  return (
    <details
      className="menu session-menu"
      data-testid="session.menu"
      ref={details}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>Session</summary>
      {open && <SessionMenuItems close={close} />}
    </details>
  );
}

function SessionMenuItems({ close }: { close: () => void }) {
  const app = useXenScope();
  const fileInput = useRef<HTMLInputElement>(null);
  const [pasted, setPasted] = useState('');
  // the link of what is shown, rebuilt whenever the world's position changes while the menu is open
  useTimeline((s) => s.revision);
  const link = shareLink(app) ?? '';
  const [recent] = useState(() => readRecent(window.localStorage));
  const [damaged] = useState(() => readDamaged(window.localStorage) !== null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      app.view.getState().setNotice(`Link copied (${link.length} characters).`);
    } catch {
      app.view
        .getState()
        .setNotice('The browser did not allow copying: select the link in the Session menu and copy it.');
    }
  };

  return (
    <div className="menu__items session-menu__items">
      <section aria-label="Link">
        <h3 className="menu__heading">Link to what is shown</h3>
        <div className="session-menu__row">
          <input
            readOnly
            className="session-menu__link"
            data-testid="session.link"
            aria-label="Link to this session at this step"
            value={link}
            onFocus={(e) => e.target.select()}
          />
          <button type="button" data-testid="session.copy-link" onClick={() => void copy()}>
            Copy
          </button>
        </div>
        <form
          className="session-menu__row"
          onSubmit={(e) => {
            e.preventDefault();
            if (openLink(app, pasted)) {
              setPasted('');
              close();
            }
          }}
        >
          <input
            className="session-menu__link"
            data-testid="session.paste-link"
            aria-label="Paste a XenScope link to open it"
            placeholder="Paste a link to open it"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
          />
          <button type="submit" data-testid="session.open-link" disabled={pasted.trim() === ''}>
            Open
          </button>
        </form>
      </section>
      <section aria-label="Files">
        <h3 className="menu__heading">Files</h3>
        <div className="session-menu__row">
          <button type="button" data-testid="session.export" onClick={() => exportSessionFile(app)}>
            Export session (JSON)
          </button>
          <button type="button" data-testid="session.export-trace" onClick={() => exportTraceFile(app)}>
            Export trace (JSON)
          </button>
        </div>
        <button type="button" data-testid="session.import" onClick={() => fileInput.current?.click()}>
          Import a session or trace file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="session.import-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file === undefined) return;
            void file.text().then((text) => {
              if (openFileText(app, file.name, text)) close();
            });
          }}
        />
        {damaged && (
          <button type="button" data-testid="session.damaged" onClick={downloadDamagedSave}>
            Download damaged save
          </button>
        )}
      </section>
      <ExportRange />
      {recent.length > 0 && (
        <section aria-label="Recent sessions">
          <h3 className="menu__heading">Recent sessions in this browser</h3>
          <ul className="session-menu__recent" data-testid="session.recent">
            {recent.map((r, i) => (
              <li key={i}>
                <button
                  type="button"
                  onClick={() => {
                    if (openRecent(app, r)) close();
                  }}
                >
                  {r.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

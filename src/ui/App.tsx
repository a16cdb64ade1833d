import { useEffect, useState } from 'react';
import { XenScopeContext } from './app/XenScopeContext';
import { installTestApi } from './app/testApi';
import { useView } from './app/useView';
import { createXenScope, type XenScope } from './app/xenscope';
import { ContextMenu } from './commands/ContextMenu';
import { ShortcutsOverlay } from './commands/ShortcutsOverlay';
import { useMenuDismiss } from './commands/useMenuDismiss';
import { useShortcuts } from './commands/useShortcuts';
import { useAppliedTheme } from './preferences/useAppliedTheme';
import { AuthorPanel } from './guide/AuthorPanel';
import { TourBar } from './guide/TourBar';
import { EmbedBar } from './present/EmbedBar';
import { usePresenter } from './present/usePresenter';
import { SpeakerNotes } from './present/SpeakerNotes';
import { parseAddress } from './share/link';
import { useFileDrop } from './share/useFileDrop';
import { useSessionSync } from './share/useSessionSync';
import { ControlsBar } from './shell/ControlsBar';
import { ErrorBanner } from './shell/ErrorBanner';
import { Workspace } from './shell/Workspace';

/**
 * Dev and test builds carry `window.__xenscope`; in the production bundle the condition is false at
 * build time and the test API is left out (one script, which index.html carries inline).
 */
const WITH_TEST_API = import.meta.env.DEV || import.meta.env.MODE === 'test';

/**
 * The page: the speaker-notes window (`?notes=1`), or the one screen (ARCHITECTURE.md "UI"):
 * controls on top (a slim strip when embedded), then the four panels in reading order.
 */
export function App() {
  const [notes] = useState(() => parseAddress(window.location.search).modes.notes);
  return notes ? <SpeakerNotes /> : <Screen />;
}

function Screen() {
  const [app] = useState(createXenScope);
  useEffect(() => {
    if (WITH_TEST_API) installTestApi(app);
    return () => app.dispose();
  }, [app]);
  useAppliedTheme();
  useShortcuts(app);
  useMenuDismiss();
  useSessionSync(app);
  useFileDrop(app);
  usePresenter(app);
  return (
    <XenScopeContext value={app}>
      <Frame app={app} />
    </XenScopeContext>
  );
}

function Frame({ app }: { app: XenScope }) {
  const embed = useView((s) => s.embed);
  const present = useView((s) => s.present);
  const blackout = useView((s) => s.blackout);
  const authoring = useView((s) => s.authoring);
  const className = ['app', embed ? 'app--embed' : '', present ? 'app--present' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={className}>
      {embed ? <EmbedBar /> : <ControlsBar />}
      <ErrorBanner />
      <TourBar />
      {authoring && !embed && !present && <AuthorPanel />}
      <Workspace />
      <ShortcutsOverlay />
      <ContextMenu />
      {blackout && (
        <div
          className="blackout"
          data-testid="present.blackout"
          role="presentation"
          onClick={() => app.view.getState().setModes({ blackout: false })}
        />
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { XenScopeContext } from './app/XenScopeContext';
import { installTestApi } from './app/testApi';
import { createXenScope } from './app/xenscope';
import { ContextMenu } from './commands/ContextMenu';
import { ShortcutsOverlay } from './commands/ShortcutsOverlay';
import { useShortcuts } from './commands/useShortcuts';
import { useAppliedTheme } from './preferences/useAppliedTheme';
import { useSessionSync } from './share/useSessionSync';
import { ControlsBar } from './shell/ControlsBar';
import { ErrorBanner } from './shell/ErrorBanner';
import { Workspace } from './shell/Workspace';

/**
 * Dev and test builds carry `window.__xenscope`; in the production bundle the condition is false at
 * build time and the test API is left out (one script, which index.html carries inline).
 */
const WITH_TEST_API = import.meta.env.DEV || import.meta.env.MODE === 'test';

/** The one screen (ARCHITECTURE.md "UI"): controls on top, then the four panels in reading order. */
export function App() {
  const [app] = useState(createXenScope);
  useEffect(() => {
    if (WITH_TEST_API) installTestApi(app);
    return () => app.dispose();
  }, [app]);
  useAppliedTheme();
  useShortcuts(app);
  useSessionSync(app);
  return (
    <XenScopeContext value={app}>
      <div className="app">
        <ControlsBar />
        <ErrorBanner />
        <Workspace />
        <ShortcutsOverlay />
        <ContextMenu />
      </div>
    </XenScopeContext>
  );
}

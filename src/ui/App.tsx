import { ControlsBar } from './shell/ControlsBar';
import { Region } from './shell/Region';
import { REGIONS } from './shell/regions';
import { useAppliedTheme } from './preferences/useAppliedTheme';

/** The one screen (ARCHITECTURE.md "UI"): controls on top, then the four panels in reading order. */
export function App() {
  useAppliedTheme();
  return (
    <div className="app">
      <ControlsBar />
      <main className="workspace" aria-label="Workspace">
        {REGIONS.map((spec) => (
          <Region key={spec.id} spec={spec} />
        ))}
      </main>
    </div>
  );
}

import { ThemeSelect } from '../preferences/ThemeSelect';

/**
 * The banner: product name and the controls region. Scenario, profile, seed, playback and the user
 * actions (shutdown, kexec, kexec jump, rx-buffer release, faults) join it with the simulator.
 */
export function ControlsBar() {
  return (
    <header className="banner">
      <h1 className="banner__title">
        <img src="./favicon.svg" alt="" width={24} height={24} />
        XenScope
      </h1>
      <section className="controls" aria-labelledby="controls-heading" data-testid="region.controls">
        <h2 id="controls-heading" className="visually-hidden">
          Controls
        </h2>
        <p className="controls__pending" data-testid="region.controls.empty">
          Scenario, profile, seed and playback controls appear here once the simulator is part of this build.
        </p>
        <ThemeSelect />
      </section>
    </header>
  );
}

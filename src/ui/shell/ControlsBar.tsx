import { ActionMenus } from '../commands/ActionMenus';
import { CommandButton } from '../commands/CommandButton';
import { PlaybackBar } from '../playback/PlaybackBar';
import { ThemeSelect } from '../preferences/ThemeSelect';
import { SessionMenu } from '../share/SessionMenu';
import { ScenarioPicker } from './ScenarioPicker';

/** The banner: product name, then scenario pickers, playback, the actions and the preferences. */
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
        <div className="controls__row">
          <ScenarioPicker />
          <ActionMenus />
          <span className="controls__end">
            <SessionMenu />
            <CommandButton name="view.shortcuts">?</CommandButton>
            <ThemeSelect />
          </span>
        </div>
        <PlaybackBar />
      </section>
    </header>
  );
}

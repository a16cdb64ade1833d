import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import { findPlayable } from '../../sim/scenarios/demos';
import { ActionMenus } from '../commands/ActionMenus';
import { TourMenu } from '../guide/TourMenu';
import { CommandButton } from '../commands/CommandButton';
import { PlaybackBar } from '../playback/PlaybackBar';
import { ThemeSelect } from '../preferences/ThemeSelect';
import { SessionMenu } from '../share/SessionMenu';
import { ScenarioPicker } from './ScenarioPicker';

/**
 * The banner: product name, then scenario pickers, playback, the actions and the preferences. In
 * presenter mode the editing controls give way to the scenario's name and a way back.
 */
export function ControlsBar() {
  const app = useXenScope();
  const present = useView((s) => s.present);
  const request = useTimeline((s) => s.request);
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
          {present ? (
            <span className="controls__scenario" data-testid="present.title">
              {request === null ? '' : `${request.scenario}: ${findPlayable(request.scenario)?.title ?? ''}`}
              <small> · {request?.profile}</small>
            </span>
          ) : (
            <>
              <ScenarioPicker />
              <ActionMenus />
            </>
          )}
          <span className="controls__end">
            <TourMenu />
            {present ? (
              <button
                type="button"
                data-testid="present.exit"
                onClick={() => app.view.getState().setModes({ present: false, blackout: false })}
              >
                Leave presenter mode
              </button>
            ) : (
              <SessionMenu />
            )}
            {!present && <CommandButton name="view.shortcuts">?</CommandButton>}
            {!present && <ThemeSelect />}
          </span>
        </div>
        <PlaybackBar />
      </section>
    </header>
  );
}

import { useState } from 'react';
import { PROFILES, type ProfileId } from '../../../sim/profiles';
import { PLAYABLE, findPlayable } from '../../../sim/scenarios/demos';
import { useTimeline } from '../../app/useTimeline';
import { useXenScope } from '../../app/useXenScope';

/**
 * Compare mode's picker: the second run (scenario and profile; the seed is the open one's). The
 * sequence chart then shows both runs aligned.
 */
export function ComparePicker() {
  const app = useXenScope();
  const request = useTimeline((s) => s.request);
  const [scenario, setScenario] = useState<string>(request?.scenario ?? 'S1');
  const profiles = findPlayable(scenario)?.profiles ?? [];
  const [profile, setProfile] = useState<ProfileId | ''>('');
  const chosen = profiles.includes(profile as ProfileId) ? (profile as ProfileId) : profiles[0];
  return (
    <section className="debug__section" aria-labelledby="compare-heading" data-testid="compare-picker">
      <h3 id="compare-heading">Compare with another run</h3>
      <div className="debug__form">
        <select
          aria-label="Scenario to compare with"
          value={scenario}
          data-testid="compare.scenario"
          onChange={(e) => setScenario(e.target.value)}
        >
          {PLAYABLE.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}
            </option>
          ))}
        </select>
        <select
          aria-label="Profile to compare with"
          value={chosen ?? ''}
          data-testid="compare.profile"
          onChange={(e) => setProfile(e.target.value as ProfileId)}
        >
          {profiles.map((p) => (
            <option key={p} value={p}>
              {PROFILES[p].label} {p}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="compare.open"
          disabled={chosen === undefined || request === null}
          onClick={() =>
            chosen !== undefined &&
            app.view.getState().setCompareWith({ scenario, profile: chosen, seed: request?.seed ?? 1 })
          }
        >
          Compare
        </button>
      </div>
      <p className="inspector__hint">
        The chart shows both runs aligned; a row jumps to that step of the open run.
      </p>
    </section>
  );
}

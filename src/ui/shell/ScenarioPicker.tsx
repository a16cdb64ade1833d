import { useState } from 'react';
import { PROFILES, type ProfileId } from '../../sim/profiles';
import { PLAYABLE, findPlayable } from '../../sim/scenarios/demos';
import { useTimeline } from '../app/useTimeline';
import { useXenScope } from '../app/useXenScope';
import { MAX_SEED, parseSeed } from '../session/fixtureUrl';

/**
 * Scenario, profile and seed. Changing the scenario or the profile opens it at once; the seed is
 * typed and applied with Enter or the Open button, and a bad seed is refused with a message.
 */
export function ScenarioPicker() {
  const app = useXenScope();
  const request = useTimeline((s) => s.request);
  const scenarioId = request?.scenario ?? '';
  const scenario = findPlayable(scenarioId);
  const [seedText, setSeedText] = useState<string | null>(null);
  const [seedError, setSeedError] = useState<string | null>(null);
  const shownSeed = seedText ?? String(request?.seed ?? 1);

  const openWith = (id: string, profile: ProfileId | undefined, seed: number) => {
    const s = findPlayable(id);
    if (s === undefined) return;
    const p = profile !== undefined && s.profiles.includes(profile) ? profile : (s.profiles[0] as ProfileId);
    app.open({ scenario: id, profile: p, seed });
  };
  const applySeed = () => {
    const seed = parseSeed(shownSeed);
    if (seed === null) {
      setSeedError(`Seed must be a whole number from 0 to ${MAX_SEED}`);
      return;
    }
    setSeedError(null);
    setSeedText(null);
    if (request !== null) openWith(request.scenario, request.profile, seed);
  };

  return (
    <div className="picker" role="group" aria-label="Scenario">
      <label className="control">
        <span className="control__label">Scenario</span>
        <select
          data-testid="picker.scenario"
          value={scenarioId}
          onChange={(e) => {
            const s = findPlayable(e.target.value);
            setSeedText(null);
            openWith(e.target.value, request?.profile, s?.seed ?? 1);
          }}
        >
          {scenarioId === '' && <option value="">Choose…</option>}
          {PLAYABLE.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}: {s.title}
            </option>
          ))}
        </select>
      </label>
      <label className="control">
        <span className="control__label">Profile</span>
        <select
          data-testid="picker.profile"
          value={request?.profile ?? ''}
          disabled={scenario === undefined}
          onChange={(e) => request && openWith(request.scenario, e.target.value as ProfileId, request.seed)}
        >
          {(scenario?.profiles ?? []).map((p) => (
            <option key={p} value={p}>
              {PROFILES[p].label} {p}
            </option>
          ))}
        </select>
      </label>
      <label className="control">
        <span className="control__label">Seed</span>
        <input
          data-testid="picker.seed"
          className="picker__seed"
          inputMode="numeric"
          value={shownSeed}
          aria-invalid={seedError !== null}
          aria-describedby={seedError === null ? undefined : 'seed-error'}
          disabled={request === null}
          onChange={(e) => setSeedText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') applySeed();
          }}
        />
      </label>
      <button type="button" data-testid="picker.open" disabled={request === null} onClick={applySeed}>
        Open
      </button>
      {seedError !== null && (
        <span id="seed-error" role="alert" className="picker__error">
          {seedError}
        </span>
      )}
    </div>
  );
}

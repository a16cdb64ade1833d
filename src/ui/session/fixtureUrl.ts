/**
 * The scenario a page opens from its address: `/?scenario=S1&profile=linux-modern&seed=1`, the
 * fixture URLs the e2e tests and shared links use. Pure: it reads the query string it is given.
 * A bad parameter gives an error naming it; nothing is loaded then.
 */
import { PROFILE_IDS, type ProfileId } from '../../sim/profiles';
import { PLAYABLE, findPlayable } from '../../sim/scenarios/demos';

export interface FixtureRequest {
  scenario: string;
  profile: ProfileId;
  seed: number;
  /** `manual`: the user picks each next delivery (absent: the scenario's own policy) */
  policy?: 'manual';
}

export type FixtureParse =
  { kind: 'none' } | { kind: 'ok'; value: FixtureRequest } | { kind: 'error'; error: string };

/** Seeds are 32-bit unsigned, as the RNG takes them. */
export const MAX_SEED = 0xffff_ffff;

/** A seed as typed (in the address or the picker), or null if it is not one. */
export function parseSeed(text: string): number | null {
  return /^\d{1,10}$/.test(text) && Number(text) <= MAX_SEED ? Number(text) : null;
}

/**
 * Reads `scenario`, `profile` and `seed` from `search` (with or without its `?`). No `scenario`:
 * nothing requested. The profile defaults to the scenario's first; the seed to the scenario's own
 * (or 1). A profile the scenario is not written for is refused, like the command line does.
 */
export function parseFixtureUrl(search: string): FixtureParse {
  const params = new URLSearchParams(search);
  const id = params.get('scenario');
  if (id === null) return { kind: 'none' };
  const scenario = findPlayable(id);
  if (scenario === undefined)
    return {
      kind: 'error',
      error: `scenario: no scenario "${id}" (known: ${PLAYABLE.map((s) => s.id).join(', ')})`,
    };
  const profileParam = params.get('profile');
  let profile: ProfileId = scenario.profiles[0] as ProfileId;
  if (profileParam !== null) {
    if (!(PROFILE_IDS as readonly string[]).includes(profileParam))
      return {
        kind: 'error',
        error: `profile: no profile "${profileParam}" (known: ${PROFILE_IDS.join(', ')})`,
      };
    if (!scenario.profiles.includes(profileParam as ProfileId))
      return {
        kind: 'error',
        error: `profile: ${id} is written for ${scenario.profiles.join(', ')}, not ${profileParam}`,
      };
    profile = profileParam as ProfileId;
  }
  const seedParam = params.get('seed');
  let seed = scenario.seed ?? 1;
  if (seedParam !== null) {
    const parsed = parseSeed(seedParam);
    if (parsed === null)
      return {
        kind: 'error',
        error: `seed: must be a whole number from 0 to ${MAX_SEED}, not "${seedParam}"`,
      };
    seed = parsed;
  }
  const policy = params.get('policy');
  if (policy !== null && policy !== 'manual')
    return { kind: 'error', error: `policy: only "manual" can be asked for, not "${policy}"` };
  return {
    kind: 'ok',
    value: policy === 'manual' ? { scenario: id, profile, seed, policy } : { scenario: id, profile, seed },
  };
}

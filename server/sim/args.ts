/**
 * Command line of the headless simulator (`npm run sim`):
 *
 *     sim --scenario S1 [--profile P] [--seed N] [--policy fifo|seeded|manual] [--until N] [--json]
 *
 * Pure: argv in, a value out.
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import { PROFILE_IDS, isProfileId, type ProfileId } from '../../src/sim/profiles';
import { SCENARIOS, findScenario, type Scenario } from '../../src/sim/scenarios/catalogue';

export interface SimArgs {
  scenario: Scenario;
  profile: ProfileId;
  seed: number;
  policy: 'fifo' | 'seeded' | 'manual';
  until: number | undefined;
  json: boolean;
}

export type ParsedSimArgs =
  { kind: 'run'; args: SimArgs } | { kind: 'help' } | { kind: 'error'; message: string };

export const SIM_USAGE = `usage: npm run sim -- --scenario ID [--profile P] [--seed N] [--policy fifo|seeded|manual] [--until N] [--json]

  --scenario ID   one of ${SCENARIOS.map((s) => s.id).join(', ')}
  --profile P     one of ${PROFILE_IDS.join(', ')} (default: the scenario's first)
  --seed N        non-negative integer (default: the scenario's, else 1)
  --policy        fifo, seeded or manual (the scenario's hold rules pick; default: the scenario's, else fifo)
  --until N       stop after N steps
  --json          print the trace as JSON instead of a table`;

function nonNegativeInt(name: string, raw: string): number | string {
  return /^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))
    ? Number(raw)
    : `${name} must be a non-negative integer, got "${raw}"`;
}

export function parseSimArgs(argv: string[]): ParsedSimArgs {
  let parsed;
  try {
    parsed = parseNodeArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        profile: { type: 'string' },
        seed: { type: 'string' },
        policy: { type: 'string' },
        until: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (v.scenario === undefined) return { kind: 'error', message: '--scenario is required' };
  const scenario = findScenario(v.scenario);
  if (!scenario) return { kind: 'error', message: `unknown scenario "${v.scenario}"` };
  const profile = v.profile ?? scenario.profiles[0];
  if (!isProfileId(profile)) return { kind: 'error', message: `unknown profile "${String(profile)}"` };
  if (!scenario.profiles.includes(profile))
    return {
      kind: 'error',
      message: `${scenario.id} is written for ${scenario.profiles.join(', ')}, not ${profile}`,
    };
  const seed = nonNegativeInt('--seed', v.seed ?? String(scenario.seed ?? 1));
  if (typeof seed === 'string') return { kind: 'error', message: seed };
  const policy = v.policy ?? scenario.policy ?? 'fifo';
  if (policy !== 'fifo' && policy !== 'seeded' && policy !== 'manual')
    return { kind: 'error', message: `--policy must be fifo, seeded or manual, got "${policy}"` };
  let until: number | undefined;
  if (v.until !== undefined) {
    const n = nonNegativeInt('--until', v.until);
    if (typeof n === 'string') return { kind: 'error', message: n };
    until = n;
  }
  return { kind: 'run', args: { scenario, profile, seed, policy, until, json: v.json === true } };
}

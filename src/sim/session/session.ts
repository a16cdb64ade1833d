/**
 * Sessions as small shareable data: (scenario, profile, seed, policy, options, the user actions with
 * the positions they were given at, the manual picks, the length of the trace). Importing checks
 * every field first and then replays the session in a new world; on any error nothing is built and
 * the message names the field at fault.
 */
import { isProfileId, type ProfileId } from '../profiles';
import { findPlayable } from '../scenarios/demos';
import { SCHEDULING_POLICIES, type SchedulingPolicy } from '../scheduler';
import { createWorld } from '../world/createWorld';
import { checkOption, type OptionValue } from '../world/options';
import type { UserAction } from '../world/types';
import type { World } from '../world/world';
import { parseUserAction } from './userAction';

export const SESSION_FORMAT = 'xenscope-session';
export const SESSION_VERSION = 1;
/** Bounds that keep a hostile file from making the replay run for ever. */
export const MAX_SESSION_STEPS = 2_000_000;
export const MAX_SESSION_ACTIONS = 10_000;

export interface SessionFile {
  format: typeof SESSION_FORMAT;
  version: typeof SESSION_VERSION;
  scenario: string | null;
  profile: ProfileId;
  seed: number;
  policy: SchedulingPolicy;
  options: Record<string, OptionValue>;
  actions: Array<{ step: number; action: UserAction }>;
  /**
   * manual policy: [step, id of the pending action picked], for the steps where it was not the
   * oldest enabled delivery; every other step runs the oldest (the order a settling world takes)
   */
  picks: Array<[number, number]>;
  /** the trace length to replay to */
  steps: number;
}

export type Imported<T> = { ok: true; value: T } | { ok: false; error: string };

export function exportSession(world: World, scenario: string | null): SessionFile {
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    scenario,
    profile: world.config.profile,
    seed: world.config.seed,
    policy: world.config.policy,
    options: { ...world.config.options },
    actions: world.inputs.map((i) => ({ step: i.step, action: { ...i.action } })),
    picks: [...world.picks].filter(([step]) => world.chosen.has(step)).sort((a, b) => a[0] - b[0]),
    steps: world.trace.length,
  };
}

const KEYS = [
  'format',
  'version',
  'scenario',
  'profile',
  'seed',
  'policy',
  'options',
  'actions',
  'picks',
  'steps',
];
const isIndex = (v: unknown, max: number) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** Checks a session read from JSON; the error names the first bad field. */
export function parseSession(raw: unknown): Imported<SessionFile> {
  const bad = (error: string): Imported<SessionFile> => ({ ok: false, error });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return bad('session: must be a JSON object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.includes(k)) return bad(`${k}: not a session field`);
  if (o['format'] !== SESSION_FORMAT) return bad(`format: must be "${SESSION_FORMAT}"`);
  if (o['version'] !== SESSION_VERSION) return bad(`version: must be ${SESSION_VERSION}`);
  const profile = o['profile'];
  if (!isProfileId(profile))
    return bad('profile: must be linux-2006, kexec-patch-2006, kexec-merged-2006 or linux-modern');
  const scenarioId = o['scenario'];
  if (scenarioId !== null) {
    if (typeof scenarioId !== 'string') return bad('scenario: must be a scenario id or null');
    const scenario = findPlayable(scenarioId);
    if (!scenario) return bad(`scenario: no scenario "${scenarioId.slice(0, 40)}"`);
    if (!scenario.profiles.includes(profile))
      return bad(`profile: scenario ${scenario.id} is written for ${scenario.profiles.join(', ')}`);
  }
  if (!isIndex(o['seed'], 0xffffffff)) return bad('seed: must be an integer 0…4294967295');
  const policy = o['policy'];
  if (typeof policy !== 'string' || !(SCHEDULING_POLICIES as readonly string[]).includes(policy))
    return bad(`policy: must be one of ${SCHEDULING_POLICIES.join(', ')}`);
  const steps = o['steps'];
  if (!isIndex(steps, MAX_SESSION_STEPS)) return bad(`steps: must be an integer 0…${MAX_SESSION_STEPS}`);
  const rawOptions = o['options'];
  if (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions))
    return bad('options: must be an object');
  const options: Record<string, OptionValue> = {};
  for (const [k, v] of Object.entries(rawOptions)) {
    const problem = checkOption(k, v);
    if (problem) return bad(`options.${k.slice(0, 40)}: ${problem}`);
    options[k] = v as OptionValue;
  }
  const rawActions = o['actions'];
  if (!Array.isArray(rawActions)) return bad('actions: must be a list');
  if (rawActions.length > MAX_SESSION_ACTIONS) return bad(`actions: at most ${MAX_SESSION_ACTIONS}`);
  const actions: SessionFile['actions'] = [];
  let last = 0;
  for (const [i, a] of rawActions.entries()) {
    const at = `actions[${i}]`;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) return bad(`${at}: must be {step, action}`);
    const entry = a as Record<string, unknown>;
    for (const k of Object.keys(entry))
      if (k !== 'step' && k !== 'action') return bad(`${at}.${k}: not a field`);
    const step = entry['step'];
    if (!isIndex(step, steps as number)) return bad(`${at}.step: must be an integer 0…${String(steps)}`);
    if ((step as number) < last) return bad(`${at}.step: actions must be in step order`);
    last = step as number;
    const parsed = parseUserAction(entry['action'], `${at}.action`);
    if (!parsed.ok) return bad(parsed.error);
    actions.push({ step: step as number, action: parsed.action });
  }
  const rawPicks = o['picks'];
  if (!Array.isArray(rawPicks)) return bad('picks: must be a list');
  if (rawPicks.length > 0 && policy !== 'manual') return bad('picks: only a manual session has picks');
  const picks: SessionFile['picks'] = [];
  for (const [i, p] of rawPicks.entries()) {
    if (
      !Array.isArray(p) ||
      p.length !== 2 ||
      !isIndex(p[0], (steps as number) - 1) ||
      !isIndex(p[1], 2 ** 31)
    )
      return bad(`picks[${i}]: must be [step, pending action id]`);
    if (i > 0 && (p[0] as number) <= picks[i - 1]![0]) return bad(`picks[${i}]: steps must increase`);
    picks.push([p[0] as number, p[1] as number]);
  }
  return {
    ok: true,
    value: {
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      scenario: scenarioId as string | null,
      profile,
      seed: o['seed'] as number,
      policy: policy as SchedulingPolicy,
      options,
      actions,
      picks,
      steps: steps as number,
    },
  };
}

/** Builds the session's world by replaying it to its last step. */
export function loadSession(s: SessionFile, checkpointEvery?: number): Imported<World> {
  const world = createWorld({
    profile: s.profile,
    seed: s.seed,
    policy: s.policy,
    options: s.options,
    checkpointEvery,
  });
  const picks = new Map(s.picks);
  let next = 0;
  const give = () => {
    while (next < s.actions.length && s.actions[next]!.step === world.seq)
      world.act(s.actions[next++]!.action);
  };
  try {
    give();
    while (world.seq < s.steps) {
      const at = world.seq;
      let choice: number | undefined;
      if (s.policy === 'manual') {
        choice = picks.get(at) ?? world.enabled()[0]?.id;
        if (choice !== undefined && !world.enabled().some((p) => p.id === choice))
          return { ok: false, error: `picks: at step ${at} action ${choice} is not enabled` };
      }
      if (!world.step(choice))
        return { ok: false, error: `steps: the session ends after ${at} steps, not ${s.steps}` };
      give();
    }
  } catch (e) {
    return { ok: false, error: `actions: replay failed at step ${world.seq}: ${(e as Error).message}` };
  }
  if (next < s.actions.length)
    return { ok: false, error: `actions[${next}].step: the trace ends before step ${s.actions[next]!.step}` };
  return { ok: true, value: world };
}

/** Text (a file, a URL fragment) → the session's world, or an error and nothing else. */
export function importSession(text: string): Imported<World> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `session: not JSON (${(e as Error).message})` };
  }
  const parsed = parseSession(raw);
  return parsed.ok ? loadSession(parsed.value) : parsed;
}

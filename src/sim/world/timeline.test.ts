import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { SCENARIOS } from '../scenarios/catalogue';
import { runScenario } from '../scenarios/run';
import { exportSession, loadSession } from '../session/session';
import { createWorld } from './createWorld';
import { worldFingerprint } from './fingerprint';
import type { World } from './world';

const S7 = SCENARIOS.find((s) => s.id === 'S7')!;

/** S7 played by hand (each action once the world settles), remembering where each was given. */
function playS7(checkpointEvery: number): World {
  const world = createWorld({
    profile: 'kexec-patch-2006',
    seed: 3,
    policy: 'seeded',
    options: {},
    checkpointEvery,
  });
  world.run();
  for (const action of S7.script) {
    if ('when' in action) throw new Error('S7 has no mid-flight actions');
    world.act(action);
    world.run();
  }
  return world;
}

/** A fresh world given the same actions at the same positions, run to position n. */
function replayTo(source: World, n: number): World {
  const world = createWorld({ ...source.config });
  let i = 0;
  const give = () => {
    while (i < source.inputs.length && source.inputs[i]!.step === world.seq)
      world.act(source.inputs[i++]!.action);
  };
  give();
  while (world.seq < n) {
    world.step(source.config.policy === 'manual' ? source.picks.get(world.seq) : undefined);
    give();
  }
  return world;
}

describe('time travel', () => {
  it('seek(n) from a checkpoint gives the state a replay from scratch reaches, for random n', () => {
    const world = playS7(40);
    const length = world.trace.length;
    expect(length).toBeGreaterThan(300);
    expect(world.checkpoints.size).toBeGreaterThan(5);
    const rng = new Rng(99);
    const targets = [0, length, 40, 41, ...Array.from({ length: 12 }, () => rng.int('n', length + 1))];
    for (const n of targets) {
      world.seek(n);
      expect(world.seq).toBe(n);
      expect(worldFingerprint(world), `position ${n}`).toBe(worldFingerprint(replayTo(world, n)));
    }
  });

  it('stepping on after a seek replays the recorded trace exactly', () => {
    const world = playS7(25);
    const recorded = JSON.stringify(world.trace);
    const end = world.trace.length;
    world.seek(Math.floor(end / 3));
    world.run();
    expect(world.seq).toBe(end);
    expect(JSON.stringify(world.trace)).toBe(recorded);
    expect(worldFingerprint(world)).toBe(worldFingerprint(replayTo(world, end)));
  });

  it('an action given after a seek back starts a new future and drops the old one', () => {
    const world = playS7(30);
    const kexecAt = world.inputs.at(-1)!.step;
    world.seek(kexecAt);
    world.act({ type: 'guest-shutdown', domid: 1 });
    expect(world.trace.length).toBe(kexecAt);
    expect(world.inputs.map((i) => i.action.type)).toEqual([
      'create-domain',
      'attach-disk',
      'attach-nic',
      'kexec',
      'guest-shutdown',
    ]);
    world.run();
    expect(world.trace.some((e) => e.seq >= kexecAt && e.summary.includes('guest-shutdown'))).toBe(true);
    expect(worldFingerprint(world)).toBe(worldFingerprint(replayTo(world, world.trace.length)));
  });

  it('seek refuses positions outside the trace', () => {
    const world = playS7(50);
    expect(() => world.seek(-1)).toThrow(RangeError);
    expect(() => world.seek(world.trace.length + 1)).toThrow(/outside the trace/);
    expect(() => world.seek(1.5)).toThrow(RangeError);
  });
});

describe('time travel across the harder worlds', () => {
  // a kexec jump (two kernels, one frozen), a suspend (held messages, gated requests), manual picks
  for (const [id, profile] of [
    ['S14', 'linux-modern'],
    ['S15', 'linux-modern'],
    ['S12', 'linux-modern'],
    ['S10', 'kexec-patch-2006'],
  ] as const) {
    it(`${id}: seek(n) equals a replay from scratch`, () => {
      const s = SCENARIOS.find((x) => x.id === id)!;
      const world = runScenario(s, { profile, options: {} });
      // rebuild with small checkpoint spacing from the recorded session
      const loaded = loadSession({ ...exportSession(world, id) }, 60);
      if (!loaded.ok) throw new Error(loaded.error);
      const w = loaded.value;
      const rng = new Rng(5);
      for (let i = 0; i < 8; i++) {
        const n = rng.int('n', w.trace.length + 1);
        w.seek(n);
        expect(worldFingerprint(w), `${id} at ${n}`).toBe(worldFingerprint(replayTo(w, n)));
      }
    });
  }
});

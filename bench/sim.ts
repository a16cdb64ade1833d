/**
 * The headless simulator, measured on the large world of issue 4: 64 HVM domains under
 * linux-modern, each given a vbd and a vif; every device connects; then each domain kexecs and its
 * successor resets and reconnects both devices. Prints:
 *
 *   sim.steps: <n> steps/s        whole run (domain creation, connect, kexec cycle), trace recorded,
 *                                 checkpoints every 4,000 steps (the default); median of 3 runs
 *   sim.seek_median: <ms> ms      seek(n) to 200 random positions of a 100,000-step trace
 *   sim.seek_max: <ms> ms         the slowest of those seeks
 *   sim.trace_memory: <n> MB      heap held by that 100,000-step world: trace, checkpoints, state
 *
 * The run must end with all 256 devices Connected, or the script fails.
 * Usage: npx tsx --expose-gc bench/sim.ts
 */
import { performance } from 'node:perf_hooks';
import { Rng } from '../src/sim/rng';
import { createWorld } from '../src/sim/world/createWorld';
import type { World } from '../src/sim/world/world';

const DOMAINS = 64;
const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Gives the actions of one phase, all at once, and runs until the world settles (or `limit`). */
function phase(world: World, actions: Parameters<World['act']>[0][], limit = Infinity): void {
  for (const a of actions) world.act(a);
  world.run(limit - world.trace.length);
}

function largeWorld(limit = Infinity): World {
  const world = createWorld({ profile: 'linux-modern', seed: 1, policy: 'fifo', options: {} });
  const domids = Array.from({ length: DOMAINS }, (_, i) => i + 1);
  world.run();
  phase(
    world,
    domids.map((domid) => ({ type: 'create-domain', domid, kind: 'HVM', image: 'vmlinuz' })),
    limit,
  );
  phase(
    world,
    domids.flatMap((domid) => [
      { type: 'attach-disk', domid },
      { type: 'attach-nic', domid },
    ]),
    limit,
  );
  phase(
    world,
    domids.map((domid) => ({ type: 'kexec', domid, image: 'vmlinuz' })),
    limit,
  );
  return world;
}

function checkConnected(world: World): void {
  const states = [...world.devices.keys()].map((k) => world.deviceState(k));
  const connected = states.filter((s) => s === 'Connected').length;
  if (connected !== DOMAINS * 4) throw new Error(`bench: ${connected} of ${DOMAINS * 4} devices Connected`);
}

// ---- steps per second
largeWorld(); // warm-up
const rates: number[] = [];
let steps = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const world = largeWorld();
  const ms = performance.now() - t0;
  checkConnected(world);
  steps = world.trace.length;
  rates.push(steps / (ms / 1000));
}
console.log(`sim.steps: ${Math.round(median(rates))} steps/s`);

// ---- seek and memory on a 100,000-step trace
gc?.();
const before = process.memoryUsage().heapUsed;
const world = largeWorld(100_000);
if (world.trace.length !== 100_000) throw new Error(`bench: trace has ${world.trace.length} steps`);
gc?.();
const held = process.memoryUsage().heapUsed - before;
const rng = new Rng(7);
const times: number[] = [];
for (let i = 0; i < 200; i++) {
  const n = rng.int('seek', world.trace.length + 1);
  const t0 = performance.now();
  world.seek(n);
  times.push(performance.now() - t0);
}
console.log(`sim.seek_median: ${median(times).toFixed(1)} ms`);
console.log(`sim.seek_max: ${Math.max(...times).toFixed(1)} ms`);
console.log(`sim.trace_memory: ${Math.round(held / 1e6)} MB`);

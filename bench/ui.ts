/**
 * The UI in headless Chromium, on the production build (`dist/`, built by scripts/bench.mjs) served
 * by `vite preview`. Prints:
 *
 *   ui.first_render: <ms> ms   navigation start to the first rendered world (S1's world map in the
 *                              page), a fresh browser context each time; median of 7
 *   ui.frame_p95: <ms> ms      95th percentile of requestAnimationFrame deltas while the 64-device
 *                              world (`many-devices` from its first kexec: all 64 pairs on the state
 *                              matrix, guests reconnecting one after another) plays at 64x for 5 s;
 *                              median of 3 runs
 *   ui.play_rate: <n> steps/s  steps shown per second in those runs (64x is 256 steps/s): the
 *                              world really played at full speed while the frames were measured
 *
 * Chromium runs with --disable-frame-rate-limit and --disable-gpu-vsync, so a frame takes as long as
 * its work (headless Chromium otherwise ticks at a fixed 60 Hz and every delta reads 16.7 ms).
 * Usage: npx tsx bench/ui.ts (after `vite build`)
 */
import { spawn } from 'node:child_process';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, ensureChromium } from '../scripts/chromium.mjs';
import { findPlayable } from '../src/sim/scenarios/demos';
import { runScenario } from '../src/sim/scenarios/run';

const PORT = 4175;
const BASE = `http://127.0.0.1:${PORT}/`;
const PLAY_MS = 5000;

/** Where the many-devices world's kexec phase starts (the same trace the page builds). */
const KEXEC_PHASE = runScenario(findPlayable('many-devices')!, { profile: 'linux-modern' }).trace.findIndex(
  (e) => e.kind === 'user' && e.summary.startsWith('user: kexec'),
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(BASE)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not start on ${BASE}`);
}

/** Navigation start to the moment the world map is in the page, read from the page's own clock. */
async function firstRender(browser: Browser): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __firstWorld?: number };
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid="world"]') !== null) {
        w.__firstWorld = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${BASE}?scenario=S1&profile=linux-modern&seed=1`);
  await page.waitForSelector('[data-testid="world"]');
  const ms = await page.evaluate(() => (window as unknown as { __firstWorld: number }).__firstWorld);
  await context.close();
  return ms;
}

/** Frame deltas while the many-devices world plays at 64x; also how far it got. */
async function playFrames(browser: Browser): Promise<{ p95: number; frames: number; steps: number }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(`${BASE}?scenario=many-devices&profile=linux-modern&seed=1`);
  await page.waitForSelector('[data-testid="world"]', { timeout: 60_000 });
  // from the first kexec on: all 64 pairs exist, and guest after guest reconnects its devices
  await page.getByTestId('playback.scrub').fill(String(KEXEC_PHASE));
  await page.waitForSelector('[data-testid="world.matrix-view"]');
  const pairs = await page.locator('[data-testid^="matrix."]').count();
  if (pairs !== 64) throw new Error(`expected 64 device pairs on the map, found ${pairs}`);
  await page.getByTestId('playback.speed').selectOption('64');
  const position = () => page.getByTestId('playback.position').innerText();
  const before = await position();
  // a string, not a function: the page must not see the helpers a TypeScript runner adds to functions
  await page.evaluate(`(() => {
    window.__deltas = [];
    window.__stop = false;
    let last = null;
    const frame = (t) => {
      if (last !== null) window.__deltas.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })()`);
  await page.getByTestId('command.playback.toggle').click();
  await page.waitForTimeout(PLAY_MS);
  const deltas = await page.evaluate(() => {
    const w = window as unknown as { __deltas: number[]; __stop: boolean };
    w.__stop = true;
    return w.__deltas;
  });
  const after = await position();
  await context.close();
  const step = (s: string) => Number(/step (\d+)/.exec(s)?.[1] ?? 0);
  return { p95: percentile(deltas, 95), frames: deltas.length, steps: step(after) - step(before) };
}

const server = spawn(
  'npx',
  ['--no-install', 'vite', 'preview', '--host', '127.0.0.1', '--port', `${PORT}`, '--strictPort'],
  { stdio: 'ignore', detached: true },
);
const browser = await chromium.launch({
  executablePath: ensureChromium(),
  args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'],
});
try {
  await waitForServer();
  await firstRender(browser); // warm the server and the disk cache
  const renders: number[] = [];
  for (let i = 0; i < 7; i++) renders.push(await firstRender(browser));
  console.log(`ui.first_render: ${median(renders).toFixed(0)} ms`);
  const runs: Array<{ p95: number; frames: number; steps: number }> = [];
  for (let i = 0; i < 3; i++) runs.push(await playFrames(browser));
  for (const r of runs)
    if (r.steps < 64 * 4) throw new Error(`the world did not play at 64x: ${r.steps} steps in ${PLAY_MS} ms`);
  console.log(`ui.frame_p95: ${median(runs.map((r) => r.p95)).toFixed(1)} ms`);
  const stepsPerSecond = median(runs.map((r) => r.steps)) / (PLAY_MS / 1000);
  console.log(`ui.play_rate: ${stepsPerSecond.toFixed(0)} steps/s`);
} finally {
  await browser.close();
  process.kill(-server.pid!);
}

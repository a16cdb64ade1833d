// `npm run screenshots`: builds the app (test mode, for the page's step API), serves it, and saves
// the README's pictures in docs/: S1, S7, S10 and S14 at their key steps, the debugger, a tour,
// presenter mode, and an exported diagram.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.mjs';
import { npx } from './run.mjs';

const PORT = 4174;
const BASE = `http://127.0.0.1:${PORT}/`;
const OUT = 'dist-shots';

if (npx(['vite', 'build', '--mode', 'test', '--outDir', OUT, '--logLevel', 'error']) !== 0) process.exit(1);
const server = spawn(
  'npx',
  [
    '--no-install',
    'vite',
    'preview',
    '--outDir',
    OUT,
    '--host',
    '127.0.0.1',
    '--port',
    `${PORT}`,
    '--strictPort',
  ],
  { stdio: 'ignore', detached: true },
);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(BASE)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`preview server did not start on ${BASE}`);
}

/** Plays the open scenario at 64x and starts its guided tour. */
async function startTour(page) {
  await page.getByTestId('playback.speed').selectOption('64');
  await page.locator('[data-testid="tour.menu"] summary').click();
  await page.getByTestId('tour.builtin').click();
}

/**
 * Each picture: the fixture, how to find its key step from the trace (the page's test API gives
 * summaries and effects), and what to show in the inspector.
 */
const SHOTS = [
  {
    file: 'docs/s1-connected.png',
    query: '?scenario=S1&profile=linux-modern&seed=1',
    // the step where blkfront reaches Connected
    step: `(() => { const a = window.__xenscope; const n = a.state().length;
      for (let i = 0; i < n; i++) if (a.effects(i).some((e) => e.k === 'transition' && e.to === 'Connected' && e.device.includes('|device/'))) return i + 1;
      return n; })()`,
    device: 'dom1.K1|device/vbd/51712',
    tab: 'step',
  },
  {
    file: 'docs/s1-dark.png',
    query: '?scenario=S1&profile=linux-modern&seed=1',
    step: `(() => { const s = window.__xenscope.summaries(); return s.findIndex((x) => x.includes('state = "3"')) + 1; })()`,
    tab: 'watches',
    colorScheme: 'dark',
  },
  {
    file: 'docs/s7-kexec-reconnect.png',
    query: '?scenario=S7&profile=kexec-patch-2006&seed=1',
    // K2 has probed the vbd again and the backend, left in InitWait by K1's close, is Connected again
    step: `(() => { const a = window.__xenscope; const n = a.state().length; let boot = -1;
      for (let i = 0; i < n; i++) if (a.effects(i).some((e) => e.k === 'actor' && e.actor === 'dom1.K2' && e.change === 'started')) { boot = i; break; }
      for (let i = boot; i < n; i++) if (a.effects(i).some((e) => e.k === 'transition' && e.device.startsWith('dom0.kernel|backend/vbd') && e.to === 'Connected')) return i + 1;
      return n; })()`,
    tab: 'kernels',
  },
  {
    file: 'docs/s10-rx-leak.png',
    query: '?scenario=S10&profile=kexec-patch-2006&seed=1',
    // just after netfront's rx-buffer release on the first detach
    step: `(() => { const a = window.__xenscope; const n = a.state().length;
      for (let i = 0; i < n; i++) if (a.effects(i).some((e) => e.k === 'hv' && e.e.kind === 'rx-release')) return i + 1;
      return n; })()`,
    tab: 'resources',
  },
  {
    file: 'docs/s14-kexec-jump.png',
    query: '?scenario=S14&profile=linux-modern&seed=1',
    // K1 frozen by the jump, K2 running with its own frontends
    step: `(() => { const a = window.__xenscope; const n = a.state().length; let froze = -1;
      for (let i = 0; i < n; i++) if (a.effects(i).some((e) => e.k === 'actor' && e.change === 'frozen')) { froze = i; break; }
      for (let i = froze; i < n; i++) if (a.effects(i).some((e) => e.k === 'transition' && e.device.startsWith('dom1.K2|device/vbd') && e.to === 'Connected')) return i + 1;
      return n; })()`,
    device: 'dom1.K2|device/vbd/51712',
    tab: 'device',
  },
  {
    file: 'docs/debug-s11-lint.png',
    query: '?scenario=S11&profile=linux-modern&seed=1',
    // the backend's Connected that the frontend never reads: the lint finding's step
    step: `(() => { const a = window.__xenscope; const n = a.state().length;
      for (let i = 0; i < n; i++) if (a.effects(i).some((e) => e.k === 'node-write' && e.path.endsWith('backend/vbd/1/51712/state') && e.value === '4')) return i + 1;
      return n; })()`,
    tab: 'debug',
  },
  {
    file: 'docs/debug-s11-why.png',
    query: '?scenario=S11&profile=linux-modern&seed=1',
    // the frontend's callback that reads 5 (Closing) where 4 was written: ask why
    step: `(() => { const a = window.__xenscope; const s = a.summaries();
      const i = s.findIndex((x) => x.startsWith('dom1.K1: READ /local/domain/0/backend/vbd/1/51712/state') && x.endsWith('"5"'));
      return i + 1; })()`,
    tab: 'step',
    actions: async (page) => {
      await page.getByTestId('why.ask').click();
    },
  },
  {
    file: 'docs/debug-s11-interleave.png',
    query: '?scenario=S11&profile=linux-modern&seed=1&policy=manual',
    step: `(() => window.__xenscope.summaries().findIndex((x) => x.includes('hold-xenwatch domid=1 held=true')) + 1)()`,
    tab: 'debug',
    actions: async (page) => {
      await page.getByTestId('interleaving.preview.0').click();
      await page.getByTestId('interleaving.choice.0').getByRole('button', { name: 'pin' }).click();
      await page.getByTestId('interleaving.preview.1').click();
      await page.getByTestId('interleaving.choice.1').getByRole('button', { name: 'pin' }).click();
      await page.getByTestId('interleaving').scrollIntoViewIfNeeded();
    },
  },
  {
    file: 'docs/debug-s7-breakpoint.png',
    query: '?scenario=S7&profile=kexec-patch-2006&seed=1',
    step: '0',
    tab: 'debug',
    actions: async (page) => {
      await page.getByTestId('breakpoints.input').fill('blkback: Closing→InitWait');
      await page.getByTestId('breakpoints.add').click();
      await page.getByTestId('playback.speed').selectOption('64');
      await page.getByTestId('command.playback.toggle').click();
      await page.waitForFunction(() => !window.__xenscope.state().playing);
    },
  },
  {
    file: 'docs/debug-s7-compare.png',
    query: '?scenario=S7&profile=kexec-patch-2006&seed=1',
    step: '0',
    tab: 'debug',
    actions: async (page) => {
      await page.getByTestId('compare.scenario').selectOption('S8');
      await page.getByTestId('compare.open').click();
      await page.getByTestId('compare.first-divergence').click();
    },
  },
  {
    file: 'docs/tour-s1-predict.png',
    query: '?scenario=S1&profile=linux-modern&seed=1',
    step: '0',
    tab: 'step',
    // the guided tour, on to its first question, answered
    actions: async (page) => {
      await startTour(page);
      for (let i = 0; i < 20 && (await page.getByTestId('tour.predict').count()) === 0; i++) {
        await page.getByTestId('tour.continue').click();
        await page.waitForFunction(() => !window.__xenscope.state().playing);
      }
      await page.getByTestId('tour.predict').getByRole('group').getByRole('button').first().click();
      await page.waitForFunction(() => !window.__xenscope.state().playing);
    },
  },
  {
    file: 'docs/present-s7.png',
    query: '?scenario=S7&profile=kexec-patch-2006&seed=1&present=1',
    step: '0',
    tab: 'step',
    // presenter mode, the guided tour where blkback prepares for the reconnect: PageDown is the clicker's Continue
    actions: async (page) => {
      await startTour(page);
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('PageDown');
        await page.waitForFunction(() => !window.__xenscope.state().playing);
        const caption = page.getByTestId('tour.caption');
        if ((await caption.count()) > 0 && (await caption.textContent()).includes('prepare for reconnect'))
          break;
      }
    },
  },
];

/** The README's exported diagram: S1's connect, from the Session menu, as SVG and Mermaid. */
const EXPORTS = {
  query: '?scenario=S1&profile=linux-modern&seed=1&step=393',
  from: '371',
  to: '392',
  files: { svg: 'docs/export-s1-connect.svg', mermaid: 'docs/export-s1-connect.mmd' },
};

const browser = await chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
try {
  await waitForServer();
  for (const shot of SHOTS) {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 720 },
      colorScheme: shot.colorScheme ?? 'light',
    });
    await page.goto(`${BASE}${shot.query}`);
    await page.waitForFunction(() => window.__xenscope?.state().scenario != null);
    const step = await page.evaluate(shot.step);
    await page.evaluate((n) => window.__xenscope.seek(n), step);
    if (shot.device) await page.getByTestId(`device.${shot.device}`).click();
    await page.getByTestId(`inspector.tab.${shot.tab}`).click();
    if (shot.actions) await shot.actions(page);
    await page.mouse.move(0, 0);
    await page.waitForTimeout(200);
    await page.screenshot({ path: shot.file });
    console.log(`${shot.file} (step ${step})`);
    await page.close();
  }
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  await page.goto(`${BASE}${EXPORTS.query}`);
  await page.waitForFunction(() => window.__xenscope?.state().scenario != null);
  await page.locator('[data-testid="session.menu"] summary').click();
  await page.getByTestId('export.from').fill(EXPORTS.from);
  await page.getByTestId('export.to').fill(EXPORTS.to);
  for (const [kind, file] of Object.entries(EXPORTS.files)) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(`export.${kind}`).click(),
    ]);
    await download.saveAs(file);
    console.log(file);
  }
  await page.close();
} finally {
  await browser.close();
  process.kill(-server.pid);
  rmSync(OUT, { recursive: true, force: true });
}

// `npm run screenshots`: builds the app, serves it, and saves the README's pictures in docs/.
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, ensureChromium } from './chromium.mjs';
import { npx } from './run.mjs';

const PORT = 4174;
const URL = `http://127.0.0.1:${PORT}/`;

if (npx(['vite', 'build', '--logLevel', 'error']) !== 0) process.exit(1);
const server = spawn(
  'npx',
  ['--no-install', 'vite', 'preview', '--host', '127.0.0.1', '--port', `${PORT}`, '--strictPort'],
  {
    stdio: 'ignore',
    detached: true,
  },
);

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(URL)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`preview server did not start on ${URL}`);
}

const browser = await chromium.launch({
  executablePath: ensureChromium(),
  args: CHROMIUM_ARGS,
});
try {
  await waitForServer();
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme });
    await page.goto(URL);
    await page.getByRole('banner').waitFor();
    await page.screenshot({ path: `docs/shell-${colorScheme}.png` });
    console.log(`docs/shell-${colorScheme}.png`);
    await page.close();
  }
} finally {
  await browser.close();
  process.kill(-server.pid);
}

import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromium.mjs';

// The browser tests run against the production bundle (vite build + vite preview), as users get it,
// built in the `test` mode, which adds window.__xenscope (the tests' handle; see src/ui/app/testApi.ts).
// Chromium comes from scripts/chromium.mjs (CHROMIUM_PATH), never from a Playwright download.
const PORT = 4173;

const results = process.env.XENSCOPE_RESULTS;

export default defineConfig({
  testDir: './e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: results ? [['list'], ['json', { outputFile: results }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 720 },
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 720 },
        launchOptions: { executablePath: process.env.CHROMIUM_PATH, args: CHROMIUM_ARGS },
      },
    },
  ],
  webServer: {
    command: `npx vite build --mode test --outDir dist-test && npx vite preview --outDir dist-test --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

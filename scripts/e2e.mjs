// Runs the browser tests against the production build in headless Chromium.
// Usage: npm run test:e2e [-- <playwright test args>]
import { ensureChromium } from './chromium.mjs';
import { npx } from './run.mjs';

let chromium;
try {
  chromium = ensureChromium();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
process.exit(
  npx(['playwright', 'test', ...process.argv.slice(2)], { env: { ...process.env, CHROMIUM_PATH: chromium } }),
);

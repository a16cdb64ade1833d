// `npm test`: typecheck, lint, unit and property tests, then the browser tests in headless Chromium.
// Each stage runs even when an earlier one failed, so one run reports everything; the exit status
// is non-zero when any stage failed. Machine-readable results go to .results/ for the CI summary.
import { mkdirSync, rmSync } from 'node:fs';
import { ensureChromium } from './chromium.mjs';
import { npx } from './run.mjs';
import { summarize } from './summary.mjs';

rmSync('.results', { recursive: true, force: true });
mkdirSync('.results', { recursive: true });

const failed = [];
function stage(name, fn) {
  console.log(`\n== ${name} ==`);
  const status = fn();
  if (status !== 0) failed.push(name);
}

stage('typecheck', () => npx(['tsc', '-b']));
stage('lint', () => {
  const eslint = npx(['eslint', '.', '--max-warnings', '0']);
  const prettier = npx(['prettier', '--check', '.']);
  return eslint || prettier;
});
stage('unit and property tests', () =>
  npx(['vitest', 'run'], { env: { ...process.env, XENSCOPE_RESULTS: '.results/unit.json' } }),
);
stage('browser tests', () => {
  let chromium;
  try {
    chromium = ensureChromium();
  } catch (e) {
    console.error(e.message);
    return 1;
  }
  return npx(['playwright', 'test'], {
    env: { ...process.env, CHROMIUM_PATH: chromium, XENSCOPE_RESULTS: '.results/e2e.json' },
  });
});

if (failed.length > 0) console.log(`\nfailed stages: ${failed.join(', ')}`);
const { passed, failed: failedTests } = summarize('.results');
console.log(`\n${passed} passed, ${failedTests} failed`);
process.exit(failed.length > 0 ? 1 : 0);

// Counts passed and failed tests across the unit (Vitest JSON) and browser (Playwright JSON) results.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function readJson(path) {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Vitest's JSON reporter (Jest-compatible shape). */
export function countVitest(report) {
  if (!report) return { passed: 0, failed: 0 };
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0),
  };
}

/** Playwright's JSON reporter: a flaky test (passed on retry) counts as passed. */
export function countPlaywright(report) {
  if (!report?.stats) return { passed: 0, failed: 0 };
  const { expected = 0, unexpected = 0, flaky = 0 } = report.stats;
  return { passed: expected + flaky, failed: unexpected + (report.errors?.length ?? 0) };
}

export function summarize(dir) {
  const unit = countVitest(readJson(join(dir, 'unit.json')));
  const e2e = countPlaywright(readJson(join(dir, 'e2e.json')));
  return { passed: unit.passed + e2e.passed, failed: unit.failed + e2e.failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { passed, failed } = summarize(process.argv[2] ?? '.results');
  console.log(`${passed} passed, ${failed} failed`);
}

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

/**
 * Vitest's JSON reporter (Jest-compatible shape). A test file that fails to load has no failed
 * assertion of its own, so it counts as one failure.
 */
export function countVitest(report) {
  if (!report) return { passed: 0, failed: 0 };
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  return { passed: report.numPassedTests ?? 0, failed: (report.numFailedTests ?? 0) + brokenFiles };
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

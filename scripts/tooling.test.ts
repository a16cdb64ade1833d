import { describe, expect, it } from 'vitest';
import { locateChromium } from './chromium.mjs';
import { countPlaywright, countVitest } from './summary.mjs';

describe('locateChromium', () => {
  it('prefers CHROMIUM_PATH when it names an executable', () => {
    expect(locateChromium({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
  });

  it('names the bad CHROMIUM_PATH instead of silently falling back', () => {
    expect(() => locateChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      /CHROMIUM_PATH is set to \/nonexistent\/chromium/,
    );
  });
});

describe('test summary counts', () => {
  it('counts Vitest passes, failures and suites that failed to load', () => {
    const report = {
      numPassedTests: 7,
      numFailedTests: 2,
      testResults: [
        { status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'failed' }] },
        { status: 'failed', assertionResults: [] },
        { status: 'passed', assertionResults: [{ status: 'passed' }] },
      ],
    };
    expect(countVitest(report)).toEqual({ passed: 7, failed: 3 });
    expect(countVitest(undefined)).toEqual({ passed: 0, failed: 0 });
  });

  it('counts a Playwright test that passed on retry as passed and global errors as failures', () => {
    expect(countPlaywright({ stats: { expected: 5, unexpected: 1, flaky: 2 }, errors: [{}] })).toEqual({
      passed: 7,
      failed: 2,
    });
  });
});

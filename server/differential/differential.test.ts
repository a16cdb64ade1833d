/**
 * Differential test: every script in scripts/ runs on a fresh real xenstored 4.17 (through
 * shared/tools/xenstored-ref) and on a fresh server of ours; replies and watch events must be the
 * same on every connection, transaction ids aside. Steps marked `deviation` differ on purpose; each
 * is explained in DEVIATIONS.md and must still differ (else the mark is stale).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScripts } from './loadScripts';
import { startOurServer } from './ours';
import { referenceUnavailable, startReference } from './reference';
import { compareRuns, formatDifferences, judge } from './report';
import { runScript } from './runner';

const scripts = loadScripts();
const total = scripts.reduce((n, s) => n + s.requests.length, 0);
const why = referenceUnavailable();
if (why) console.warn(`SKIPPED differential test against the real xenstored: ${why}`);
/** CI sets XENSCOPE_REQUIRE_REFERENCE=1 so that a missing reference fails instead of skipping. */
const required = process.env.XENSCOPE_REQUIRE_REFERENCE === '1';

describe.runIf(why !== null && required)(
  'reference daemon (required by XENSCOPE_REQUIRE_REFERENCE=1)',
  () => {
    it('is set up', () => {
      expect.fail(why ?? '');
    });
  },
);

const deviationsDoc = readFileSync(new URL('./DEVIATIONS.md', import.meta.url), 'utf8');

describe('request scripts', () => {
  it(`hold at least 150 requests (${total}) and name only documented deviations`, () => {
    expect(total).toBeGreaterThanOrEqual(150);
    const ids = new Set(
      scripts.flatMap((s) => s.requests.flatMap((r) => (r.deviation ? [r.deviation] : []))),
    );
    for (const id of ids)
      expect(deviationsDoc, `${id} is not in DEVIATIONS.md`).toMatch(new RegExp(`^## ${id}\\b`, 'm'));
  });
});

describe.skipIf(why !== null)(
  `differential: real xenstored vs ours${why ? ` (SKIPPED: ${why})` : ''}`,
  () => {
    for (const script of scripts) {
      it(`${script.name}: same replies and events (${script.requests.length} requests)`, async () => {
        const ref = await startReference();
        const real = await runScript(ref.endpoints, script.requests).finally(() => ref.stop());
        const ours = await startOurServer();
        const mine = await runScript(ours.endpoints, script.requests).finally(() => ours.stop());

        const verdict = judge(script.requests, compareRuns(real, mine));
        expect(formatDifferences(script.name, verdict.unexpected), 'differences from the real daemon').toBe(
          '',
        );
        expect(verdict.stale, 'deviation marks that no longer apply').toEqual([]);
      }, 60_000);
    }
  },
);

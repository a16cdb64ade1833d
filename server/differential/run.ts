/**
 * Command line for the differential test:
 *
 *     npx tsx server/differential/run.ts [--real-only] [--verbose] [SCRIPT...]
 *
 * Runs each script (default: all) on a fresh real xenstored and on a fresh in-process server, then
 * prints the differences (exit 1 if any is not a documented deviation, or a deviation mark is stale;
 * `--verbose` also prints the documented ones). `--real-only` prints the real daemon's transcript
 * instead, which is how scripts are written and checked.
 */
import { loadScripts } from './loadScripts';
import { startOurServer } from './ours';
import { referenceUnavailable, startReference } from './reference';
import { runScript } from './runner';
import { compareRuns, formatDifferences, formatTranscript, judge } from './report';

async function main(argv: string[]): Promise<number> {
  const realOnly = argv.includes('--real-only');
  const verbose = argv.includes('--verbose');
  const names = argv.filter((a) => !a.startsWith('--'));
  const why = referenceUnavailable();
  if (why) {
    process.stderr.write(`differential: ${why}\n`);
    return 2;
  }
  let failed = false;
  for (const script of loadScripts(names)) {
    const ref = await startReference();
    const real = await runScript(ref.endpoints, script.requests).finally(() => ref.stop());
    if (realOnly) {
      process.stdout.write(
        `== ${script.name} (${script.requests.length} requests)\n${formatTranscript(real)}\n`,
      );
      continue;
    }
    const ours = await startOurServer();
    const mine = await runScript(ours.endpoints, script.requests).finally(() => ours.stop());
    const v = judge(script.requests, compareRuns(real, mine));
    process.stdout.write(
      `== ${script.name}: ${script.requests.length} requests, ${v.unexpected.length} differ` +
        ` (+${v.known.length} documented in DEVIATIONS.md)\n`,
    );
    if (verbose && v.known.length > 0) process.stdout.write(`${formatDifferences(script.name, v.known)}\n`);
    if (v.unexpected.length > 0) process.stdout.write(`${formatDifferences(script.name, v.unexpected)}\n`);
    for (const s of v.stale) process.stdout.write(`stale mark: ${s}\n`);
    if (v.unexpected.length > 0 || v.stale.length > 0) failed = true;
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `differential: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);

/**
 * Socket server throughput, with the server in its own process as `npm run xenstored` runs it:
 *
 * - server.pipelined: one client on the UNIX socket keeps 64 READs in flight for a few seconds;
 * - server.cli_write: `xenstore-write` run in a loop (process start-up dominates; measured anyway,
 *   skipped with a message when xenstore-utils are not installed).
 *
 * Prints `name: value unit` lines. Run: npx tsx bench/server.ts [--seconds N]
 */
import { existsSync } from 'node:fs';
import { XsType } from '../src/xenstore/types';
import { joinStrings, requestPayload } from '../src/xenstore';
import { XsRawClient } from '../server/rawClient';
import { runProgram, socketDir, spawnXenstored } from '../server/testing';

const IN_FLIGHT = 64;
const XENSTORE_WRITE = '/usr/bin/xenstore-write';

function secondsArg(): number {
  const i = process.argv.indexOf('--seconds');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 2.5;
  return Number.isFinite(n) && n > 0 ? n : 2.5;
}

/** Requests per second with `IN_FLIGHT` READs always outstanding on one connection. */
async function pipelined(socket: string, seconds: number): Promise<number> {
  const client = await XsRawClient.connect(socket);
  await client.request(XsType.WRITE, requestPayload(XsType.WRITE, ['/bench/key', '1']));
  const payload = joinStrings(['/bench/key']);
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    let outstanding = 0;
    const send = () => {
      outstanding++;
      client.request(XsType.READ, payload).then(() => {
        outstanding--;
        done++;
        if (performance.now() < deadline) send();
        else if (outstanding === 0) resolve();
      }, reject);
    };
    for (let i = 0; i < IN_FLIGHT; i++) send();
  });
  const elapsed = (performance.now() - started) / 1000;
  await client.close();
  return done / elapsed;
}

/** `xenstore-write` processes per second, one after another. */
async function cliWrite(socket: string, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let done = 0;
  while (performance.now() < deadline) {
    const r = await runProgram(XENSTORE_WRITE, ['/bench/cli', String(done)], { XENSTORED_PATH: socket });
    if (r.code !== 0) throw new Error(`xenstore-write failed: ${r.stderr}`);
    done++;
  }
  return done / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const seconds = secondsArg();
  const dir = socketDir('xsb');
  const socket = dir.path('s');
  const server = await spawnXenstored(['--socket', socket, '--quiet']);
  try {
    const rate = await pipelined(socket, seconds);
    process.stdout.write(`server.pipelined: ${Math.round(rate)} req/s\n`);
    if (existsSync(XENSTORE_WRITE)) {
      const cli = await cliWrite(socket, seconds);
      process.stdout.write(`server.cli_write: ${Math.round(cli)} req/s\n`);
    } else {
      process.stderr.write(
        `server.cli_write skipped: ${XENSTORE_WRITE} not installed (apt-get install xenstore-utils)\n`,
      );
    }
  } finally {
    await server.stop();
    dir.cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

/**
 * The real xenstored as the oracle: shared/tools/xenstored-ref/xenstored-ref.sh runs Debian's C daemon
 * (Xen 4.17) without a hypervisor, plus bridges through which a socket client acts as domain 1 or 2.
 * `setup` (apt-get download + build) must have run before; this file only starts and stops daemons
 * from its cache, one fresh daemon per script.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Endpoints } from './runner';

const run = promisify(execFile);
const projectRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** xenstored-ref.sh: $XENSCOPE_XSREF, else shared/ beside the project. */
export const REF_TOOL =
  process.env.XENSCOPE_XSREF ?? resolve(projectRoot, '../shared/tools/xenstored-ref/xenstored-ref.sh');
/** The tool's cache of unpacked packages and built shims ($XSO_CACHE, as the tool reads it). */
export const REF_CACHE = process.env.XSO_CACHE ?? '/tmp/xenstored-oracle';

/** Why the reference cannot run here, or null when it can. */
export function referenceUnavailable(): string | null {
  if (!existsSync(REF_TOOL)) return `${REF_TOOL} not found (set XENSCOPE_XSREF)`;
  const needed = ['build/fakexen.so', 'build/fakexen-guest', 'root/usr/lib/xen-4.17/bin/xenstored'];
  const missing = needed.filter((f) => !existsSync(join(REF_CACHE, f)));
  if (missing.length > 0) {
    return `reference daemon not set up in ${REF_CACHE} (missing ${missing.join(', ')}); run: ${REF_TOOL} setup`;
  }
  return null;
}

export interface RunningDaemon {
  endpoints: Endpoints;
  stop(): Promise<void>;
}

/** Starts a fresh real xenstored with guest bridges for domains 1 and 2 in a new temporary directory. */
export async function startReference(): Promise<RunningDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'xsr-'));
  const tool = (...args: string[]) => run(REF_TOOL, args, { env: { ...process.env, XSO_CACHE: REF_CACHE } });
  const stop = async () => {
    // The daemon and the bridges take seconds to honour the tool's SIGTERM, and the daemon's store
    // is thrown away anyway: kill them by pid first, then let the tool clean up.
    for (const file of ['guest-1.pid', 'guest-2.pid', 'xenstored.pid']) {
      const pid = Number(await readFile(join(dir, file), 'utf8').catch(() => ''));
      if (pid > 0) killQuietly(pid);
    }
    await tool('stop', dir).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await tool('start', dir);
    await tool('guest', '1', dir);
    await tool('guest', '2', dir);
  } catch (err) {
    await stop();
    throw err;
  }
  const socket = join(dir, 'socket');
  return {
    endpoints: { dom0: socket, dom0b: socket, dom1: join(dir, 'dom1.sock'), dom2: join(dir, 'dom2.sock') },
    stop,
  };
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

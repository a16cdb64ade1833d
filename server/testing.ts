/**
 * Test support for the server: temporary socket directories, a stand-in store whose behaviour is
 * trivial and fully visible (so socket plumbing can be tested apart from the engine), and running the
 * server and other programs as child processes.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnId, XsEffect, XsMsg, XsResult } from '../src/xenstore/types';
import { XsType } from '../src/xenstore/types';
import { joinStrings, splitStrings } from '../src/xenstore';
import type { StorePort } from './storePort';

/** A fresh directory for sockets (short: sun_path holds 108 bytes); `cleanup()` removes it. */
export function socketDir(prefix = 'xs'): {
  dir: string;
  path: (name: string) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    dir,
    path: (name) => join(dir, name),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const OK = joinStrings(['OK']);

/**
 * A store stand-in. READ answers the payload back; WRITE of `path\0…` fires a watch-event on every
 * connection that sent WATCH(path-prefix, token); WATCH answers OK plus its registration event;
 * type 99 answers null (drop the connection). It records every call.
 */
export class EchoStore implements StorePort {
  readonly calls: string[] = [];
  private next = 1;
  private readonly watches: Array<{ conn: ConnId; path: string; token: string }> = [];

  connect(opts: { domid: number; privileged?: boolean; kind?: 'domain' | 'socket' }): ConnId {
    const id = this.next++;
    this.calls.push(`connect ${id} dom${opts.domid} ${opts.privileged ? 'priv' : 'unpriv'} ${opts.kind}`);
    return id;
  }

  introduceDomain(domid: number): { conn: ConnId; effects: XsEffect[] } {
    this.calls.push(`introduce ${domid}`);
    return { conn: this.connect({ domid, kind: 'domain' }), effects: [] };
  }

  disconnect(conn: ConnId): XsEffect[] {
    this.calls.push(`disconnect ${conn}`);
    for (let i = this.watches.length - 1; i >= 0; i--)
      if (this.watches[i]?.conn === conn) this.watches.splice(i, 1);
    return [];
  }

  handle(conn: ConnId, msg: XsMsg): XsResult {
    const reply = (payload: Uint8Array): XsMsg => ({
      type: msg.type,
      reqId: msg.reqId,
      txId: msg.txId,
      payload,
    });
    const [path = '', token = ''] = splitStrings(msg.payload);
    switch (msg.type) {
      case XsType.WATCH: {
        this.watches.push({ conn, path, token });
        return { reply: reply(OK), effects: [{ kind: 'watch-event', conn, path, token, watchPath: path }] };
      }
      case XsType.WRITE: {
        const effects: XsEffect[] = this.watches
          .filter((w) => path.startsWith(w.path))
          .map((w) => ({ kind: 'watch-event', conn: w.conn, path, token: w.token, watchPath: w.path }));
        return { reply: reply(OK), effects };
      }
      case 99:
        return { reply: null, effects: [] };
      default:
        return { reply: reply(msg.payload), effects: [] };
    }
  }
}

/** A `server/xenstored.ts` child process (run through tsx, as `npm run xenstored` does). */
export interface XenstoredProcess {
  child: ChildProcessWithoutNullStreams;
  /** stderr lines so far */
  log: string[];
  /** resolves with the exit code once the process has ended */
  exited: Promise<number | null>;
  /** SIGTERM, then waits for the exit */
  stop(): Promise<number | null>;
}

const SERVER_ENTRY = fileURLToPath(new URL('./xenstored.ts', import.meta.url));

/** Spawns the server with `args`; resolves once it logs that it serves (rejects if it exits first). */
export async function spawnXenstored(args: readonly string[]): Promise<XenstoredProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  let partial = '';
  const listeners: Array<() => void> = [];
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    const lines = (partial + s).split('\n');
    partial = lines.pop() ?? '';
    log.push(...lines);
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (log.some((l) => l.includes(': serving'))) resolve();
    };
    listeners.push(check);
    void exited.then((code) => reject(new Error(`xenstored exited with ${code}: ${log.join('\n')}`)));
  });
  return {
    child,
    log,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Output of one run of a command. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to completion with extra environment; never rejects. */
export function runProgram(
  file: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, [...args], { env: { ...process.env, ...env }, timeout: 10_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

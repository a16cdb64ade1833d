/**
 * Debian's xenstore-utils (the real libxenstore clients) against `server/xenstored.ts`, unchanged,
 * through XENSTORED_PATH: dom0 tools on the main socket, domains 1 and 3 on domain sockets.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { XsType } from '../src/xenstore/types';
import { writeHeader } from '../src/xenstore/wire';
import { XsRawClient } from './rawClient';
import { runProgram, socketDir, spawnXenstored, type XenstoredProcess } from './testing';

const BIN = '/usr/bin';
const TOOLS = ['read', 'write', 'ls', 'list', 'rm', 'chmod', 'exists', 'watch'];
const missing = TOOLS.filter((t) => !existsSync(`${BIN}/xenstore-${t}`));
const skipReason =
  missing.length > 0
    ? `xenstore-utils not installed (missing ${missing.map((t) => `xenstore-${t}`).join(', ')}; apt-get install xenstore-utils)`
    : null;
if (skipReason) console.warn(`SKIPPED real-client tests: ${skipReason}`);
/** CI sets XENSCOPE_REQUIRE_REFERENCE=1 so that missing clients fail instead of skipping. */
const required = process.env.XENSCOPE_REQUIRE_REFERENCE === '1';

describe.runIf(skipReason !== null && required)(
  'xenstore-utils (required by XENSCOPE_REQUIRE_REFERENCE=1)',
  () => {
    it('are installed', () => {
      expect.fail(skipReason ?? '');
    });
  },
);

describe.skipIf(skipReason !== null)(
  `xenstore-utils against our xenstored${skipReason ? ` (SKIPPED: ${skipReason})` : ''}`,
  () => {
    let dir: ReturnType<typeof socketDir>;
    let server: XenstoredProcess;
    const sock = { dom0: '', dom1: '', dom3: '' };

    /** Runs `xenstore-<tool> args` as dom0, dom1 or dom3. */
    const xs = (tool: string, args: string[], as: keyof typeof sock = 'dom0') =>
      runProgram(`${BIN}/xenstore-${tool}`, args, { XENSTORED_PATH: sock[as] });

    beforeAll(async () => {
      dir = socketDir();
      sock.dom0 = dir.path('s');
      sock.dom1 = dir.path('d1');
      sock.dom3 = dir.path('d3');
      server = await spawnXenstored([
        '--socket',
        sock.dom0,
        '--domain-socket',
        `1=${sock.dom1}`,
        '--domain-socket',
        `3=${sock.dom3}`,
      ]);
      // The homes a toolstack would make: dom0 owns them, each guest owns its data/.
      for (const d of [1, 3]) {
        expect((await xs('write', [`/local/domain/${d}/data`, ''])).code).toBe(0);
        expect((await xs('chmod', [`/local/domain/${d}`, 'n0', `r${d}`])).code).toBe(0);
        expect((await xs('chmod', [`/local/domain/${d}/data`, `n${d}`])).code).toBe(0);
      }
    }, 30_000);

    afterAll(async () => {
      const code = await server?.stop();
      expect(code).toBe(0);
      dir?.cleanup();
    });

    it('writes several pairs and reads them back', async () => {
      expect(await xs('write', ['/vm/a', '1', '/vm/b', 'two words'])).toMatchObject({ code: 0, stderr: '' });
      expect(await xs('read', ['/vm/a'])).toEqual({ code: 0, stdout: '1\n', stderr: '' });
      expect(await xs('read', ['/vm/a', '/vm/b'])).toMatchObject({ code: 0, stdout: '1\ntwo words\n' });
      expect(await xs('read', ['/vm/nope'])).toEqual({
        code: 1,
        stdout: '',
        stderr: "xenstore-read: couldn't read path /vm/nope\n",
      });
    });

    it('lists with ls -fp and list', async () => {
      await xs('write', ['/ls/x', 'v', '/ls/y/z', '']);
      expect((await xs('ls', ['-fp', '/ls'])).stdout).toBe(
        ['/ls/x = "v"   (n0)', '/ls/y = ""   (n0)', '/ls/y/z = ""   (n0)', ''].join('\n'),
      );
      expect(await xs('list', ['/ls'])).toMatchObject({ code: 0, stdout: 'x\ny\n' });
      expect(await xs('ls', ['/nope'])).toMatchObject({
        code: 1,
        stderr: 'xenstore-ls: xs_directory (/nope): No such file or directory\n',
      });
      expect(await xs('list', ['/nope'])).toMatchObject({
        code: 1,
        stderr: 'xenstore-list: could not list path /nope\n',
      });
    });

    it('changes permissions with chmod', async () => {
      await xs('write', ['/perm/a', '1']);
      expect(await xs('chmod', ['/perm/a', 'n0', 'r1', 'b3'])).toMatchObject({ code: 0 });
      expect((await xs('ls', ['-fp', '/perm'])).stdout).toBe('/perm/a = "1"   (n0,r1,b3)\n');
      expect(await xs('chmod', ['/perm/a', 'x'])).toMatchObject({
        code: 1,
        stderr: "xenstore-chmod: Invalid permission specification: 'x'\n",
      });
      expect(await xs('chmod', ['/perm/nope', 'n0'])).toMatchObject({
        code: 1,
        stderr:
          "xenstore-chmod: Error occurred setting permissions on '/perm/nope': No such file or directory\n",
      });
    });

    it('tests existence and removes subtrees', async () => {
      await xs('write', ['/gone/a/b', '1']);
      expect((await xs('exists', ['/gone/a/b'])).code).toBe(0);
      expect((await xs('exists', ['/gone/zz'])).code).toBe(1);
      expect(await xs('rm', ['/gone/a'])).toMatchObject({ code: 0, stderr: '' });
      expect((await xs('exists', ['/gone/a/b'])).code).toBe(1);
      expect(await xs('rm', ['/gone/zz'])).toMatchObject({ code: 0, stderr: '' });
      expect(await xs('rm', ['/gone/zz/deeper'])).toMatchObject({
        code: 1,
        stderr: 'xenstore-rm: could not remove path /gone/zz/deeper\n',
      });
    });

    /** Starts `xenstore-watch -n count path` as `as`; `seen(n)` resolves once n lines were printed. */
    const watch = (path: string, count: number, as: keyof typeof sock) => {
      const child = spawn(`${BIN}/xenstore-watch`, ['-n', String(count), path], {
        env: { ...process.env, XENSTORED_PATH: sock[as] },
      });
      const lines: string[] = [];
      const waiters: Array<() => void> = [];
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        lines.push(...chunk.split('\n').filter((l) => l !== ''));
        for (const w of waiters.splice(0)) w();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      const seen = async (n: number) => {
        while (lines.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      };
      return { lines, seen, exited };
    };

    it('watches: the registration event, then one line per change', async () => {
      const w = watch('/w', 3, 'dom0');
      await w.seen(1);
      expect(w.lines).toEqual(['/w']);
      await xs('write', ['/w/x', '1']);
      await xs('write', ['/other', '1']);
      await w.seen(2);
      await xs('rm', ['/w']);
      expect(await w.exited).toBe(0);
      expect(w.lines).toEqual(['/w', '/w/x', '/w']);
    });

    it('watches as a domain: relative paths, and only what the domain may read', async () => {
      const w = watch('data', 2, 'dom1');
      await w.seen(1);
      await xs('write', ['/local/domain/3/data/hidden', '1']);
      await xs('write', ['/local/domain/1/data/seen', '1']);
      expect(await w.exited).toBe(0);
      expect(w.lines).toEqual(['data', 'data/seen']);
    });

    it('serves one client per domain at a time: the next one waits its turn', async () => {
      const w = watch('/local/domain/1/data/turn', 2, 'dom1');
      await w.seen(1);
      const reader = xs('read', ['data/turn'], 'dom1');
      const early = await Promise.race([
        reader.then(() => 'read'),
        new Promise((r) => setTimeout(() => r('waiting'), 300)),
      ]);
      expect(early).toBe('waiting');
      await xs('write', ['/local/domain/1/data/turn', 'now']);
      expect(await w.exited).toBe(0);
      expect(await reader).toMatchObject({ code: 0, stdout: 'now\n' });
    });

    it('serves domain sockets as unprivileged domains', async () => {
      expect(await xs('write', ['data/x', 'mine'], 'dom1')).toMatchObject({ code: 0 });
      expect((await xs('ls', ['-fp', '/local/domain/1/data'])).stdout.split('\n')).toContain(
        '/local/domain/1/data/x = "mine"   (n1)',
      );
      expect(await xs('read', ['/local/domain/1/data/x'], 'dom1')).toMatchObject({
        code: 0,
        stdout: 'mine\n',
      });
      // Other domains' nodes and dom0's are out of reach, and a missing node under them is EACCES too.
      expect(await xs('read', ['/local/domain/1/data/x'], 'dom3')).toMatchObject({ code: 1 });
      expect(await xs('ls', ['/local/domain/1/data'], 'dom3')).toMatchObject({
        code: 1,
        stderr: 'xenstore-ls: xs_directory (/local/domain/1/data): Permission denied\n',
      });
      expect(await xs('read', ['/vm/a'], 'dom1')).toMatchObject({ code: 1 });
      expect(await xs('write', ['/local/domain/1/x', '1'], 'dom1')).toMatchObject({
        code: 1,
        stderr: 'xenstore-write: could not write path /local/domain/1/x\n',
      });
      // The owner shares read access; the owner may not give the node away.
      expect(await xs('chmod', ['data/x', 'n1', 'r3'], 'dom1')).toMatchObject({ code: 0 });
      expect(await xs('read', ['/local/domain/1/data/x'], 'dom3')).toMatchObject({
        code: 0,
        stdout: 'mine\n',
      });
      expect(await xs('write', ['/local/domain/1/data/x', 'no'], 'dom3')).toMatchObject({ code: 1 });
      expect(await xs('chmod', ['data/x', 'n3'], 'dom1')).toMatchObject({
        code: 1,
        stderr: "xenstore-chmod: Error occurred setting permissions on 'data/x': Operation not permitted\n",
      });
      expect(await xs('rm', ['/local/domain/1/data/x'], 'dom3')).toMatchObject({ code: 1 });
      expect(await xs('rm', ['data/x'], 'dom1')).toMatchObject({ code: 0 });
    });

    it('introduced the domains of the domain sockets at start', async () => {
      const c = await XsRawClient.connect(sock.dom0);
      const answer = async (domid: string) =>
        new TextDecoder().decode((await c.request(XsType.IS_DOMAIN_INTRODUCED, [domid])).payload);
      expect([await answer('1'), await answer('3'), await answer('2')]).toEqual(['T\0', 'T\0', 'F\0']);
      await c.close();
    });

    it('keeps serving clients while a garbage client sends random bytes and an oversize header', async () => {
      const garbage = await XsRawClient.connect(sock.dom0);
      const noise = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff);
      noise.set([2, 0, 0, 0], 0); // type READ, then a huge len at offset 12
      garbage.sendRaw(noise);
      await garbage.closed;
      const oversize = await XsRawClient.connect(sock.dom1);
      const header = new Uint8Array(16);
      writeHeader(header, 0, { type: XsType.WRITE, reqId: 1, txId: 0, len: 5000 });
      oversize.sendRaw(header);
      await oversize.closed;
      expect(await xs('read', ['/vm/a'])).toMatchObject({ code: 0, stdout: '1\n' });
      expect(await xs('read', ['/local/domain/1/data'], 'dom1')).toMatchObject({ code: 0 });
      expect(server.log.filter((l) => l.includes('malformed input')).length).toBe(2);
    });
  },
);

describe('xenstored command line (process)', () => {
  it('exits 2 with the usage on bad arguments', async () => {
    const r = await runProgram(process.execPath, ['--import', 'tsx', 'server/xenstored.ts', '--bogus'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^xenstored: .*'--bogus'.*\nusage: xenstored --socket PATH/);
  });

  it('removes its sockets and exits 0 on SIGINT', async () => {
    const dir = socketDir();
    onTestFinished(() => dir.cleanup());
    const s = await spawnXenstored([
      '--socket',
      dir.path('s'),
      '--domain-socket',
      `2=${dir.path('d2')}`,
      '--quiet',
    ]);
    onTestFinished(() => void s.stop());
    expect(existsSync(dir.path('s')) && existsSync(dir.path('d2'))).toBe(true);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(existsSync(dir.path('s')) || existsSync(dir.path('d2'))).toBe(false);
    expect(s.log.at(-1)).toBe('xenstored: SIGINT: shutting down');
  }, 20_000);
});

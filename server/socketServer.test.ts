import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { XsMsg } from '../src/xenstore/types';
import { XsType } from '../src/xenstore/types';
import { encodeMsg, formatMsg, writeHeader } from '../src/xenstore/wire';
import { XsRawClient } from './rawClient';
import { startXenstoredServer, type XenstoredServer } from './socketServer';
import { EchoStore, socketDir } from './testing';

const texts = (msgs: readonly XsMsg[]) => msgs.map(formatMsg);

describe('socket server plumbing (stand-in store)', () => {
  let dir: ReturnType<typeof socketDir>;
  let store: EchoStore;
  let server: XenstoredServer;
  let logged: string[];

  beforeEach(async () => {
    dir = socketDir();
    store = new EchoStore();
    logged = [];
    server = await startXenstoredServer({
      store,
      socket: dir.path('s'),
      domainSockets: [{ domid: 4, path: dir.path('d4') }],
      log: (l) => logged.push(l),
    });
  });

  afterEach(async () => {
    await server.close();
    dir.cleanup();
  });

  it('introduces the domain of each domain socket at start', () => {
    expect(store.calls).toContain('introduce 4');
  });

  it('makes tool clients privileged dom0 and domain-socket clients unprivileged', async () => {
    const a = await XsRawClient.connect(dir.path('s'));
    const b = await XsRawClient.connect(dir.path('d4'));
    await a.request(XsType.READ, ['/x']);
    await b.request(XsType.READ, ['/x']);
    expect(store.calls.filter((c) => c.startsWith('connect')).slice(-2)).toEqual([
      expect.stringMatching(/dom0 priv socket$/),
      expect.stringMatching(/dom4 unpriv domain$/),
    ]);
    await Promise.all([a.close(), b.close()]);
  });

  it('echoes req_id and tx_id and answers pipelined requests in order', async () => {
    const c = await XsRawClient.connect(dir.path('s'));
    const msgs = Array.from({ length: 200 }, (_, i) => ({
      type: XsType.READ,
      txId: i % 3,
      payload: new TextEncoder().encode(`/p/${i}\0`),
    }));
    const replies = await c.pipeline(msgs);
    expect(replies.map((r) => [r.txId, new TextDecoder().decode(r.payload)])).toEqual(
      msgs.map((m, i) => [m.txId, `/p/${i}\0`]),
    );
    await c.close();
  });

  it('sends the registration event after the WATCH reply, and own events before a WRITE reply', async () => {
    const c = await XsRawClient.connect(dir.path('s'));
    await c.request(XsType.WATCH, ['/a', 'tok']);
    await c.request(XsType.WRITE, ['/a/b', 'v']);
    expect(texts(c.received)).toEqual([
      'WATCH rid=1 tx=0 "OK\\0"',
      'WATCH_EVENT rid=0 tx=0 "/a\\0tok\\0"',
      'WATCH_EVENT rid=0 tx=0 "/a/b\\0tok\\0"',
      'WRITE rid=2 tx=0 "OK\\0"',
    ]);
    await c.close();
  });

  it('routes watch events to the watching connection', async () => {
    const watcher = await XsRawClient.connect(dir.path('d4'));
    const writer = await XsRawClient.connect(dir.path('s'));
    await watcher.request(XsType.WATCH, ['/a', 'w']);
    await writer.request(XsType.WRITE, ['/a/x', '1']);
    await watcher.waitFor((r) => r.length === 3);
    expect(texts(watcher.events())).toEqual([
      'WATCH_EVENT rid=0 tx=0 "/a\\0w\\0"',
      'WATCH_EVENT rid=0 tx=0 "/a/x\\0w\\0"',
    ]);
    expect(texts(writer.received)).toEqual(['WRITE rid=1 tx=0 "OK\\0"']);
    await Promise.all([watcher.close(), writer.close()]);
  });

  it('drops a client that sends an oversize header, answering what came before it', async () => {
    const good = await XsRawClient.connect(dir.path('s'));
    const bad = await XsRawClient.connect(dir.path('s'));
    const header = new Uint8Array(16);
    writeHeader(header, 0, { type: XsType.WRITE, reqId: 9, txId: 0, len: 4097 });
    const first = encodeMsg({ type: XsType.READ, reqId: 1, txId: 0, payload: new Uint8Array([47, 0]) });
    bad.sendRaw(new Uint8Array([...first, ...header, ...new Uint8Array(4097)]));
    await bad.closed;
    expect(texts(bad.received)).toEqual(['READ rid=1 tx=0 "/\\0"']);
    expect(await good.request(XsType.READ, ['/still'])).toMatchObject({ type: XsType.READ });
    expect(logged.some((l) => /malformed input, WRITE header with len 4097 > 4096; closing/.test(l))).toBe(
      true,
    );
    expect(store.calls).toContain('disconnect 3');
    await good.close();
  });

  it('drops a client whose request the store refuses to answer', async () => {
    const bad = await XsRawClient.connect(dir.path('s'));
    bad.sendRaw(encodeMsg({ type: 99, reqId: 1, txId: 0, payload: new Uint8Array(0) }));
    await bad.closed;
    expect(bad.received).toEqual([]);
    expect(logged.some((l) => l.includes('request not answerable'))).toBe(true);
  });

  it('keeps serving a well-behaved client while others send random bytes', async () => {
    const good = await XsRawClient.connect(dir.path('s'));
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    };
    const garbage = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const g = await XsRawClient.connect(dir.path('s'));
        for (let k = 0; k < 5; k++) g.sendRaw(Uint8Array.from({ length: 700 }, rand));
        return g;
      }),
    );
    for (let i = 0; i < 50; i++) {
      const r = await good.request(XsType.READ, [`/ok/${i}`]);
      expect(new TextDecoder().decode(r.payload)).toBe(`/ok/${i}\0`);
    }
    for (const g of garbage) g.socket.destroy();
    await Promise.all(garbage.map((g) => g.closed));
    expect(good.isOpen).toBe(true);
    await good.close();
  });

  it('logs a stream that ends in the middle of a message', async () => {
    const c = await XsRawClient.connect(dir.path('s'));
    c.sendRaw(
      encodeMsg({ type: XsType.READ, reqId: 1, txId: 0, payload: new Uint8Array(10) }).subarray(0, 20),
    );
    await c.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(logged.some((l) => l.includes('stream ended inside a message (20 bytes pending)'))).toBe(true);
  });

  it('logs one line per connection and its end', async () => {
    const c = await XsRawClient.connect(dir.path('d4'));
    await c.request(XsType.READ, ['/x']);
    await c.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(logged.filter((l) => l.includes('(dom4)'))).toEqual([
      expect.stringMatching(/^conn \d+ \(dom4\) connected on .*d4$/),
      expect.stringMatching(/^conn \d+ \(dom4\) closed after 1 request$/),
    ]);
  });

  it('removes its socket files on close, and refuses to start over a live socket', async () => {
    await expect(startXenstoredServer({ store, socket: dir.path('s'), log: () => {} })).rejects.toThrow(
      /another server is listening/,
    );
    await server.close();
    expect(existsSync(dir.path('s'))).toBe(false);
    expect(existsSync(dir.path('d4'))).toBe(false);
  });

  it('replaces a stale socket file left by a server that was killed', async () => {
    const path = dir.path('stale');
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(path)).toBe(true);
    const again = await startXenstoredServer({ store, socket: path, log: () => {} });
    expect(again.paths).toEqual([path]);
    await again.close();
  });
});

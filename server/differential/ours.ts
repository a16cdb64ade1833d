/** Our side of the differential test: the socket server in this process, on a fresh store. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startXenstoredServer } from '../socketServer';
import { createServedStore } from '../startStore';
import type { RunningDaemon } from './reference';

/** Starts a server like `xenstored --socket S --domain-socket 1=D1 --domain-socket 2=D2`. */
export async function startOurServer(): Promise<RunningDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'xso-'));
  const socket = join(dir, 'socket');
  const dom1 = join(dir, 'dom1.sock');
  const dom2 = join(dir, 'dom2.sock');
  const server = await startXenstoredServer({
    store: createServedStore('modern'),
    socket,
    domainSockets: [
      { domid: 1, path: dom1 },
      { domid: 2, path: dom2 },
    ],
    log: () => {},
  });
  return {
    endpoints: { dom0: socket, dom0b: socket, dom1, dom2 },
    async stop() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The UNIX socket front end of the store: accepts clients on the privileged tool socket and on the
 * per-domain sockets, feeds their requests to the engine, and writes replies and WATCH_EVENTs back.
 * Models the connection side of xenstored_core.c (accept_connection, handle_input, write_messages).
 *
 * - Tool socket: every client is its own privileged dom0 connection.
 * - Domain socket N: clients are domain N's single connection, one client at a time (as a domain has
 *   one ring); a second client waits until the first hangs up, like the reference guest bridge. A
 *   client's hang-up resets the domain's connection (watches and transactions go), the domain stays.
 *   When dom0 RELEASEs domain N, its client is disconnected.
 * - A client that sends an oversize or malformed frame is dropped on its own; the others carry on.
 */
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { lstat, unlink } from 'node:fs/promises';
import type { ConnId, XsEffect, XsMsg } from '../src/xenstore/types';
import { formatPayload, xsTypeName, type XsFrameFault } from '../src/xenstore/wire';
import type { DomainSocketArg } from './args';
import { ClientConnection } from './clientConnection';
import { dispatchRequest, eventFrames, type Outgoing } from './dispatch';
import type { StorePort } from './storePort';

export interface XenstoredServerOptions {
  store: StorePort;
  /** privileged tool socket: every client is dom0 */
  socket: string;
  /** sockets whose clients act as unprivileged domains (introduced when the server starts) */
  domainSockets?: readonly DomainSocketArg[];
  /** one line per event worth logging; defaults to stderr */
  log?: (line: string) => void;
  /** log each connection (errors are always logged); default true */
  logConnections?: boolean;
}

export interface XenstoredServer {
  /** socket paths listened on */
  readonly paths: readonly string[];
  /** open client connections */
  readonly clientCount: number;
  /** stops listening, drops every client and removes the socket files */
  close(): Promise<void>;
}

/** A domain socket's clients: the one being served and those waiting their turn. */
interface DomainSeat {
  domid: number;
  active: ClientConnection | null;
  waiting: Socket[];
}

/** Starts listening; resolves once every socket accepts connections. */
export async function startXenstoredServer(options: XenstoredServerOptions): Promise<XenstoredServer> {
  const { store } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`xenstored: ${line}\n`));
  const logConnections = options.logConnections ?? true;
  const clients = new Map<ConnId, ClientConnection>();
  const dirty = new Set<ClientConnection>();
  const seats = new Map<number, DomainSeat>();
  let closing = false;

  /** Queues frames on their connections; frames for connections without a client are dropped. */
  function route(out: readonly Outgoing[]): void {
    for (const o of out) {
      const client = clients.get(o.conn);
      if (!client) continue;
      client.enqueue(o.msg);
      dirty.add(client);
    }
  }

  function flushAll(): void {
    for (const c of dirty) c.flush();
    dirty.clear();
  }

  /** A domain dom0 RELEASEd loses its client (the real daemon tears down its ring connection). */
  function releaseClients(effects: readonly XsEffect[]): void {
    for (const e of effects) {
      if (e.kind !== 'domain-released') continue;
      const client = seats.get(e.domid)?.active;
      if (client) drop(client, `domain ${e.domid} was released`);
    }
  }

  /** Delivers the events among `effects` and acts on released domains. */
  function apply(effects: readonly XsEffect[]): void {
    route(eventFrames(effects));
    releaseClients(effects);
  }

  /** Ends a client after flushing what is queued for everyone; the 'close' handler cleans up. */
  function drop(client: ClientConnection, why: string): void {
    log(`conn ${client.conn} (${client.who}): ${why}; closing`);
    flushAll();
    client.socket.destroy();
  }

  function describeFault(fault: XsFrameFault): string {
    return fault.reason === 'oversize'
      ? `malformed input, ${xsTypeName(fault.header.type)} header with len ${fault.header.len} > 4096`
      : `malformed input, stream ended inside a message (${fault.pendingBytes} bytes pending)`;
  }

  /** One request; false when the client was dropped because of it. */
  function handleRequest(client: ClientConnection, msg: XsMsg): boolean {
    client.requests++;
    let result;
    try {
      result = dispatchRequest(store, client.conn, msg);
    } catch (err) {
      drop(client, `internal error on ${xsTypeName(msg.type)}: ${(err as Error).message}`);
      return false;
    }
    route(result.out);
    releaseClients(result.effects);
    if (result.drop) {
      const head = formatPayload(msg.payload.subarray(0, 64));
      drop(client, `request not answerable, ${xsTypeName(msg.type)} "${head}"`);
      return false;
    }
    return !client.socket.destroyed;
  }

  function onData(client: ClientConnection, chunk: Uint8Array): void {
    for (const frame of client.frames(chunk)) {
      if (frame.kind === 'fault') {
        drop(client, describeFault(frame));
        return;
      }
      if (!handleRequest(client, frame.msg)) return;
    }
    flushAll();
  }

  /** Serves `socket` as a new connection of `domid` (0 = a privileged tool). */
  function attach(socket: Socket, domid: number, path: string): void {
    const conn =
      domid === 0
        ? store.connect({ domid: 0, privileged: true, kind: 'socket' })
        : store.connect({ domid, privileged: false, kind: 'domain' });
    const who = domid === 0 ? 'dom0 tool' : `dom${domid}`;
    const client = new ClientConnection(socket, conn, who);
    clients.set(conn, client);
    const seat = seats.get(domid);
    if (seat) seat.active = client;
    if (logConnections) log(`conn ${conn} (${who}) connected on ${path}`);

    socket.on('data', (chunk: Uint8Array) => onData(client, chunk));
    socket.on('end', () => {
      const tail = client.endOfInput();
      if (tail?.kind === 'fault') log(`conn ${conn} (${who}): ${describeFault(tail)}`);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      log(`conn ${conn} (${who}): socket error ${err.code ?? err.message}`);
    });
    socket.on('close', () => {
      clients.delete(conn);
      dirty.delete(client);
      if (logConnections)
        log(
          `conn ${conn} (${who}) closed after ${client.requests} request${client.requests === 1 ? '' : 's'}`,
        );
      apply(store.disconnect(conn));
      flushAll();
      if (seat?.active === client) {
        seat.active = null;
        if (!closing) admitNext(seat, path);
      }
    });
    socket.resume();
  }

  /** Gives a free domain seat to the longest-waiting client still connected. */
  function admitNext(seat: DomainSeat, path: string): void {
    let next: Socket | undefined;
    while ((next = seat.waiting.shift()) !== undefined) {
      if (!next.destroyed) {
        attach(next, seat.domid, path);
        return;
      }
    }
  }

  function accept(socket: Socket, domid: number, path: string): void {
    const seat = seats.get(domid);
    if (seat === undefined || seat.active === null) {
      attach(socket, domid, path);
      return;
    }
    // One client per domain at a time: hold this one, unread, until the seat is free.
    socket.pause();
    seat.waiting.push(socket);
    socket.once('close', () => {
      const i = seat.waiting.indexOf(socket);
      if (i >= 0) seat.waiting.splice(i, 1);
    });
    socket.on('error', () => {});
    if (logConnections) log(`dom${domid} already has a client on ${path}; a new one waits its turn`);
  }

  const listeners: Array<{ server: Server; path: string }> = [];
  try {
    for (const d of options.domainSockets ?? []) {
      seats.set(d.domid, { domid: d.domid, active: null, waiting: [] });
      apply(store.introduceDomain(d.domid).effects);
    }
    const roles: Array<[string, number]> = [
      [options.socket, 0],
      ...(options.domainSockets ?? []).map((d): [string, number] => [d.path, d.domid]),
    ];
    for (const [path, domid] of roles) {
      await removeStaleSocket(path);
      const server = createServer((socket) => accept(socket, domid, path));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.on('error', (err) => log(`listener ${path}: ${err.message}`));
      listeners.push({ server, path });
    }
  } catch (err) {
    await closeListeners(listeners);
    throw err;
  }

  let closed: Promise<void> | null = null;
  return {
    paths: listeners.map((l) => l.path),
    get clientCount() {
      return clients.size;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        for (const seat of seats.values()) for (const s of seat.waiting.splice(0)) s.destroy();
        for (const c of clients.values()) c.socket.destroy();
        await closeListeners(listeners);
      })();
      return closed;
    },
  };
}

async function closeListeners(listeners: ReadonlyArray<{ server: Server; path: string }>): Promise<void> {
  await Promise.all(
    listeners.map(({ server, path }) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }).then(() => unlinkQuietly(path)),
    ),
  );
}

/**
 * A socket file left by a previous run would make listen() fail with EADDRINUSE: remove it, unless
 * something still answers on it.
 */
async function removeStaleSocket(path: string): Promise<void> {
  const st = await lstat(path).catch(() => null);
  if (st === null) return;
  if (!st.isSocket()) throw new Error(`${path} exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = netConnect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new Error(`${path}: another server is listening there`);
  await unlinkQuietly(path);
}

async function unlinkQuietly(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/**
 * A minimal xenstore wire client over a UNIX socket, built on the codec. Requests are answered in
 * order on one connection (xenstored processes a connection's requests one after another), so replies
 * are matched first-in first-out and checked against the req_id. Every frame received, replies and
 * WATCH_EVENTs alike, is also kept in arrival order in `received`.
 * Used by the tests, the differential runner and the benchmark.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { XsMsg } from '../src/xenstore/types';
import { XsType } from '../src/xenstore/types';
import { joinStrings } from '../src/xenstore';
import { XsFrameDecoder, encodeMsg, encodeMsgs } from '../src/xenstore/wire';

interface Pending {
  reqId: number;
  resolve: (msg: XsMsg) => void;
  reject: (err: Error) => void;
}

export class XsRawClient {
  /** every frame received, in arrival order */
  readonly received: XsMsg[] = [];
  /** resolves when the server closes the connection (or it errors) */
  readonly closed: Promise<void>;
  private readonly pending: Pending[] = [];
  private readonly decoder = new XsFrameDecoder();
  private nextReqId = 1;
  private isClosed = false;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        for (const p of this.pending.splice(0))
          p.reject(new Error(`connection closed before reply ${p.reqId}`));
        this.notify();
        resolve();
      });
    });
    socket.on('error', () => {}); // 'close' follows and carries the outcome
    socket.on('data', (chunk: Uint8Array) => this.onData(chunk));
  }

  /** Connects to a UNIX socket. */
  static connect(path: string): Promise<XsRawClient> {
    return new Promise((resolve, reject) => {
      const socket = netConnect(path);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new XsRawClient(socket));
      });
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Sends a request and resolves with its reply (type echoed, or ERROR). */
  request(type: number, payload: Uint8Array | readonly string[], txId = 0): Promise<XsMsg> {
    const bytes = payload instanceof Uint8Array ? payload : joinStrings(payload);
    const reqId = this.nextReqId++;
    return this.sendRaw(encodeMsg({ type, reqId, txId, payload: bytes }), reqId);
  }

  /** Sends several requests in one write; resolves with the replies in order. */
  pipeline(msgs: ReadonlyArray<Omit<XsMsg, 'reqId'>>): Promise<XsMsg[]> {
    const withIds = msgs.map((m) => ({ ...m, reqId: this.nextReqId++ }));
    const replies = withIds.map((m) => this.expectReply(m.reqId));
    this.socket.write(encodeMsgs(withIds));
    return Promise.all(replies);
  }

  /** Writes bytes as they are; when `replyReqId` is given, resolves with the reply carrying it. */
  sendRaw(bytes: Uint8Array, replyReqId: number): Promise<XsMsg>;
  sendRaw(bytes: Uint8Array): void;
  sendRaw(bytes: Uint8Array, replyReqId?: number): Promise<XsMsg> | void {
    const reply = replyReqId === undefined ? undefined : this.expectReply(replyReqId);
    this.socket.write(bytes);
    return reply;
  }

  /** WATCH_EVENT frames received so far. */
  events(): XsMsg[] {
    return this.received.filter((m) => m.type === XsType.WATCH_EVENT);
  }

  /** Resolves once `predicate` holds on what was received, rejects after `timeoutMs`. */
  async waitFor(predicate: (received: readonly XsMsg[]) => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0 || this.isClosed) {
        throw new Error(
          this.isClosed ? 'connection closed while waiting' : `timed out after ${timeoutMs} ms`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }

  private expectReply(reqId: number): Promise<XsMsg> {
    return new Promise((resolve, reject) => {
      if (this.isClosed) reject(new Error('connection is closed'));
      else this.pending.push({ reqId, resolve, reject });
    });
  }

  private onData(chunk: Uint8Array): void {
    for (const frame of this.decoder.push(chunk)) {
      if (frame.kind === 'fault') {
        this.socket.destroy(new Error(`bad frame from server: ${frame.reason}`));
        return;
      }
      const msg = frame.msg;
      this.received.push(msg);
      if (msg.type === XsType.WATCH_EVENT) continue;
      const p = this.pending.shift();
      if (!p) continue;
      if (p.reqId === msg.reqId) p.resolve(msg);
      else p.reject(new Error(`reply req_id ${msg.reqId} while waiting for ${p.reqId}`));
    }
    this.notify();
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

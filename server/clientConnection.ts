/**
 * One client socket: frames its byte stream, queues outgoing frames and writes them in batches.
 * What the frames mean is decided by the server (socketServer.ts); this file only moves bytes.
 * Models the per-connection half of xenstored_core.c (struct connection, handle_input/write_messages).
 */
import type { Socket } from 'node:net';
import type { ConnId, XsMsg } from '../src/xenstore/types';
import { XsFrameDecoder, encodeMsgs, type XsFrame } from '../src/xenstore/wire';

export class ClientConnection {
  /** requests handed to the store */
  requests = 0;
  private readonly decoder = new XsFrameDecoder();
  private queue: XsMsg[] = [];
  /** reading is paused until the peer drains its output */
  private throttled = false;

  constructor(
    readonly socket: Socket,
    readonly conn: ConnId,
    /** e.g. `dom0 tool` or `dom1`, for log lines */
    readonly who: string,
  ) {}

  /** Frames in the chunk just read (requests, and at most one fault after which nothing follows). */
  frames(chunk: Uint8Array): XsFrame[] {
    return this.decoder.push(chunk);
  }

  /** A fault if the peer hung up in the middle of a message. */
  endOfInput(): XsFrame | null {
    return this.decoder.end();
  }

  /** Queues a frame; nothing is written before flush(). */
  enqueue(msg: XsMsg): void {
    this.queue.push(msg);
  }

  /**
   * Writes the queued frames in one socket write. When the peer does not keep up, reading from it
   * pauses until its output drains, so a client cannot make the server buffer without bound by
   * pipelining requests and never reading the replies.
   */
  flush(): void {
    if (this.queue.length === 0 || this.socket.destroyed) {
      this.queue = [];
      return;
    }
    const bytes = encodeMsgs(this.queue);
    this.queue = [];
    if (!this.socket.write(bytes) && !this.throttled) {
      this.throttled = true;
      this.socket.pause();
      this.socket.once('drain', () => {
        this.throttled = false;
        this.socket.resume();
      });
    }
  }
}

/**
 * Streaming framer for a xenstore byte stream (a UNIX socket, or the bytes taken off a ring).
 *
 * Bytes arrive in arbitrary chunks: a chunk may hold part of a header, several messages, or a message
 * and the start of the next. `push()` returns every message completed so far and keeps the rest.
 *
 * A header announcing more than `maxPayload` bytes (XENSTORE_PAYLOAD_MAX, 4096) cannot be framed
 * safely; the C daemon gives up on such a connection (xenstored_core.c handle_input(): "Client tried
 * to feed us", then ignore_connection() with XENSTORE_ERROR_PROTO). The decoder reports it as a value
 * and stops decoding: nothing after it can be trusted. No input makes the decoder throw.
 */
import type { XsMsg } from '../types';
import { XENSTORE_PAYLOAD_MAX } from '../types';
import { XSD_SOCKMSG_SIZE, readHeader, type XsdSockmsg } from './header';

/** Why a stream could not be framed. */
export type XsFrameFault =
  /** the header's len exceeds the payload limit; the stream is unusable from here on */
  | { reason: 'oversize'; header: XsdSockmsg }
  /** the stream ended inside a message (`end()` with bytes pending) */
  | { reason: 'truncated'; pendingBytes: number };

export type XsFrame = { kind: 'msg'; msg: XsMsg } | ({ kind: 'fault' } & XsFrameFault);

export interface XsFrameDecoderOptions {
  /** Largest payload accepted, in bytes (default XENSTORE_PAYLOAD_MAX). */
  maxPayload: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Incremental decoder of struct xsd_sockmsg frames. Payloads are copied, so the caller may reuse the
 * chunks it pushes.
 */
export class XsFrameDecoder {
  private pending: Uint8Array = EMPTY;
  private broken = false;
  private readonly maxPayload: number;

  constructor(options: Partial<XsFrameDecoderOptions> = {}) {
    this.maxPayload = options.maxPayload ?? XENSTORE_PAYLOAD_MAX;
  }

  /** True once an oversize header was seen; later input is ignored. */
  get isBroken(): boolean {
    return this.broken;
  }

  /** Bytes held back waiting for the rest of a message. */
  get pendingBytes(): number {
    return this.pending.length;
  }

  /**
   * Feeds a chunk; returns the frames it completes, in stream order. A fault frame is always the
   * last one returned, and every later call returns nothing.
   */
  push(chunk: Uint8Array): XsFrame[] {
    const frames: XsFrame[] = [];
    if (this.broken || chunk.length === 0) return frames;
    const data = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    let offset = 0;
    while (data.length - offset >= XSD_SOCKMSG_SIZE) {
      const header = readHeader(data, offset);
      if (header.len > this.maxPayload) {
        this.broken = true;
        this.pending = EMPTY;
        frames.push({ kind: 'fault', reason: 'oversize', header });
        return frames;
      }
      const end = offset + XSD_SOCKMSG_SIZE + header.len;
      if (end > data.length) break;
      const { type, reqId, txId } = header;
      frames.push({
        kind: 'msg',
        msg: { type, reqId, txId, payload: data.slice(offset + XSD_SOCKMSG_SIZE, end) },
      });
      offset = end;
    }
    // At most one header plus maxPayload bytes are ever kept, so the copy stays small.
    this.pending = offset === data.length ? EMPTY : data.slice(offset);
    return frames;
  }

  /** Marks the end of the stream: a fault if it stopped inside a message, else null. */
  end(): XsFrame | null {
    if (this.broken || this.pending.length === 0) return null;
    const pendingBytes = this.pending.length;
    this.pending = EMPTY;
    return { kind: 'fault', reason: 'truncated', pendingBytes };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { XsMsg } from '../types';
import { XENSTORE_PAYLOAD_MAX } from '../types';
import { XsFrameDecoder, type XsFrame } from './decoder';
import { encodeMsg, encodeMsgs } from './encode';
import { writeHeader } from './header';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const msgArb: fc.Arbitrary<XsMsg> = fc.record({
  type: u32,
  reqId: u32,
  txId: u32,
  payload: fc.uint8Array({ maxLength: XENSTORE_PAYLOAD_MAX }),
});
// Small payloads most of the time, so that many messages fit in one run.
const smallMsgArb: fc.Arbitrary<XsMsg> = fc.record({
  type: fc.integer({ min: 0, max: 30 }),
  reqId: u32,
  txId: fc.nat(20),
  payload: fc.oneof(
    { weight: 5, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 4000, maxLength: XENSTORE_PAYLOAD_MAX }) },
  ),
});

/** Splits `bytes` at the given cut points (sorted, deduplicated, clamped). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

function feed(decoder: XsFrameDecoder, chunks: Uint8Array[]): XsFrame[] {
  return chunks.flatMap((c) => decoder.push(c));
}

function msgsOf(frames: XsFrame[]): XsMsg[] {
  return frames.map((f) => {
    if (f.kind !== 'msg') throw new Error(`unexpected fault ${f.reason}`);
    return f.msg;
  });
}

describe('XsFrameDecoder', () => {
  it('round-trips any message, whole', () => {
    fc.assert(
      fc.property(msgArb, (msg) => {
        const d = new XsFrameDecoder();
        expect(msgsOf(d.push(encodeMsg(msg)))).toEqual([msg]);
        expect(d.pendingBytes).toBe(0);
        expect(d.end()).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips a concatenated stream cut into arbitrary chunks', () => {
    fc.assert(
      fc.property(
        fc.array(smallMsgArb, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (msgs, cuts) => {
          const d = new XsFrameDecoder();
          expect(msgsOf(feed(d, chunk(encodeMsgs(msgs), cuts)))).toEqual(msgs);
          expect(d.end()).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('delivers byte-at-a-time input once each message is complete', () => {
    const msgs: XsMsg[] = [
      { type: 2, reqId: 1, txId: 0, payload: new TextEncoder().encode('/a\0') },
      { type: 6, reqId: 2, txId: 0, payload: new Uint8Array([0]) },
      { type: 21, reqId: 3, txId: 0, payload: new Uint8Array(0) },
    ];
    const bytes = encodeMsgs(msgs);
    const d = new XsFrameDecoder();
    const seenAt: number[] = [];
    bytes.forEach((b, i) => {
      if (d.push(new Uint8Array([b])).length > 0) seenAt.push(i);
    });
    expect(seenAt).toEqual([18, 35, 51]);
  });

  it('copies payloads, so the caller may reuse its chunk buffer', () => {
    const bytes = encodeMsg({ type: 2, reqId: 1, txId: 0, payload: new Uint8Array([1, 2, 3]) });
    const [frame] = new XsFrameDecoder().push(bytes);
    bytes.fill(9);
    expect(frame).toEqual({
      kind: 'msg',
      msg: { type: 2, reqId: 1, txId: 0, payload: new Uint8Array([1, 2, 3]) },
    });
  });

  it('accepts a payload of exactly 4096 bytes and reports 4097 as oversize', () => {
    const ok = new XsFrameDecoder().push(
      encodeMsg({ type: 11, reqId: 1, txId: 0, payload: new Uint8Array(4096) }),
    );
    expect(ok.map((f) => f.kind)).toEqual(['msg']);
    const header = new Uint8Array(16);
    writeHeader(header, 0, { type: 11, reqId: 7, txId: 0, len: 4097 });
    expect(new XsFrameDecoder().push(header)).toEqual([
      { kind: 'fault', reason: 'oversize', header: { type: 11, reqId: 7, txId: 0, len: 4097 } },
    ]);
  });

  it('returns the messages before an oversize header, then the fault, then nothing more', () => {
    const good = { type: 2, reqId: 1, txId: 0, payload: new Uint8Array([47, 0]) };
    const bad = new Uint8Array(16);
    writeHeader(bad, 0, { type: 2, reqId: 2, txId: 0, len: 0xffff_ffff });
    const d = new XsFrameDecoder();
    const frames = d.push(new Uint8Array([...encodeMsg(good), ...bad, ...encodeMsg(good)]));
    expect(frames.map((f) => f.kind)).toEqual(['msg', 'fault']);
    expect(d.isBroken).toBe(true);
    expect(d.push(encodeMsg(good))).toEqual([]);
    expect(d.end()).toBeNull();
  });

  it('honours a custom payload limit', () => {
    const d = new XsFrameDecoder({ maxPayload: 3 });
    const frames = d.push(encodeMsg({ type: 2, reqId: 1, txId: 0, payload: new Uint8Array(4) }));
    expect(frames[0]).toMatchObject({ kind: 'fault', reason: 'oversize' });
  });

  it('reports a stream that ends inside a message as truncated', () => {
    const bytes = encodeMsg({ type: 2, reqId: 1, txId: 0, payload: new Uint8Array(10) });
    const d = new XsFrameDecoder();
    expect(d.push(bytes.subarray(0, 20))).toEqual([]);
    expect(d.pendingBytes).toBe(20);
    expect(d.end()).toEqual({ kind: 'fault', reason: 'truncated', pendingBytes: 20 });
  });

  it('never throws on random bytes in random chunks, and frames stay consistent', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 30 }), (chunks) => {
        const d = new XsFrameDecoder();
        const frames = feed(d, chunks);
        const tail = d.end();
        const faults = frames.filter((f) => f.kind === 'fault');
        expect(faults.length).toBeLessThanOrEqual(1);
        if (faults.length === 1) expect(frames.at(-1)?.kind).toBe('fault');
        for (const f of frames) if (f.kind === 'msg') expect(f.msg.payload.length).toBeLessThanOrEqual(4096);
        if (tail !== null) expect(tail).toMatchObject({ kind: 'fault', reason: 'truncated' });
      }),
      { numRuns: 500 },
    );
  });

  it('frames a mix of valid frames and garbage the same however it is chunked', () => {
    const pieces = fc.array(
      fc.oneof(
        smallMsgArb.map((m) => encodeMsg(m)),
        fc.uint8Array({ maxLength: 40 }),
      ),
      { maxLength: 8 },
    );
    const streams = pieces.map((ps) => new Uint8Array(ps.flatMap((p) => [...p])));
    fc.assert(
      fc.property(streams, fc.array(fc.nat(), { maxLength: 20 }), (bytes, cuts) => {
        const whole = new XsFrameDecoder().push(bytes);
        expect(feed(new XsFrameDecoder(), chunk(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});

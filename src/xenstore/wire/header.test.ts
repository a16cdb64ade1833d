import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XSD_SOCKMSG_SIZE, readHeader, writeHeader } from './header';
import { encodeMsg, encodeMsgs } from './encode';

const u32 = fc.integer({ min: 0, max: 0xffff_ffff });

describe('struct xsd_sockmsg', () => {
  it('is four little-endian u32: type, req_id, tx_id, len', () => {
    const bytes = encodeMsg({ type: 2, reqId: 0x01020304, txId: 0xa0b0c0d0, payload: new Uint8Array(5) });
    expect(bytes.length).toBe(XSD_SOCKMSG_SIZE + 5);
    expect([...bytes.subarray(0, 16)]).toEqual([
      2, 0, 0, 0, 0x04, 0x03, 0x02, 0x01, 0xd0, 0xc0, 0xb0, 0xa0, 5, 0, 0, 0,
    ]);
  });

  it('reads back what it writes, at any offset', () => {
    fc.assert(
      fc.property(u32, u32, u32, u32, fc.nat(32), (type, reqId, txId, len, offset) => {
        const buf = new Uint8Array(offset + XSD_SOCKMSG_SIZE);
        writeHeader(buf, offset, { type, reqId, txId, len });
        expect(readHeader(buf, offset)).toEqual({ type, reqId, txId, len });
      }),
    );
  });

  it('rejects fields that are not u32 with a RangeError', () => {
    const buf = new Uint8Array(16);
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(() => writeHeader(buf, 0, { type: bad, reqId: 0, txId: 0, len: 0 })).toThrow(RangeError);
      expect(() => writeHeader(buf, 0, { type: 0, reqId: 0, txId: bad, len: 0 })).toThrow(RangeError);
    }
  });

  it('encodes a batch as the concatenation of single messages', () => {
    const a = { type: 11, reqId: 1, txId: 0, payload: new Uint8Array([47, 97, 0, 49]) };
    const b = { type: 1, reqId: 2, txId: 3, payload: new Uint8Array(0) };
    expect(encodeMsgs([a, b])).toEqual(new Uint8Array([...encodeMsg(a), ...encodeMsg(b)]));
    expect(encodeMsgs([])).toEqual(new Uint8Array(0));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XsType, bytesToString, type XsMsg } from '../../xenstore';
import { argsText, replyText, xenstoredSummary } from './summary';

const enc = (s: string) => new TextEncoder().encode(s);
const msg = (type: number, payload: string, txId = 0): XsMsg => ({
  type,
  reqId: 1,
  txId,
  payload: enc(payload),
});

// bytes with many NULs and some non-ASCII (valid and broken UTF-8)
const payloads = fc.array(fc.constantFrom(0, 0x41, 0x2f, 0x20, 0xc3, 0xa9, 0xe2, 0x82, 0xff), {
  maxLength: 40,
});

describe('step summaries', () => {
  it('show a request’s strings as splitStrings() finds them, space-separated', () => {
    fc.assert(
      fc.property(payloads, (bytes) => {
        const p = Uint8Array.from(bytes);
        // the text up to the last NUL, each NUL shown as a space
        const end = p.lastIndexOf(0);
        const expected = end < 0 ? '' : bytesToString(p, 0, end).replaceAll('\0', ' ');
        expect(argsText(p)).toBe(expected);
      }),
    );
    expect(argsText(enc('a\0b\0tail'))).toBe('a b');
    expect(argsText(enc('no terminator'))).toBe('');
  });

  it('show a reply without its terminating NUL', () => {
    fc.assert(
      fc.property(payloads, (bytes) => {
        const p = Uint8Array.from(bytes);
        expect(replyText(p)).toBe(bytesToString(p).replace(/\0$/, ''));
      }),
    );
  });

  it('name the request, its transaction, its arguments and the answer', () => {
    const ok = msg(XsType.WRITE, 'OK\0');
    expect(xenstoredSummary('dom1.K1', msg(XsType.WRITE, 'device/vbd/768/state\x004', 3), ok)).toBe(
      'dom1.K1: WRITE [tx 3] device/vbd/768/state = "4" → OK',
    );
    expect(xenstoredSummary('dom0', msg(XsType.READ, '/vm\0'), msg(XsType.READ, 'x'))).toBe(
      'dom0: READ /vm → "x"',
    );
    expect(xenstoredSummary('dom0', msg(XsType.RM, '/a\0'), msg(XsType.ERROR, 'ENOENT\0'))).toBe(
      'dom0: RM /a → ENOENT',
    );
    expect(xenstoredSummary('conn7', msg(XsType.DIRECTORY, '/\0'), null)).toBe(
      'conn7: DIRECTORY / → connection dropped',
    );
  });
});

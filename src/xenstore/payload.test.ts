import { describe, expect, it } from 'vitest';
import {
  binaryToBytes,
  bytesToBinary,
  bytesToString,
  countStrings,
  decodeName,
  errorPayload,
  joinStrings,
  oneArg,
  parseErrorPayload,
  splitStrings,
  stringToBytes,
} from './payload';
import { XS_ERRORS } from './types';

const bytes = (s: string) => stringToBytes(s);

describe('payload strings', () => {
  it('joins strings with a NUL after each', () => {
    expect([...joinStrings(['a', 'bc'])]).toEqual([97, 0, 98, 99, 0]);
    expect(joinStrings([]).length).toBe(0);
  });

  it('splits NUL-terminated strings and ignores an unterminated tail', () => {
    expect(splitStrings(bytes('a\0b\0'))).toEqual(['a', 'b']);
    expect(splitStrings(bytes('a\0\0'))).toEqual(['a', '']);
    expect(splitStrings(bytes('a\0tail'))).toEqual(['a']);
    expect(splitStrings(new Uint8Array(0))).toEqual([]);
  });

  it('counts the NUL-terminated strings of a payload', () => {
    expect(countStrings(bytes('/w\0tok\0extra'))).toBe(2);
    expect(countStrings(bytes('/w\0tok'))).toBe(1);
  });

  it('accepts exactly one NUL-terminated string as one argument', () => {
    expect(oneArg(bytes('/a\0'))).toBe('/a');
    expect(oneArg(bytes('\0'))).toBe('');
    expect(oneArg(bytes('/a'))).toBeNull();
    expect(oneArg(bytes('/a\0x'))).toBeNull();
    expect(oneArg(bytes('/a\0b\0'))).toBeNull();
    expect(oneArg(new Uint8Array(0))).toBeNull();
  });

  it('decodes UTF-8 text, ASCII or not', () => {
    expect(bytesToString(bytes('plain'))).toBe('plain');
    expect(bytesToString(bytes('héllo'))).toBe('héllo');
    expect(stringToBytes('é').length).toBe(2);
  });

  it('memoized name decoding gives the same strings as plain decoding', () => {
    for (const s of ['/local/domain/1/x', '/local/domain/1/x', 'a', '', 'über', 'x'.repeat(300)]) {
      const b = bytes(`${s}\0`);
      expect(decodeName(b, 0, b.length - 1)).toBe(bytesToString(b, 0, b.length - 1));
    }
  });

  it('binary strings round-trip every byte value exactly', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect([...binaryToBytes(bytesToBinary(all))]).toEqual([...all]);
    for (let n = 0; n < 10; n++) {
      const b = all.subarray(250 - n, 250);
      expect([...binaryToBytes(bytesToBinary(b))]).toEqual([...b]);
    }
    const big = new Uint8Array(20000).fill(7);
    expect(bytesToBinary(big).length).toBe(20000);
  });

  it('an ERROR payload is the error name and a NUL, in both directions', () => {
    for (const e of XS_ERRORS) {
      expect(bytesToString(errorPayload(e))).toBe(`${e}\0`);
      expect(parseErrorPayload(errorPayload(e))).toBe(e);
    }
    expect(parseErrorPayload(bytes('EWHAT\0'))).toBe('EINVAL');
  });
});

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

  it('splits and joins like a per-string UTF-8 codec, whatever the bytes', () => {
    const enc = new TextEncoder();
    const dec = new TextDecoder();
    const reference = (p: Uint8Array) => {
      const out: string[] = [];
      let start = 0;
      for (let i = 0; i < p.length; i++) {
        if (p[i] === 0) {
          out.push(dec.decode(p.subarray(start, i)));
          start = i + 1;
        }
      }
      return out;
    };
    const samples = [
      '/local/domain/7/device/vbd/51712/state',
      'x'.repeat(63),
      'y'.repeat(64),
      'z'.repeat(65),
      'w'.repeat(300),
      'héllo',
      '\uFEFFbom',
      'a',
      '',
    ];
    for (const a of samples) {
      for (const b of samples) {
        const joined = joinStrings([a, b]);
        const expected = new Uint8Array([...enc.encode(a), 0, ...enc.encode(b), 0]);
        expect([...joined]).toEqual([...expected]);
        expect(splitStrings(joined)).toEqual(reference(joined));
        expect(splitStrings(joined)).toEqual(reference(joined)); // memo hit
      }
    }
    const raw = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0, 0xff, 0x62, 0, 0xc3, 0, 0x63]);
    expect(splitStrings(raw)).toEqual(reference(raw));
    expect([...joinStrings([new Uint8Array([1, 2]), 'é'])]).toEqual([1, 2, 0, 0xc3, 0xa9, 0]);
  });

  it('decodes every length of ASCII and binary text alike', () => {
    for (let n = 0; n < 200; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => 0x20 + ((i * 7) % 95));
      const expected = String.fromCharCode(...b);
      expect(bytesToString(b)).toBe(expected);
      expect(bytesToBinary(b)).toBe(expected);
      const memo = new Uint8Array([...b, 0]);
      expect(decodeName(memo, 0, n)).toBe(expected);
      expect(decodeName(memo, 0, n)).toBe(expected);
    }
  });
});

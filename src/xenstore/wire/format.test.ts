import { describe, expect, it } from 'vitest';
import { XsType } from '../types';
import { stringToBytes } from '../payload';
import { formatMsg, formatPayload, xsTypeName, xsTypeNumber } from './format';
import { watchEventMsg } from './watchEvent';

describe('WATCH_EVENT', () => {
  it('carries path and token, NUL-terminated, with req_id and tx_id 0', () => {
    expect(watchEventMsg('/a/b', '/a')).toEqual({
      type: XsType.WATCH_EVENT,
      reqId: 0,
      txId: 0,
      payload: stringToBytes('/a/b\0/a\0'),
    });
  });
});

describe('format', () => {
  it('names types, also those without a name', () => {
    expect(xsTypeName(2)).toBe('READ');
    expect(xsTypeName(65535)).toBe('INVALID');
    expect(xsTypeName(20)).toBe('RESTRICT');
    expect(xsTypeName(99)).toBe('type99');
    expect(xsTypeNumber('WATCH_EVENT')).toBe(15);
    expect(xsTypeNumber('toString')).toBeUndefined();
  });

  it('escapes NUL, backslash and non-printable bytes', () => {
    expect(formatPayload(new Uint8Array([47, 0, 1, 0x5c, 0xff]))).toBe('/\\0\\x01\\\\\\xff');
    expect(formatMsg({ type: 16, reqId: 3, txId: 1, payload: stringToBytes('ENOENT\0') })).toBe(
      'ERROR rid=3 tx=1 "ENOENT\\0"',
    );
  });
});

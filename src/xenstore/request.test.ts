import { describe, expect, it } from 'vitest';
import { XsType } from './types';
import { requestMsg, requestPayload } from './request';

const enc = new TextEncoder();
const bytes = (...parts: Array<string | number[]>) =>
  parts.flatMap((p) => (typeof p === 'string' ? [...enc.encode(p)] : p));

describe('request payloads', () => {
  it('WRITE is the path, a NUL and the raw value, text or bytes', () => {
    expect([...requestPayload(XsType.WRITE, ['/a/b', 'v1'])]).toEqual(bytes('/a/b', [0], 'v1'));
    expect([...requestPayload(XsType.WRITE, ['/a', ''])]).toEqual(bytes('/a', [0]));
    expect([...requestPayload(XsType.WRITE, ['/é', 'ü'])]).toEqual(bytes('/é', [0], 'ü'));
    expect([...requestPayload(XsType.WRITE, ['/a', new Uint8Array([0, 255])])]).toEqual(
      bytes('/a', [0, 0, 255]),
    );
    expect([...requestPayload(XsType.WRITE, [])]).toEqual([0]);
  });

  it('other types are NUL-terminated arguments; an empty START or RESET_WATCHES is one NUL', () => {
    expect([...requestPayload(XsType.WATCH, ['/p', 'tok'])]).toEqual(bytes('/p', [0], 'tok', [0]));
    expect([...requestPayload(XsType.TRANSACTION_START, [])]).toEqual([0]);
    expect([...requestPayload(XsType.RESET_WATCHES, [])]).toEqual([0]);
    expect([...requestPayload(XsType.DIRECTORY, [])]).toEqual([]);
  });

  it('builds the message header fields', () => {
    const m = requestMsg('READ', ['x'], { reqId: 4, txId: 9 });
    expect(m).toEqual({ type: XsType.READ, reqId: 4, txId: 9, payload: new Uint8Array([120, 0]) });
    expect(Object.keys(m)).toEqual(['type', 'reqId', 'txId', 'payload']);
  });
});

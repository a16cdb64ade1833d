import { describe, expect, it } from 'vitest';
import type { XsMsg } from '../../xenstore';
import {
  XsType,
  bytesToString,
  joinStrings,
  requestPayload,
  splitStrings,
  stringToBytes,
} from '../../xenstore';
import { watchEventMsg } from './deliver';
import { decodeXenbusReply } from './replies';
import { joinXsStrings, xsRequestPayload } from './wire';

const ARGS: string[][] = [
  [],
  [''],
  ['/local/domain/1/device/vbd/51712/state'],
  ['/local/domain/1/device/vbd/51712/state', '4'],
  ['/local/domain/1/x', ''],
  ['device', 'vmlinuz:fe_watch'],
  ['a', 'b', 'c'],
  ['/tmp/ünïcode', 'värde'],
  ['ascii', '€'],
  ['x'.repeat(300), 'y'.repeat(70)],
];
const TYPES = [
  XsType.READ,
  XsType.WRITE,
  XsType.DIRECTORY,
  XsType.WATCH,
  XsType.TRANSACTION_START,
  XsType.TRANSACTION_END,
  XsType.RESET_WATCHES,
  XsType.MKDIR,
];

describe('request bytes', () => {
  it('are the store encoding of every type and argument list', () => {
    for (const type of TYPES) {
      for (const args of ARGS) expect(xsRequestPayload(type, args)).toEqual(requestPayload(type, args));
    }
  });

  it('a watch event is its path and token, each NUL-terminated', () => {
    for (const args of ARGS) expect(joinXsStrings(args)).toEqual(joinStrings(args));
    expect(watchEventMsg('device/vbd', 'T').payload).toEqual(joinStrings(['device/vbd', 'T']));
  });
});

/** What xs_talkv() made of a reply before: the text, without a trailing NUL, and its strings. */
function reference(payload: Uint8Array) {
  const text = bytesToString(payload);
  const value = text.endsWith('\0') ? text.slice(0, -1) : text;
  const firstNul = payload.indexOf(0);
  const strings = firstNul < 0 ? [] : firstNul === payload.length - 1 ? [value] : splitStrings(payload);
  return { ok: true, value, strings };
}

describe('reply decoding', () => {
  const payloads: Uint8Array[] = [
    new Uint8Array(0),
    stringToBytes('OK\0'),
    stringToBytes('OK'),
    stringToBytes('OK\0\0'),
    stringToBytes('4'),
    stringToBytes('12\0'),
    stringToBytes('frontend\0frontend-id\0state\0'),
    stringToBytes('a\0b'),
    stringToBytes('värde\0'),
    new Uint8Array([0xe2, 0x82, 0]),
    new Uint8Array([0x41, 0xff]),
    stringToBytes('\0'),
  ];

  it('gives the payload text without its trailing NUL and its NUL-terminated strings', () => {
    for (const payload of payloads) {
      const msg: XsMsg = { type: XsType.READ, reqId: 0, txId: 0, payload };
      expect(decodeXenbusReply(XsType.READ, msg)).toStrictEqual(reference(payload));
    }
  });

  it('shares one frozen result for a repeated short answer, and one per error', () => {
    const reply = (type: number, text: string): XsMsg => ({
      type,
      reqId: 0,
      txId: 0,
      payload: stringToBytes(text),
    });
    for (const [type, text] of [
      [XsType.WRITE, 'OK\0'],
      [XsType.READ, '4'],
      [XsType.READ, '/local/domain/0/backend/vbd/1/51712'],
      [XsType.TRANSACTION_START, '12\0'],
    ] as const) {
      const a = decodeXenbusReply(type, reply(type, text));
      expect(decodeXenbusReply(type, reply(type, text))).toBe(a);
      expect(Object.isFrozen(a)).toBe(true);
      if (a.ok) expect(Object.isFrozen(a.strings)).toBe(true);
    }
    const enoent = decodeXenbusReply(XsType.READ, reply(XsType.ERROR, 'ENOENT\0'));
    expect(enoent).toStrictEqual({ ok: false, error: 'ENOENT', errno: 2 });
    expect(decodeXenbusReply(XsType.RM, reply(XsType.ERROR, 'ENOENT\0'))).toBe(enoent);
    // a long value is not kept
    const long = 'x'.repeat(200);
    expect(decodeXenbusReply(XsType.READ, reply(XsType.READ, long))).not.toBe(
      decodeXenbusReply(XsType.READ, reply(XsType.READ, long)),
    );
  });
});

/**
 * Human-readable renderings of messages for logs, test failures and the trace view.
 * Pure.
 */
import type { XsMsg } from '../types';
import { XsType } from '../types';

const TYPE_NAMES = new Map<number, string>(Object.entries(XsType).map(([name, n]) => [n, name]));

/** xs_wire.h type name (`READ`, `WATCH_EVENT`…), or `type<N>` for numbers with no name. */
export function xsTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type${type}`;
}

/** Type number of an xs_wire.h name, or undefined. */
export function xsTypeNumber(name: string): number | undefined {
  return Object.hasOwn(XsType, name) ? XsType[name as keyof typeof XsType] : undefined;
}

/** Payload bytes as an escaped string: printable ASCII kept, NUL as `\0`, others as `\xHH`. */
export function formatPayload(payload: Uint8Array): string {
  let out = '';
  for (const b of payload) {
    if (b === 0) out += '\\0';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** One-line rendering: `READ rid=7 tx=0 "/local\0"`. */
export function formatMsg(msg: XsMsg): string {
  return `${xsTypeName(msg.type)} rid=${msg.reqId} tx=${msg.txId} "${formatPayload(msg.payload)}"`;
}

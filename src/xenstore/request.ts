/**
 * Typed convenience for the simulator and tests: build a request from strings, hand it to
 * store.handle(), decode the reply. Pure functions around the engine; the engine itself only
 * speaks XsMsg.
 */
import type { ConnId, XsEffect, XsError, XsMsg, XsTypeName } from './types';
import { XsType } from './types';
import { bytesToString, joinStrings, parseErrorPayload, splitStrings, stringToBytes } from './payload';
import type { XenStore } from './store';

export type RequestArg = string | Uint8Array;

function argBytes(a: RequestArg): Uint8Array {
  return typeof a === 'string' ? stringToBytes(a) : a;
}

/**
 * Request payload for a type: WRITE is `path\0value` (the value raw, no NUL); every other type is
 * its arguments, each NUL-terminated. TRANSACTION_START and RESET_WATCHES default to `\0`.
 */
export function requestPayload(type: number, args: readonly RequestArg[]): Uint8Array {
  if (type === XsType.WRITE) return writePayload(args[0] ?? '', args[1] ?? '');
  if (args.length === 0 && (type === XsType.TRANSACTION_START || type === XsType.RESET_WATCHES)) {
    return new Uint8Array(1);
  }
  return joinStrings(args);
}

/** Writes ASCII `s` at out[at…]; false (out partly written) if `s` has another char. */
function putAscii(out: Uint8Array, at: number, s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return false;
    out[at + i] = c;
  }
  return true;
}

/** `path\0value`, written straight into one buffer when both are ASCII strings. */
function writePayload(path: RequestArg, value: RequestArg): Uint8Array {
  if (typeof path === 'string' && typeof value === 'string') {
    const out = new Uint8Array(path.length + 1 + value.length);
    if (putAscii(out, 0, path) && putAscii(out, path.length + 1, value)) return out;
  }
  const pathBytes = argBytes(path);
  const valueBytes = argBytes(value);
  const out = new Uint8Array(pathBytes.length + 1 + valueBytes.length);
  out.set(pathBytes);
  out.set(valueBytes, pathBytes.length + 1);
  return out;
}

/** A request message of the given type (by name or number). */
export function requestMsg(
  type: XsTypeName | number,
  args: readonly RequestArg[] = [],
  opts: { txId?: number; reqId?: number } = {},
): XsMsg {
  const t = typeof type === 'number' ? type : XsType[type];
  return { type: t, reqId: opts.reqId ?? 0, txId: opts.txId ?? 0, payload: requestPayload(t, args) };
}

/** A decoded reply. `strings` are the NUL-terminated strings; `value`/`bytes` the whole payload. */
export type XsReply =
  | { ok: true; strings: string[]; value: string; bytes: Uint8Array; reply: XsMsg; effects: XsEffect[] }
  | { ok: false; error: XsError; reply: XsMsg; effects: XsEffect[] }
  | { ok: false; error: 'closed'; reply: null; effects: XsEffect[] };

/** Decodes a reply message (ERROR → its error name). */
export function decodeReply(reply: XsMsg, effects: XsEffect[] = []): XsReply {
  if (reply.type === XsType.ERROR)
    return { ok: false, error: parseErrorPayload(reply.payload), reply, effects };
  return {
    ok: true,
    strings: splitStrings(reply.payload),
    value: bytesToString(reply.payload),
    bytes: reply.payload,
    reply,
    effects,
  };
}

/** Sends one request through store.handle() and decodes the answer. */
export function request(
  store: XenStore,
  conn: ConnId,
  type: XsTypeName | number,
  args: readonly RequestArg[] = [],
  opts: { txId?: number; reqId?: number } = {},
): XsReply {
  const { reply, effects } = store.handle(conn, requestMsg(type, args, opts));
  if (reply === null) return { ok: false, error: 'closed', reply: null, effects };
  return decodeReply(reply, effects);
}

/** The watch events among effects, as [conn, path, token] triples in delivery order. */
export function watchEvents(effects: readonly XsEffect[]): Array<[ConnId, string, string]> {
  const out: Array<[ConnId, string, string]> = [];
  for (const e of effects) if (e.kind === 'watch-event') out.push([e.conn, e.path, e.token]);
  return out;
}

/** `a\0b\0` for a list of strings (re-exported for callers building payloads by hand). */
export { joinStrings };

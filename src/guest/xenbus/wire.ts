/**
 * The bytes of a request as xs_talkv() writes them: the same payload as the store's
 * requestPayload(), built in one pass over the arguments when they are ASCII (paths, tokens and
 * values nearly always are).
 */
import { XsType, joinStrings, requestPayload } from '../../xenstore';

/** Writes `s` at `at`; false as soon as a char is not ASCII (its UTF-8 bytes are not its char code). */
function putAscii(out: Uint8Array, at: number, s: string): boolean {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return false;
    out[at + i] = c;
  }
  return true;
}

/** XS_WRITE: `path\0value`, the value without a NUL. */
function writeRequestPayload(args: readonly string[]): Uint8Array {
  const path = args[0] ?? '';
  const value = args[1] ?? '';
  const out = new Uint8Array(path.length + 1 + value.length);
  if (putAscii(out, 0, path) && putAscii(out, path.length + 1, value)) return out;
  return requestPayload(XsType.WRITE, args);
}

/** Each string followed by a NUL (the store's joinStrings()). */
export function joinXsStrings(strings: readonly string[]): Uint8Array {
  const count = strings.length;
  let total = count;
  for (let i = 0; i < count; i++) total += (strings[i] as string).length;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const s = strings[i] as string;
    if (!putAscii(out, at, s)) return joinStrings(strings);
    at += s.length + 1;
  }
  return out;
}

/**
 * The payload of a request: WRITE is `path\0value`; every other type its arguments, each
 * NUL-terminated; TRANSACTION_START and RESET_WATCHES without arguments a lone NUL.
 */
export function xsRequestPayload(type: number, args: readonly string[]): Uint8Array {
  if (type === XsType.WRITE) return writeRequestPayload(args);
  const count = args.length;
  if (count === 1) {
    // the usual case: one path
    const s = args[0] as string;
    const out = new Uint8Array(s.length + 1);
    return putAscii(out, 0, s) ? out : requestPayload(type, args);
  }
  if (count === 0 && (type === XsType.TRANSACTION_START || type === XsType.RESET_WATCHES)) {
    return new Uint8Array(1);
  }
  return joinXsStrings(args);
}

/**
 * Payload bytes ↔ strings for the engine. Pure functions, tuned for short ASCII strings (paths,
 * tokens, permission strings), which are nearly all the engine ever sees.
 *
 * Three encodings are in play:
 * - text (tokens, paths, command arguments): UTF-8, with a fast path when every byte is ASCII;
 * - node values: "binary strings", one char per byte (latin1), so any byte sequence round-trips
 *   exactly and a value costs one V8 one-byte string instead of a typed array;
 * - replies: `OK\0`, `ENAME\0`, NUL-terminated string lists, raw value bytes.
 * Reply payloads returned by the engine may be shared constants: treat them as read-only.
 */
import type { XsError } from './types';
import { XS_ERRORS } from './types';

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Largest slice handed to String.fromCharCode.apply at once (argument count limits). */
const CHUNK = 8192;

/**
 * Reused plain arrays of each length up to SCRATCH_MAX: String.fromCharCode.apply() over a packed
 * array of small integers is much faster than over a typed array (and needs no subarray view).
 */
const SCRATCH_MAX = 64;
const scratch: number[][] = [];
for (let n = 0; n <= SCRATCH_MAX; n++) scratch.push(new Array<number>(n).fill(0));

function charsOf(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  // short strings (most values: "4", "ring-ref" numbers) without apply's argument copying
  switch (n) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(bytes[start] as number);
    case 2:
      return String.fromCharCode(bytes[start] as number, bytes[start + 1] as number);
    case 3:
      return String.fromCharCode(
        bytes[start] as number,
        bytes[start + 1] as number,
        bytes[start + 2] as number,
      );
    case 4:
      return String.fromCharCode(
        bytes[start] as number,
        bytes[start + 1] as number,
        bytes[start + 2] as number,
        bytes[start + 3] as number,
      );
  }
  if (n <= SCRATCH_MAX) {
    const codes = scratch[n] as number[];
    for (let i = 0; i < n; i++) codes[i] = bytes[start + i] as number;
    return String.fromCharCode.apply(null, codes);
  }
  if (n <= CHUNK) return String.fromCharCode.apply(null, bytes.subarray(start, end) as never);
  let out = '';
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + CHUNK)) as never);
  }
  return out;
}

/**
 * Up to this many bytes, String.fromCharCode() is faster than TextDecoder, whose call costs about
 * as much as copying 20 chars.
 */
const SHORT = 16;

function decode(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}

/** UTF-8 text of bytes[start, end) (invalid sequences become U+FFFD). */
export function bytesToString(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start > SHORT) return decode(bytes, start, end);
  for (let i = start; i < end; i++) if ((bytes[i] as number) >= 0x80) return decode(bytes, start, end);
  // ASCII: the same text either way
  return charsOf(bytes, start, end);
}

/** Text of ASCII bytes[start, end) (UTF-8 and Latin-1 agree on it). */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  return end - start > SHORT ? decode(bytes, start, end) : charsOf(bytes, start, end);
}

/**
 * A memo of recently decoded short ASCII strings, indexed by a hash of their chars. Clients send
 * the same paths over and over; returning the same string object also lets V8 reuse its cached
 * hash, and compare keys by identity, in the tree's Map. Only a speed-up: the result equals
 * bytesToString(). Parents of paths come from it too (internName()), so that a path is one
 * string object wherever it came from.
 */
const MEMO_SLOTS = 1 << 16;
const MEMO_MAX_LENGTH = 128;
/** the memoized strings; '' in an empty slot (the empty name is never looked up here) */
const memoStrings: string[] = new Array<string>(MEMO_SLOTS).fill('');
/** FNV-1a over the bytes picks the slot */
const HASH_SEED = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

/** The memo slot of a name whose FNV-1a hash is `h`. */
function slotOf(h: number): number {
  return (h ^ (h >>> 16)) & (MEMO_SLOTS - 1);
}

/** bytesToString() for names (paths, tokens), memoized for short ASCII strings. */
export function decodeName(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n > MEMO_MAX_LENGTH) return bytesToString(bytes, start, end);
  let h = HASH_SEED;
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80) return bytesToString(bytes, start, end);
    h = Math.imul(h ^ b, HASH_PRIME);
  }
  return memoized(bytes, start, end, h);
}

/** The memo's string for ASCII bytes[start, end) (1 to MEMO_MAX_LENGTH bytes) whose FNV-1a hash is `h`. */
function memoized(bytes: Uint8Array, start: number, end: number, h: number): string {
  const n = end - start;
  const slot = slotOf(h);
  const known = memoStrings[slot] as string;
  if (known.length === n) {
    let i = 0;
    while (i < n && known.charCodeAt(i) === bytes[start + i]) i++;
    if (i === n) return known;
  }
  const s = asciiText(bytes, start, end);
  memoStrings[slot] = s;
  return s;
}

/**
 * The memo's string equal to s[0, end) (a name, or a prefix of one), given the FNV-1a hash of those
 * chars (nameHash()); a flat copy of them, then remembered, when the memo holds none.
 */
export function internName(s: string, end: number, h: number): string {
  if (end === 0 || end > MEMO_MAX_LENGTH) return s.slice(0, end);
  const slot = slotOf(h);
  const known = memoStrings[slot] as string;
  if (known.length === end) {
    let i = 0;
    while (i < end && known.charCodeAt(i) === s.charCodeAt(i)) i++;
    if (i === end) return known;
  }
  for (let i = 0; i < end; i++) if (s.charCodeAt(i) >= 0x80) return s.slice(0, end);
  const copy = prefixOf(s, end);
  memoStrings[slot] = copy;
  return copy;
}

/** FNV-1a of s[0, end), as the memo hashes names. */
export function nameHash(s: string, end: number): number {
  let h = HASH_SEED;
  for (let i = 0; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), HASH_PRIME);
  return h;
}

/** s[0, end) as a flat string of its own (a slice is a view into `s`, slower to hash and compare). */
function prefixOf(s: string, end: number): string {
  if (end > SCRATCH_MAX) return s.slice(0, end);
  const codes = scratch[end] as number[];
  for (let i = 0; i < end; i++) codes[i] = s.charCodeAt(i);
  return String.fromCharCode.apply(null, codes);
}

/** UTF-8 bytes of a string. */
export function stringToBytes(s: string): Uint8Array {
  const n = s.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(s);
    out[i] = c;
  }
  return out;
}

/** Binary string (one char per byte) of bytes[start, end): how node values are stored. */
export function bytesToBinary(bytes: Uint8Array, start = 0, end = bytes.length): string {
  if (end - start <= SHORT) return charsOf(bytes, start, end);
  for (let i = start; i < end; i++) if ((bytes[i] as number) >= 0x80) return charsOf(bytes, start, end);
  return decode(bytes, start, end);
}

/** Bytes of a binary string. */
export function binaryToBytes(s: string): Uint8Array {
  const n = s.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Number of NUL bytes: xenstore_count_strings(), i.e. the NUL-terminated strings in a payload. */
export function countStrings(payload: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < payload.length; i++) if (payload[i] === 0) n++;
  return n;
}

/** The NUL-terminated strings of a payload; bytes after the last NUL are ignored (get_strings()). */
export function splitStrings(payload: Uint8Array): string[] {
  const out: string[] = [];
  const n = payload.length;
  // one pass finds the NULs and hashes each string for decodeName()'s memo on the way
  let start = 0;
  let h = HASH_SEED;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const b = payload[i] as number;
    if (b === 0) {
      const len = i - start;
      if (len === 0) out.push('');
      else if (ascii && len <= MEMO_MAX_LENGTH) out.push(memoized(payload, start, i, h));
      else out.push(bytesToString(payload, start, i));
      start = i + 1;
      h = HASH_SEED;
      ascii = true;
    } else {
      if (b >= 0x80) ascii = false;
      h = Math.imul(h ^ b, HASH_PRIME);
    }
  }
  return out;
}

/**
 * core.c onearg(): the payload is exactly one NUL-terminated string. Returns it, or null when
 * there is no NUL or anything follows the first one. The daemon then replies with whatever errno
 * was left over from earlier work (FINDINGS: "stale errno"); the engine always answers EINVAL.
 */
export function oneArg(payload: Uint8Array): string | null {
  const n = payload.length;
  if (n === 0 || payload[n - 1] !== 0) return null;
  const end = n - 1;
  // one pass looks for another NUL and hashes the string for the memo on the way
  let h = HASH_SEED;
  let ascii = true;
  for (let i = 0; i < end; i++) {
    const b = payload[i] as number;
    if (b === 0) return null;
    if (b >= 0x80) ascii = false;
    h = Math.imul(h ^ b, HASH_PRIME);
  }
  if (end === 0) return '';
  return ascii && end <= MEMO_MAX_LENGTH ? memoized(payload, 0, end, h) : bytesToString(payload, 0, end);
}

/** Index of the first NUL byte of `payload`, or -1. */
export function firstNul(payload: Uint8Array): number {
  for (let i = 0; i < payload.length; i++) if (payload[i] === 0) return i;
  return -1;
}

/** Each string (or byte string) followed by a NUL: `['a', 'b']` → `a\0b\0`. */
export function joinStrings(strings: readonly (string | Uint8Array)[]): Uint8Array {
  // sized as if every string were ASCII (one byte per char), and filled in the same pass
  const count = strings.length;
  let total = count;
  for (let i = 0; i < count; i++) total += (strings[i] as string | Uint8Array).length;
  const out = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const s = strings[i] as string | Uint8Array;
    const n = s.length;
    if (typeof s !== 'string') out.set(s, at);
    else {
      for (let j = 0; j < n; j++) {
        const c = s.charCodeAt(j);
        if (c >= 0x80) return joinEncoded(strings);
        out[at + j] = c;
      }
    }
    at += n + 1;
  }
  return out;
}

/** joinStrings() encoding each string to UTF-8 first (some are not ASCII). */
function joinEncoded(strings: readonly (string | Uint8Array)[]): Uint8Array {
  const parts = strings.map((s) => (typeof s === 'string' ? stringToBytes(s) : s));
  let total = 0;
  for (const p of parts) total += p.length + 1;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + 1;
  }
  return out;
}

/** An empty payload (shared: do not mutate). */
export const EMPTY_PAYLOAD: Uint8Array = new Uint8Array(0);

/** `OK\0`, the success reply of most requests (shared: do not mutate). */
export const OK_PAYLOAD: Uint8Array = stringToBytes('OK\0');

const errorPayloads = new Map<XsError, Uint8Array>(XS_ERRORS.map((e) => [e, stringToBytes(`${e}\0`)]));

/** `ENAME\0`, the payload of an ERROR reply (shared: do not mutate). */
export function errorPayload(error: XsError): Uint8Array {
  return errorPayloads.get(error) as Uint8Array;
}

/** The error name carried by an ERROR reply; unknown names read as EINVAL, as Linux get_error() does. */
export function parseErrorPayload(payload: Uint8Array): XsError {
  const name = splitStrings(payload)[0] ?? bytesToString(payload);
  return (XS_ERRORS as readonly string[]).includes(name) ? (name as XsError) : 'EINVAL';
}

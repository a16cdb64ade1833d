/**
 * Permission lists (`<letter><domid>` entries; entry 0 is the owner and the default for everyone
 * else) and the access check of xenstored core.c perm_for_conn().
 *
 * Lists are immutable and interned: a node created by a privileged connection shares its parent's
 * list object, and equal lists share one object, so a large tree stores few lists.
 */
import type { Perm, PermAccess } from './types';

/** XS_PERM_* bits (xenstore_lib.h). */
export const PERM_NONE = 0;
export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_OWNER = 8;
export const PERM_ALL = PERM_READ | PERM_WRITE | PERM_OWNER;

const BITS: Record<PermAccess, number> = {
  n: PERM_NONE,
  r: PERM_READ,
  w: PERM_WRITE,
  b: PERM_READ | PERM_WRITE,
};

/** An interned, immutable permission list. */
export interface PermList {
  readonly entries: readonly Perm[];
  /** access bits of each entry, in list order */
  readonly bits: readonly number[];
  /** domid of entry 0 */
  readonly owner: number;
  /** canonical text, e.g. `n0,r3` */
  readonly key: string;
}

const interned = new Map<string, PermList>();

/** The interned list for these entries (domids are kept as signed 32-bit, as the daemon prints them). */
export function permList(entries: readonly Perm[]): PermList {
  const norm = entries.map((p) => ({ domid: p.domid | 0, access: p.access }));
  const key = norm.map((p) => `${p.access}${p.domid}`).join(',');
  let list = interned.get(key);
  if (list === undefined) {
    // entries are frozen; the arrays are only typed readonly (V8's slice() of a frozen array is slow)
    const frozen = norm.map((p) => Object.freeze(p));
    list = Object.freeze({
      entries: frozen,
      bits: frozen.map((p) => BITS[p.access]),
      owner: (frozen[0] as Perm).domid,
      key,
    });
    interned.set(key, list);
  }
  return list;
}

/** `n0`: the root's list, and the default list of the special `@` names. */
export const DEFAULT_PERMS: PermList = permList([{ domid: 0, access: 'n' }]);

/** The same list with entry 0 owned by `domid`: how an unprivileged creator comes to own a node. */
export function withOwner(list: PermList, domid: number): PermList {
  if (list.owner === (domid | 0)) return list;
  const entries = list.entries.slice();
  entries[0] = { domid, access: (entries[0] as Perm).access };
  return permList(entries);
}

/** What the access check needs to know about a connection. */
export interface PermSubject {
  readonly domid: number;
  readonly privileged: boolean;
  /** SET_TARGET: this connection acts for the target domain too */
  readonly target: number | null;
}

/**
 * core.c perm_for_conn(): privileged connections and the owner (or a stub domain targeting the
 * owner) get everything; else the first later entry naming the domain (or its target) decides;
 * else entry 0's letter is the default.
 */
export function permForConn(conn: PermSubject, perms: PermList): number {
  if (conn.privileged) return PERM_ALL;
  const id = conn.domid;
  const target = conn.target;
  const owner = perms.owner;
  if (owner === id || (target !== null && owner === target)) return PERM_ALL;
  const entries = perms.entries;
  for (let i = 1; i < entries.length; i++) {
    const d = (entries[i] as Perm).domid;
    if (d === id || (target !== null && d === target)) return perms.bits[i] as number;
  }
  return perms.bits[0] as number;
}

/** Reads a C strtol(…, 0) integer spanning all of `s`; null if anything is left over or no digits. */
function strtolWhole(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (m === null) return null;
  const digits = m[2] as string;
  let v: bigint;
  if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) v = BigInt(`0o${digits.slice(1)}`);
  else v = BigInt(digits);
  const LONG_MAX = (1n << 63n) - 1n;
  if (m[1] === '-') v = v > LONG_MAX + 1n ? -(LONG_MAX + 1n) : -v;
  else if (v > LONG_MAX) v = LONG_MAX;
  return Number(BigInt.asIntN(32, v));
}

/**
 * xenstore_strings_to_perms(): `n|r|w|b` followed by a domid in C strtol base-0 syntax. Returns
 * null for a malformed entry (EINVAL). Large domids wrap to 32 bits as in the daemon.
 */
export function parsePerm(s: string): Perm | null {
  const access = s[0];
  if (access !== 'n' && access !== 'r' && access !== 'w' && access !== 'b') return null;
  const simple = canonicalDomid(s);
  const domid = simple >= 0 ? simple : strtolWhole(s.slice(1));
  return domid === null ? null : { domid, access };
}

/**
 * The domid of an entry written the way the daemon prints it (a letter, then `0` or 1 to 9 decimal
 * digits without a leading zero), else -1. Such an entry reads the same through strtolWhole(), and
 * the entry's text is already its canonical form (see `PermList.key`).
 */
export function canonicalDomid(s: string): number {
  const n = s.length;
  if (n < 2 || n > 10) return -1;
  const first = s.charCodeAt(1);
  if (first === 0x30) return n === 2 ? 0 : -1;
  let v = 0;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/**
 * The interned list of these entry strings if every one is in canonical form (see canonicalDomid())
 * and the list was interned before; else undefined (parse them with parsePerm()).
 */
export function internedList(strings: readonly string[], from: number): PermList | undefined {
  const n = strings.length;
  if (from >= n) return undefined;
  let key = '';
  for (let i = from; i < n; i++) {
    const s = strings[i] as string;
    const access = s.charCodeAt(0);
    // n r w b
    if (access !== 0x6e && access !== 0x72 && access !== 0x77 && access !== 0x62) return undefined;
    if (canonicalDomid(s) < 0) return undefined;
    key = i === from ? s : `${key},${s}`;
  }
  return interned.get(key);
}

/** Text of a list as GET_PERMS sends it: `%c%i` per entry. */
export function formatPerms(perms: PermList): string[] {
  return perms.entries.map((p) => `${p.access}${p.domid}`);
}

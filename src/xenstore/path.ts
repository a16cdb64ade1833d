/**
 * Node names: resolution of relative paths, validity, parents. Pure string functions modelled on
 * xenstored core.c (canonicalize, is_valid_nodename, get_parent, is_child).
 */
import { internName, nameHash } from './payload';

const SLASH = 0x2f;
const AT = 0x40;
const LOCAL_DOMAIN = '/local/domain/';

/** Home of a domain: `/local/domain/<domid>` (talloc_domain_path(), domid printed unsigned). */
export function domainPath(domid: number): string {
  return `${LOCAL_DOMAIN}${domid >>> 0}`;
}

/**
 * core.c canonicalize(): absolute paths and `@…` names are kept, anything else is relative to
 * `home`. With no home (a [2006] socket client) the path stays relative and fails validation.
 */
export function canonicalize(path: string, home: string | null): string {
  const c = path.charCodeAt(0);
  if (c === SLASH || c === AT || home === null) return path;
  return `${home}/${path}`;
}

/** A-Z a-z 0-9 - / _ @ (core.c valid_chars()), as a table over char codes below 128. */
const VALID_CHARS = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/_@') {
  VALID_CHARS[c.charCodeAt(0)] = 1;
}

/**
 * Offset just past `/local/domain/<id>/`, else 0: the part of a path that the path-max limit
 * measures (the `sscanf("/local/domain/%5u/%n")` of is_valid_nodename()).
 */
export function localOffset(path: string): number {
  if (path.charCodeAt(1) !== 0x6c || !path.startsWith(LOCAL_DOMAIN)) return 0;
  const start = LOCAL_DOMAIN.length;
  let i = start;
  const sign = path.charCodeAt(i);
  if (sign === 0x2b || sign === 0x2d) i++;
  const firstDigit = i;
  while (i < start + 5 && path.charCodeAt(i) >= 0x30 && path.charCodeAt(i) <= 0x39) i++;
  if (i === firstDigit || path.charCodeAt(i) !== SLASH) return 0;
  return i + 1;
}

/**
 * core.c is_valid_nodename(): starts with `/`, no trailing `/` (except the root), no `//`, at most
 * `pathMax` characters below `/local/domain/<id>/` (or in all), only valid characters.
 */
export function isValidNodename(path: string, pathMax: number): boolean {
  const n = path.length;
  if (n === 0 || path.charCodeAt(0) !== SLASH) return false;
  if (n > 1 && path.charCodeAt(n - 1) === SLASH) return false;
  if (n - localOffset(path) > pathMax) return false;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const c = path.charCodeAt(i);
    if (c >= 128 || VALID_CHARS[c] === 0 || (c === SLASH && prev === SLASH)) return false;
    prev = c;
  }
  return true;
}

/**
 * getParent() answers by path: a request asks for the same parents more than once (a failed
 * lookup asks the parents, then the creation walks them again) and the clients come back to the
 * same paths, so most answers are one Map lookup away.
 */
const PARENT_MEMO_SIZE = 1 << 14;
const parents = new Map<string, string>();
/** the last answer, asked again at once as often as not */
let lastChild = '/';
let lastParent = '/';

/** core.c get_parent(): `/a/b` → `/a`, `/a` → `/`, `/` → `/`. */
export function getParent(path: string): string {
  if (path === lastChild) return lastParent;
  let parent = parents.get(path);
  if (parent === undefined) {
    parent = parentOf(path);
    if (parents.size >= PARENT_MEMO_SIZE) parents.clear();
    parents.set(path, parent);
  }
  lastChild = path;
  lastParent = parent;
  return parent;
}

/**
 * Everything before the last `/` (`/` if that is the first char, or there is none), as the name
 * memo's string: flat, and often the very object the tree and the transactions hold as the key.
 */
function parentOf(path: string): string {
  let cut = path.length - 1;
  while (cut > 0 && path.charCodeAt(cut) !== SLASH) cut--;
  return cut <= 0 ? '/' : internName(path, cut, nameHash(path, cut));
}

/** Last component of a child's path, given its parent's path. */
export function childName(parent: string, child: string): string {
  return child.slice(parent === '/' ? 1 : parent.length + 1);
}

/** Full path of a child called `name` under `parent`. */
export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** core.c is_child(): X is a child of P iff X == P, P == `/`, or X starts with `P/`. */
export function isChild(child: string, parent: string): boolean {
  if (parent === '/') return true;
  const n = parent.length;
  return child.startsWith(parent) && (child.length === n || child.charCodeAt(n) === SLASH);
}

/** A special watch name (`@introduceDomain`, `@releaseDomain`, …). */
export function isSpecialPath(path: string): boolean {
  return path.charCodeAt(0) === AT;
}

/**
 * C atoi(): optional blanks, optional sign, decimal digits; anything else ends the number; no digits
 * gives 0. The result wraps to 32 bits, as the daemon stores it in an unsigned int.
 */
export function atoi(s: string): number {
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i] as string)) i++;
  let neg = false;
  if (s[i] === '-' || s[i] === '+') neg = s[i++] === '-';
  let v = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
    v = (v * 10 + (s.charCodeAt(i) - 0x30)) % 0x100000000;
    i++;
  }
  return (neg ? 0x100000000 - v : v) >>> 0;
}

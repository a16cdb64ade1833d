import { describe, expect, it } from 'vitest';
import type { Perm } from './types';
import {
  PERM_ALL,
  PERM_NONE,
  PERM_READ,
  PERM_WRITE,
  formatPerms,
  parsePerm,
  permForConn,
  permList,
  withOwner,
} from './perms';

const list = (...specs: string[]) => permList(specs.map((s) => parsePerm(s) as Perm));
const dom = (domid: number, target: number | null = null) => ({ domid, privileged: false, target });

describe('perm_for_conn', () => {
  it('a privileged connection has full access whatever the list says', () => {
    expect(permForConn({ domid: 0, privileged: true, target: null }, list('n5'))).toBe(PERM_ALL);
  });

  it('the owner (entry 0) has full access whatever its letter', () => {
    expect(permForConn(dom(3), list('n3'))).toBe(PERM_ALL);
  });

  it('the first later entry naming the domain wins', () => {
    expect(permForConn(dom(1), list('n2', 'r1', 'w1'))).toBe(PERM_READ);
  });

  it('entry 0 is the default for everyone else', () => {
    expect(permForConn(dom(4), list('r2', 'w1'))).toBe(PERM_READ);
    expect(permForConn(dom(4), list('n2', 'w1'))).toBe(PERM_NONE);
  });

  it('a SET_TARGET stub acts as its target: owner rights and the target’s entries', () => {
    expect(permForConn(dom(3, 1), list('n1'))).toBe(PERM_ALL);
    expect(permForConn(dom(3, 1), list('n0', 'w1'))).toBe(PERM_WRITE);
  });
});

describe('permission lists', () => {
  it('parses letters and C strtol domids (hex, octal, sign, blanks) and prints %c%i', () => {
    expect(formatPerms(list('b0x1', 'r010', 'r-1', 'n 5', 'w+3'))).toEqual(['b1', 'r8', 'r-1', 'n5', 'w3']);
    expect(formatPerms(list('n4294967297'))).toEqual(['n1']);
  });

  it('rejects unknown letters, missing or trailing-junk domids', () => {
    for (const bad of ['x1', 'b', 'r', '', 'rr', 'N1', 'b1x', 'r08']) expect(parsePerm(bad), bad).toBeNull();
  });

  it('equal lists are one interned object', () => {
    expect(list('n1', 'r2')).toBe(list('n1', 'r2'));
    expect(list('n1', 'r2')).not.toBe(list('n1', 'r3'));
  });

  it('withOwner replaces entry 0’s domid only', () => {
    expect(formatPerms(withOwner(list('n0', 'w1'), 1))).toEqual(['n1', 'w1']);
    const same = list('n1');
    expect(withOwner(same, 1)).toBe(same);
  });
});

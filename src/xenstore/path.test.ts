import { describe, expect, it } from 'vitest';
import {
  atoi,
  canonicalize,
  childName,
  childPath,
  domainPath,
  getParent,
  isChild,
  isValidNodename,
  localOffset,
} from './path';

describe('paths', () => {
  it('relative paths resolve against the home; absolute and @ names are kept', () => {
    expect(canonicalize('device/vbd', '/local/domain/3')).toBe('/local/domain/3/device/vbd');
    expect(canonicalize('/abs', '/local/domain/3')).toBe('/abs');
    expect(canonicalize('@x', '/local/domain/3')).toBe('@x');
    expect(canonicalize('rel', null)).toBe('rel');
  });

  it('accepts the valid characters and rejects the rest (EINVAL cases seen on the daemon)', () => {
    expect(isValidNodename('/', 2048)).toBe(true);
    expect(isValidNodename('/a-b_c/@d/0', 2048)).toBe(true);
    for (const bad of ['', 'rel', '/a/', '/a//b', '/a.b', '/a b', '/é', '@x']) {
      expect(isValidNodename(bad, 2048), bad).toBe(false);
    }
  });

  it('limits the length below /local/domain/<id>/ (or of the whole path) to path-max', () => {
    const home = '/local/domain/1/';
    expect(isValidNodename(home + 'p'.repeat(2048), 2048)).toBe(true);
    expect(isValidNodename(home + 'p'.repeat(2049), 2048)).toBe(false);
    expect(isValidNodename('/' + 'p'.repeat(2047), 2048)).toBe(true);
    expect(isValidNodename('/' + 'p'.repeat(2048), 2048)).toBe(false);
  });

  it('finds the domain-relative part like sscanf("/local/domain/%5u/%n")', () => {
    expect(localOffset('/local/domain/12/x')).toBe('/local/domain/12/'.length);
    expect(localOffset('/local/domain/-5/x')).toBe('/local/domain/-5/'.length);
    expect(localOffset('/local/domain/123456/x')).toBe(0);
    expect(localOffset('/local/domain/1')).toBe(0);
    expect(localOffset('/vm/1/x')).toBe(0);
  });

  it('gets parents, child names and paths', () => {
    expect(getParent('/a/b')).toBe('/a');
    expect(getParent('/a')).toBe('/');
    expect(getParent('/')).toBe('/');
    expect(childName('/', '/a')).toBe('a');
    expect(childName('/a', '/a/b')).toBe('b');
    expect(childPath('/', 'a')).toBe('/a');
    expect(childPath('/a', 'b')).toBe('/a/b');
  });

  it('a path is a child of itself, of its ancestors and of /, not of a sibling prefix', () => {
    expect(isChild('/a/b', '/a')).toBe(true);
    expect(isChild('/a', '/a')).toBe(true);
    expect(isChild('/a', '/')).toBe(true);
    expect(isChild('/ab', '/a')).toBe(false);
    expect(isChild('/a', '/a/b')).toBe(false);
  });

  it('home paths print the domid unsigned', () => {
    expect(domainPath(7)).toBe('/local/domain/7');
    expect(domainPath(-1)).toBe('/local/domain/4294967295');
  });

  it('atoi reads like C: blanks, sign, digits, stop at junk, 0 for none, 32-bit wrap', () => {
    expect(atoi('42')).toBe(42);
    expect(atoi(' 7x')).toBe(7);
    expect(atoi('abc')).toBe(0);
    expect(atoi('-1')).toBe(4294967295);
    expect(atoi('+3')).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { world } from '../harness.test-support';
import { request } from '../request';
import { bytesToString } from '../payload';

describe('READ', () => {
  it('returns the value bytes with no NUL added', () => {
    const { dom0 } = world();
    dom0.write('/a', 'hello');
    const r = dom0.send('READ', ['/a']);
    expect(r.ok && [...r.bytes]).toEqual([...'hello'].map((c) => c.charCodeAt(0)));
  });

  it('a node created as a parent reads as the empty string', () => {
    const { dom0 } = world();
    dom0.write('/a/b', 'x');
    expect(dom0.read('/a')).toBe('');
  });

  it('values may contain NUL bytes and come back unchanged', () => {
    const { dom0 } = world();
    dom0.write('/a', 'a\0b\0');
    expect(dom0.read('/a')).toBe('a\0b\0');
  });

  it('a missing node whose parent is readable is ENOENT', () => {
    const { dom0 } = world();
    expect(dom0.read('/nope')).toBe('ENOENT');
    expect(dom0.read('/nope/deeper')).toBe('ENOENT');
  });

  it('bad paths are EINVAL: trailing slash, double slash, bad characters, @ names, empty', () => {
    const { dom0 } = world();
    for (const p of ['/a/', '/a//b', '/a.b', '@introduceDomain', '']) expect(dom0.read(p), p).toBe('EINVAL');
  });

  it('a payload that is not exactly one NUL-terminated string is EINVAL', () => {
    const { store, dom0 } = world();
    dom0.write('/a', 'v');
    const raw = (bytes: string) =>
      store.handle(dom0.conn, { type: 2, reqId: 0, txId: 0, payload: new TextEncoder().encode(bytes) });
    expect(bytesToString(raw('/a').reply?.payload ?? new Uint8Array())).toBe('EINVAL\0');
    expect(bytesToString(raw('/a\0x').reply?.payload ?? new Uint8Array())).toBe('EINVAL\0');
  });

  it('relative paths of a domain resolve against /local/domain/<domid>', () => {
    const w = world();
    w.dom0.write('/local/domain/1/name', 'guest');
    w.dom0.setPerms('/local/domain/1/name', ['n0', 'r1']);
    expect(w.dom(1).read('name')).toBe('guest');
  });

  it('relative paths of a modern tool socket resolve against the store domain’s home', () => {
    const { dom0 } = world();
    dom0.write('/local/domain/0/x', 'y');
    expect(dom0.read('x')).toBe('y');
  });

  it('[2006] a tool socket has no home: relative paths are EINVAL', () => {
    const { dom0 } = world({ version: '2006' });
    expect(dom0.read('x')).toBe('EINVAL');
  });
});

describe('permission masking (errno_from_parents)', () => {
  it('an unreadable existing node is EACCES', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    expect(w.dom(1).read('/t')).toBe('EACCES');
  });

  it('a missing node under a readable parent is ENOENT, even deep down', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'r1']);
    expect(w.dom(1).read('/t/zz')).toBe('ENOENT');
    expect(w.dom(1).read('/t/zz/yy')).toBe('ENOENT');
  });

  it('a missing node under an unreadable ancestor is EACCES (existence does not leak)', () => {
    const w = world();
    w.dom0.write('/t', '');
    w.dom0.setPerms('/t', ['n0', 'w1']);
    expect(w.dom(1).read('/t/missing')).toBe('EACCES');
  });
});

describe('DIRECTORY', () => {
  it('lists children in creation order, not sorted', () => {
    const { dom0 } = world();
    for (const n of ['b', 'a', 'c']) dom0.write(`/d/${n}`, '');
    expect(dom0.dir('/d')).toBe('b,a,c');
    dom0.rm('/d/b');
    dom0.write('/d/b', '');
    expect(dom0.dir('/d')).toBe('a,c,b');
  });

  it('a leaf has an empty listing', () => {
    const { dom0 } = world();
    dom0.write('/d', 'v');
    const r = dom0.send('DIRECTORY', ['/d']);
    expect(r.ok && r.bytes.length).toBe(0);
  });

  it('lists every child of a readable node, readable or not', () => {
    const w = world();
    w.dom0.write('/d/secret', '');
    w.dom0.setPerms('/d', ['n0', 'r1']);
    w.dom0.setPerms('/d/secret', ['n0']);
    expect(w.dom(1).dir('/d')).toBe('secret');
  });

  it('a listing over 4096 bytes is E2BIG', () => {
    const { dom0 } = world();
    for (let i = 0; i < 50; i++) dom0.write(`/big/${'n'.repeat(90)}${i}`, '');
    expect(dom0.dir('/big')).toBe('E2BIG');
  });

  it('the listing changes when children change (no stale cache)', () => {
    const { dom0 } = world();
    dom0.write('/d/a', '');
    expect(dom0.dir('/d')).toBe('a');
    dom0.write('/d/b', '');
    expect(dom0.dir('/d')).toBe('a,b');
    dom0.rm('/d/a');
    expect(dom0.dir('/d')).toBe('b');
  });
});

describe('GET_PERMS', () => {
  it('lists the entries as <letter><domid>', () => {
    const { dom0 } = world();
    dom0.write('/p', '');
    dom0.setPerms('/p', ['n0', 'r1', 'b2']);
    expect(dom0.perms('/p')).toBe('n0,r1,b2');
  });

  it('needs read access', () => {
    const w = world();
    w.dom0.write('/p', '');
    w.dom0.setPerms('/p', ['n0', 'w1']);
    expect(w.dom(1).perms('/p')).toBe('EACCES');
  });

  it('@ names have no GET_PERMS (EINVAL)', () => {
    const { dom0 } = world();
    expect(dom0.perms('@introduceDomain')).toBe('EINVAL');
  });
});

describe('DIRECTORY_PART', () => {
  it('returns the generation, the names from a byte offset, and a final empty string', () => {
    const { store, dom0 } = world();
    for (const n of ['b', 'a', 'c']) dom0.write(`/dp/${n}`, '');
    const gen = store.getNode('/dp')?.generation;
    const part = (off: string) => {
      const r = request(store, dom0.conn, 'DIRECTORY_PART', ['/dp', off]);
      return r.ok ? r.value : r.error;
    };
    expect(part('0')).toBe(`${gen}\0b\0a\0c\0\0`);
    expect(part('2')).toBe(`${gen}\0a\0c\0\0`);
    expect(part('1')).toBe(`${gen}\0\0a\0c\0\0`);
    expect(part('6')).toBe(`${gen}\0\0`);
    expect(part('x')).toBe(`${gen}\0b\0a\0c\0\0`);
  });

  it('needs the offset argument (EINVAL)', () => {
    const { dom0 } = world();
    dom0.write('/dp/a', '');
    expect(dom0.ask('DIRECTORY_PART', ['/dp'])).toBe('EINVAL');
  });

  it('splits a long list into parts that fit the payload limit', () => {
    const { store, dom0 } = world();
    for (let i = 0; i < 60; i++) dom0.write(`/big/${'n'.repeat(90)}${i}`, '');
    const names: string[] = [];
    let off = 0;
    for (let guard = 0; guard < 10; guard++) {
      const r = request(store, dom0.conn, 'DIRECTORY_PART', ['/big', String(off)]);
      if (!r.ok) throw new Error(r.error);
      expect(r.bytes.length).toBeLessThanOrEqual(4096);
      const [, ...rest] = r.strings;
      const done = rest[rest.length - 1] === '';
      const got = done ? rest.slice(0, -1) : rest;
      names.push(...got);
      off += got.reduce((n, s) => n + s.length + 1, 0);
      if (done) break;
    }
    expect(names.length).toBe(60);
  });
});

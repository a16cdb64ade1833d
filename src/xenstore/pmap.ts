/**
 * A Map with an O(1) fork: the copy-on-write index behind the tree and the watch table, which the
 * store copies for every simulator checkpoint.
 *
 * Maps forked from one another share their entries through `Version`s, a persistent map in the
 * manner of Baker's "rerooting" (Baker 1978; Conchon and Filliâtre 2007): exactly one version, the
 * root, holds the real Map; every other version is a diff against the version it points to. A
 * PMap reads and writes the Map directly while its version is the root (always, unless another
 * map of the same family ran since); otherwise it first makes its version the root by walking to
 * the root and reversing each diff on the way, which costs the number of keys that differ, not
 * the number of entries. While another version depends on the root, each write first records the
 * value it replaces there (once per key), so no other version's contents change.
 *
 * Values are shared, not copied: they must be immutable, or copied before a change by whoever
 * holds them. `era` helps with the latter: a token replaced whenever another version may start to
 * see this map's current values (at fork() and at a split, see writable()), so a value stamped
 * with the current era is seen by this map alone and may be changed in place.
 */

/** One version of a map family: the root (`map` set) or a diff against `next`. */
interface Version<K, V> {
  /** the entries themselves, on the root only */
  map: Map<K, V> | null;
  /** off the root: where this version differs from `next` (undefined: the key is absent here) */
  diff: Map<K, V | undefined> | null;
  next: Version<K, V> | null;
  /**
   * how many versions point here through `next` (never lowered when one of them is collected, so
   * it may over-count: that only costs a split, see writable())
   */
  refs: number;
  /** on the root with refs === 1: that one dependent, known; it records what the root's writes replace */
  acc: Version<K, V> | null;
}

/**
 * Makes `v` the root and returns its Map: from the root back to `v`, each diff is applied to the
 * Map and replaced by the opposite diff on the version it came from.
 */
function reroot<K, V>(v: Version<K, V>): Map<K, V> {
  const way: Array<Version<K, V>> = [];
  let r = v;
  while (r.map === null) {
    way.push(r);
    r = r.next as Version<K, V>;
  }
  const map = r.map;
  for (let i = way.length - 1; i >= 0; i--) {
    const x = way[i] as Version<K, V>;
    const back = new Map<K, V | undefined>();
    (x.diff as Map<K, V | undefined>).forEach((value, key) => {
      back.set(key, map.get(key));
      if (value === undefined) map.delete(key);
      else map.set(key, value);
    });
    // r was the root and x pointed at it: now x is the root and r points at x
    r.map = null;
    r.diff = back;
    r.next = x;
    r.refs--;
    if (r.acc === x || r.refs === 0) r.acc = null;
    x.map = map;
    x.diff = null;
    x.next = null;
    x.refs++;
    x.acc = x.refs === 1 ? r : null;
    r = x;
  }
  return map;
}

export class PMap<K, V> {
  private ver: Version<K, V>;
  /** number of entries */
  size: number;
  /** see the header: replaced whenever another version may start to see the current values */
  era: object = {};

  constructor(entries?: Iterable<readonly [K, V]>, from?: PMap<K, V>) {
    if (from !== undefined) {
      this.ver = from.ver;
      this.size = from.size;
      return;
    }
    const map = new Map<K, V>(entries);
    this.ver = { map, diff: null, next: null, refs: 0, acc: null };
    this.size = map.size;
  }

  /** An independent map with the same entries, in O(1); each map pays later for what it changes. */
  fork(): PMap<K, V> {
    const copy = new PMap<K, V>(undefined, this);
    // this map goes on with the Map on a new root; the old version, an empty diff against it, is the copy's
    this.split(this.ver.map ?? reroot(this.ver));
    return copy;
  }

  get(key: K): V | undefined {
    return (this.ver.map ?? reroot(this.ver)).get(key);
  }

  has(key: K): boolean {
    return (this.ver.map ?? reroot(this.ver)).has(key);
  }

  set(key: K, value: V): void {
    const map = this.writable();
    const acc = this.ver.acc;
    if (acc !== null) {
      const diff = acc.diff as Map<K, V | undefined>;
      if (!diff.has(key)) diff.set(key, map.get(key));
    }
    const n = map.size;
    map.set(key, value);
    this.size += map.size - n;
  }

  delete(key: K): void {
    const map = this.writable();
    if (!map.has(key)) return;
    const acc = this.ver.acc;
    if (acc !== null) {
      const diff = acc.diff as Map<K, V | undefined>;
      if (!diff.has(key)) diff.set(key, map.get(key));
    }
    map.delete(key);
    this.size--;
  }

  /**
   * Gets the Map ready for this map to change: its version is the root, and at most one known
   * dependent needs the replaced values. With more (or unknown ones) the root splits.
   */
  private writable(): Map<K, V> {
    const v = this.ver;
    const map = v.map ?? reroot(v);
    if (v.refs === 0 || (v.refs === 1 && v.acc !== null)) return map;
    this.split(map);
    return map;
  }

  /**
   * Moves this map to a new root holding `map` (its version's, which must be the root); the old
   * version becomes an empty diff against it and the one dependent recording the replaced values.
   * The old version keeps seeing the current values, so the era changes.
   */
  private split(map: Map<K, V>): void {
    const v = this.ver;
    this.ver = { map, diff: null, next: null, refs: 1, acc: v };
    v.map = null;
    v.diff = new Map();
    v.next = this.ver;
    this.era = {};
  }
}

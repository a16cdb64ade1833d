/**
 * The simulation's only source of randomness: a seeded PRNG with named streams.
 *
 * Every draw names what it is for (`rng.next('xenwatch.order')`). Each name gets its own stream,
 * seeded from (seed, name), so adding a draw in one place never shifts the numbers drawn
 * elsewhere, and a trace can say which decision a number made. Generator: sfc32 (small fast
 * counter, 128-bit state), seeded through a 32-bit string hash (cyrb53-style mixing).
 */

type Sfc32State = [number, number, number, number];

export interface RngSnapshot {
  seed: number;
  streams: Array<[string, Sfc32State]>;
}

/** 32-bit FNV-1a over the name, mixed with the seed; deterministic across engines. */
function hashName(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function sfc32Step(s: Sfc32State): number {
  const [a, b, c, d] = s;
  const t = (((a + b) >>> 0) + d) >>> 0;
  s[3] = (d + 1) >>> 0;
  s[0] = (b ^ (b >>> 9)) >>> 0;
  s[1] = (c + (c << 3)) >>> 0;
  const rotated = ((c << 21) | (c >>> 11)) >>> 0;
  s[2] = (rotated + t) >>> 0;
  return t;
}

function newStream(seed: number, name: string): Sfc32State {
  const h = hashName(seed, name);
  const s: Sfc32State = [seed >>> 0, h, (h ^ 0x9e3779b9) >>> 0, 1];
  for (let i = 0; i < 12; i++) sfc32Step(s); // discard the weakly mixed start
  return s;
}

export class Rng {
  private readonly streams = new Map<string, Sfc32State>();

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`seed must be an integer in [0, 2^32): ${seed}`);
    }
  }

  private stream(name: string): Sfc32State {
    let s = this.streams.get(name);
    if (!s) {
      s = newStream(this.seed, name);
      this.streams.set(name, s);
    }
    return s;
  }

  /** Uniform float in [0, 1) from the named stream. */
  next(name: string): number {
    return sfc32Step(this.stream(name)) / 0x100000000;
  }

  /** Uniform integer in [0, n) from the named stream; n must be a positive integer. */
  int(name: string, n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`int() needs a positive integer bound: ${n}`);
    return Math.floor(this.next(name) * n);
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(name: string, items: readonly T[]): T {
    const item = items[this.int(name, items.length)];
    if (item === undefined) throw new RangeError('pick() from an empty list');
    return item;
  }

  snapshot(): RngSnapshot {
    return {
      seed: this.seed,
      streams: [...this.streams].map(([k, s]) => [k, [s[0], s[1], s[2], s[3]]]),
    };
  }

  static restore(snap: RngSnapshot): Rng {
    const rng = new Rng(snap.seed);
    for (const [k, s] of snap.streams) rng.streams.set(k, [s[0], s[1], s[2], s[3]]);
    return rng;
  }
}

/**
 * The one seeded pseudo-random generator of tunelab. Everything random (data, initial
 * weights, shuffling, dropout masks, samplers) draws from an {@link Rng} made from a seed, so
 * that a spec and a seed replay the same run.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counter, from PractRand), seeded
 * through splitmix32 so that nearby seeds give unrelated streams.
 *
 * @example
 * const rng = createRng(42);
 * rng.next();        // uniform in [0, 1)
 * rng.normal(0, 1);  // standard normal
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform float in [low, high). */
  uniform(low: number, high: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Normal deviate (Box–Muller). */
  normal(mean?: number, std?: number): number;
  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** A 32-bit seed for a child generator, so that sub-streams stay independent. */
  fork(): number;
  /** The generator's state, to save and restore mid-stream. */
  state(): [number, number, number, number];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator from a seed (any finite number; it is reduced to 32 bits), or from a saved state. */
export function createRng(seed: number | [number, number, number, number]): Rng {
  // The state in a typed array, then the last draw: numbers past 2^31 held in closure
  // variables or returned from a call are boxed, and a draw then allocated (a shuffle of a
  // population's epoch draws 25 600 times).
  const s = new Uint32Array(5);
  if (Array.isArray(seed)) {
    s.set(seed.map((v) => v >>> 0));
  } else {
    const mix = splitmix32(Math.trunc(seed) >>> 0);
    for (let k = 0; k < 4; k++) s[k] = mix();
  }
  let spare: number | null = null;

  /** Advances the generator; the draw, an unsigned 32-bit integer, is left in s[4]. */
  const advance = (): void => {
    const a = s[0], b = s[1], c = s[2], d = s[3];
    const t = (((a + b) >>> 0) + d) >>> 0;
    s[3] = d + 1;
    s[0] = b ^ (b >>> 9);
    s[1] = c + (c << 3);
    s[2] = ((c << 21) | (c >>> 11)) + t;
    s[4] = t;
  };
  const u32 = (): number => (advance(), s[4]);
  const next = (): number => u32() / 4294967296;

  const rng: Rng = {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    int: (n) => Math.floor(next() * n),
    normal(mean = 0, std = 1) {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return mean + std * z;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + std * r * Math.cos(2 * Math.PI * v);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        // next(), read where the draw lies: no number returned, none boxed.
        advance();
        const j = Math.floor((s[4] / 4294967296) * (i + 1));
        const item = items[i];
        items[i] = items[j];
        items[j] = item;
      }
      return items;
    },
    fork: () => u32(),
    state: () => [s[0], s[1], s[2], s[3]],
  };
  return rng;
}

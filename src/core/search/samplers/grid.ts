import { createRng } from '../../random/prng';
import { gridIndex } from '../grid';
import type { Params, SearchSpace } from '../space';
import { paramsKey, type Observation, type Sampler } from './sampler';

/** Past this many points, indices lose integer precision; larger grids are walked over their first 2⁵² points. */
const MAX_INDEX = 2 ** 52;

/**
 * Grid search: every combination of the space's grid values exactly once (continuous ranges
 * at `resolution` points, log-spaced when log), in an order shuffled by the seed. Points are
 * taken by index one at a time, never listed, so a huge grid costs no more than a small one.
 * When every point was asked, ask returns null and askBatch an empty list. Resumes past the
 * combinations in the history, finished or pending.
 */
export function gridSampler(space: SearchSpace, seed: number, resolution: number, history: Observation[] = []): Sampler {
  const grid = gridIndex(space, resolution);
  const size = Math.min(grid.size, MAX_INDEX);
  const order = shuffledIndex(size, seed);
  const taken = new Set(history.map((h) => paramsKey(h.params)));
  let next = 0;
  const ask = () => {
    while (next < size) {
      const point = grid.at(order(next++));
      if (!taken.has(paramsKey(point))) return point;
    }
    return null;
  };
  return {
    ask,
    askBatch: (n) => {
      const out: Params[] = [];
      for (let point; out.length < n && (point = ask()); ) out.push(point);
      return out;
    },
    tell: () => {},
  };
}

/**
 * A permutation of 0…n−1 chosen by the seed, computed one position at a time: a four-round
 * Feistel network over the smallest even power of two that holds n, walking the cycle past
 * values ≥ n (fewer than four steps on average). A bijection whatever the round function.
 */
export function shuffledIndex(n: number, seed: number): (k: number) => number {
  let half = 1;
  while (2 ** (2 * half) < n) half++;
  const side = 2 ** half;
  const rng = createRng(seed);
  const keys = [rng.fork(), rng.fork(), rng.fork(), rng.fork()];
  const round = (r: number, key: number) => {
    let z = Math.imul((r ^ key) >>> 0, 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) % side;
  };
  const encrypt = (x: number) => {
    let left = Math.floor(x / side);
    let right = x % side;
    for (const key of keys) [left, right] = [right, (left ^ round(right, key)) >>> 0];
    return left * side + right;
  };
  return (k) => {
    let y = encrypt(k);
    while (y >= n) y = encrypt(y);
    return y;
  };
}

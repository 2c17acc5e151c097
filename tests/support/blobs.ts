import type { Dataset } from '../../src/core/data/types';
import { createRng } from '../../src/core/random/prng';

/** Three Gaussian blobs in 4 dimensions, row i of class i mod 3, centred `gap` apart: a three-class table. */
export function blobs(n: number, seed: number, gap: number): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === i % 3 ? gap : 0) + rng.normal();
  }
  return { problem: 'classification', n, x, y, dims: 4, classes: 3 };
}

import { createRng } from '../random/prng';
import type { Dataset, SplitDataset } from './types';

/**
 * Salt mixed into the seed so the shuffle draws from a different stream than the generator
 * that made the points with the same seed; otherwise the split order would be a function of
 * the very draws that placed the points.
 */
const SPLIT_SALT = 0x5f3759df;

function subset(data: Dataset, indices: number[]): Dataset {
  const x = new Float32Array(indices.length * 2);
  const y = new Float32Array(indices.length);
  indices.forEach((from, to) => {
    x[2 * to] = data.x[2 * from];
    x[2 * to + 1] = data.x[2 * from + 1];
    y[to] = data.y[from];
  });
  return { problem: data.problem, n: indices.length, x, y, domain: data.domain };
}

/**
 * Cuts a dataset into training and validation parts: a seeded shuffle, then the first
 * round(n · trainRatio) points train and the rest validate. Every point lands in exactly one
 * part, and the same seed gives the same cut.
 */
export function splitDataset(data: Dataset, trainRatio: number, seed: number): SplitDataset {
  const order = createRng((seed ^ SPLIT_SALT) >>> 0).shuffle(Array.from({ length: data.n }, (_, i) => i));
  const nTrain = Math.round(data.n * trainRatio);
  return { train: subset(data, order.slice(0, nTrain)), val: subset(data, order.slice(nTrain)) };
}

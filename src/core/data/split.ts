import { createRng } from '../random/prng';
import { generateDataset } from './generators';
import type { DataSpec, Dataset, SplitDataset } from './types';

/**
 * Salt mixed into the seed so the shuffle draws from a different stream than the generator
 * that made the points with the same seed; otherwise the split order would be a function of
 * the very draws that placed the points.
 */
const SPLIT_SALT = 0x5f3759df;

function subset(data: Dataset, indices: number[]): Dataset {
  const { dims } = data;
  const x = new Float32Array(indices.length * dims);
  const y = new Float32Array(indices.length);
  indices.forEach((from, to) => {
    x.set(data.x.subarray(from * dims, (from + 1) * dims), to * dims);
    y[to] = data.y[from];
  });
  return { ...data, n: indices.length, x, y };
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

/** A generated dataset cut as its spec says: the points of `spec`, split by its ratio and seed. */
export function generatedSplit(spec: DataSpec): SplitDataset {
  return splitDataset(generateDataset(spec), spec.trainRatio, spec.seed);
}

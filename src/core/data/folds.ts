import { createRng } from '../random/prng';
import type { Dataset, SplitDataset } from './types';

/**
 * Salt mixed into the seed so the folds draw from their own stream, apart from the generator
 * that placed the points and from the train/validation split made with the same seed.
 */
const FOLD_SALT = 0x2545f491;

/**
 * The points of each of k folds, as indices into a dataset of `n` points: a seeded shuffle
 * dealt round-robin, so fold sizes differ by at most one. With `labels` (classification) each
 * class is shuffled and dealt in turn, continuing the round, so every fold also holds each
 * class's share to within one point (stratified k-fold). Every point lies in exactly one fold;
 * the same seed gives the same folds.
 *
 * @example
 * foldIndices(10, 3, 7); // three disjoint sets of 4, 3 and 3 indices covering 0…9
 */
export function foldIndices(n: number, k: number, seed: number, labels?: ArrayLike<number>): number[][] {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new Error(`k-fold needs 2 ≤ k ≤ ${n} (the number of points); got ${k}`);
  const rng = createRng((seed ^ FOLD_SALT) >>> 0);
  const all = Array.from({ length: n }, (_, i) => i);
  const classes = labels ? [...new Set(Array.from(labels))].sort((a, b) => a - b) : [null];
  const order = classes.flatMap((c) => rng.shuffle(c === null ? all : all.filter((i) => labels![i] === c)));
  const folds: number[][] = Array.from({ length: k }, () => []);
  order.forEach((point, position) => folds[position % k].push(point));
  return folds;
}

/** The points of `indices` into the rows of `parts` taken one after the other, keeping every other field of the first part. */
function gather(parts: Dataset[], indices: number[]): Dataset {
  const { dims } = parts[0];
  const rows = parts.flatMap((part) => Array.from({ length: part.n }, (_, i) => [part, i] as const));
  const x = new Float32Array(indices.length * dims);
  const y = new Float32Array(indices.length);
  indices.forEach((from, to) => {
    const [part, i] = rows[from];
    x.set(part.x.subarray(i * dims, (i + 1) * dims), to * dims);
    y[to] = part.y[i];
  });
  return { ...parts[0], n: indices.length, x, y };
}

/**
 * k-fold cross-validation's k splits of a split dataset's training and validation points
 * together (a held-out test part stays as it is): split i validates on fold i and trains on
 * the others, so each point validates exactly once. Stratified by class for classification
 * (see {@link foldIndices}).
 */
export function crossValidationSplits(data: SplitDataset, k: number, seed: number): SplitDataset[] {
  const parts = [data.train, data.val];
  const n = data.train.n + data.val.n;
  const labels = data.train.problem === 'classification' ? [...data.train.y, ...data.val.y] : undefined;
  const folds = foldIndices(n, k, seed, labels);
  return folds.map((val, i) => ({
    ...data,
    train: gather(parts, folds.filter((_, j) => j !== i).flat()),
    val: gather(parts, val),
  }));
}

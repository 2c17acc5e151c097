import { describe, expect, test } from 'vitest';
import { crossValidationSplits, foldIndices } from '../../src/core/data/folds';
import { generatedSplit } from '../../src/core/data/split';

describe('k-fold cross-validation folds', () => {
  test('every point lies in exactly one fold, and fold sizes differ by at most one', () => {
    for (const [n, k] of [[10, 3], [101, 10], [7, 7], [500, 4]]) {
      const folds = foldIndices(n, k, 3);
      expect(folds).toHaveLength(k);
      expect(folds.flat().sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
      const sizes = folds.map((f) => f.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  test('seeded: the same seed gives the same folds, another seed others', () => {
    expect(foldIndices(50, 5, 9)).toEqual(foldIndices(50, 5, 9));
    expect(foldIndices(50, 5, 10)).not.toEqual(foldIndices(50, 5, 9));
  });

  test('stratified by class: each fold holds each class to within one point', () => {
    const labels = Array.from({ length: 60 }, (_, i) => (i < 45 ? 0 : i < 55 ? 1 : 2));
    const folds = foldIndices(60, 4, 1, labels);
    for (const c of [0, 1, 2]) {
      const counts = folds.map((f) => f.filter((i) => labels[i] === c).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    const sizes = folds.map((f) => f.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  test('k outside 2 … n is refused with a message', () => {
    expect(() => foldIndices(5, 1, 0)).toThrow(/2 ≤ k ≤ 5/);
    expect(() => foldIndices(5, 6, 0)).toThrow(/got 6/);
  });

  test('the splits cover the training and validation points: each validates once and trains k − 1 times', () => {
    const data = generatedSplit({ kind: 'xor', n: 97, noise: 10, trainRatio: 0.6, seed: 2 });
    const key = (x: Float32Array, i: number) => `${x[2 * i]},${x[2 * i + 1]}`;
    const all = [data.train, data.val].flatMap((d) => Array.from({ length: d.n }, (_, i) => key(d.x, i))).sort();
    const splits = crossValidationSplits(data, 5, 4);
    const validated = splits.flatMap((s) => Array.from({ length: s.val.n }, (_, i) => key(s.val.x, i))).sort();
    expect(validated).toEqual(all);
    splits.forEach((s) => {
      expect(s.train.n + s.val.n).toBe(97);
      const train = new Set(Array.from({ length: s.train.n }, (_, i) => key(s.train.x, i)));
      for (let i = 0; i < s.val.n; i++) expect(train.has(key(s.val.x, i))).toBe(false);
    });
    // Targets travel with their points.
    const label = new Map([data.train, data.val].flatMap((d) => Array.from({ length: d.n }, (_, i) => [key(d.x, i), d.y[i]] as const)));
    splits.forEach((s) => Array.from({ length: s.val.n }, (_, i) => expect(s.val.y[i]).toBe(label.get(key(s.val.x, i)))));
  });
});

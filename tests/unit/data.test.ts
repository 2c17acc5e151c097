import { describe, expect, test } from 'vitest';
import { featurize, FEATURE_LABELS, generateDataset, splitDataset } from '../../src/core/data';
import { CLASSIFICATION_KINDS, DATASET_KINDS, REGRESSION_KINDS, type Dataset } from '../../src/core/data/types';

const point = (d: Dataset, i: number): [number, number] => [d.x[2 * i], d.x[2 * i + 1]];
const indices = (d: Dataset) => Array.from({ length: d.n }, (_, i) => i);

describe('generateDataset', () => {
  test.each(DATASET_KINDS)('%s: the same seed gives identical arrays, another seed other points', (kind) => {
    const a = generateDataset({ kind, n: 200, noise: 20, seed: 5 });
    const b = generateDataset({ kind, n: 200, noise: 20, seed: 5 });
    const c = generateDataset({ kind, n: 200, noise: 20, seed: 6 });
    expect(b.x).toEqual(a.x);
    expect(b.y).toEqual(a.y);
    expect(c.x).not.toEqual(a.x);
  });

  test.each(DATASET_KINDS)('%s: exactly n points, inside [-6, 6]², even at 50 %% noise', (kind) => {
    const d = generateDataset({ kind, n: 101, noise: 50, seed: 2 });
    expect(d.n).toBe(101);
    expect(d.x).toHaveLength(202);
    expect(d.y).toHaveLength(101);
    expect(d.domain).toEqual([-6, 6]);
    for (const v of d.x) expect(Math.abs(v)).toBeLessThanOrEqual(6);
    for (const t of d.y) expect(Number.isFinite(t)).toBe(true);
  });

  test.each(CLASSIFICATION_KINDS)('%s: classes are 0 and 1, about half each', (kind) => {
    const d = generateDataset({ kind, n: 400, noise: 10, seed: 3 });
    expect(d.problem).toBe('classification');
    expect(new Set(d.y)).toEqual(new Set([0, 1]));
    const ones = d.y.reduce((s, t) => s + t, 0);
    expect(ones).toBeGreaterThan(400 * 0.4);
    expect(ones).toBeLessThan(400 * 0.6);
  });

  test.each(REGRESSION_KINDS)('%s is a regression set', (kind) => {
    expect(generateDataset({ kind, n: 50, noise: 0, seed: 1 }).problem).toBe('regression');
  });

  test('circle without noise: class 1 exactly inside radius 2.5, class 0 in the ring 3.5 to 5, half each', () => {
    const d = generateDataset({ kind: 'circle', n: 500, noise: 0, seed: 1 });
    for (const i of indices(d)) {
      const r = Math.hypot(...point(d, i));
      if (d.y[i] === 1) expect(r).toBeLessThan(2.5);
      else expect(r >= 3.5 - 1e-5 && r <= 5 + 1e-5).toBe(true);
    }
    expect(d.y.reduce((s, t) => s + t, 0)).toBe(250);
  });

  test('circle with 50 % noise has points labelled against their position, as Playground does', () => {
    const d = generateDataset({ kind: 'circle', n: 500, noise: 50, seed: 1 });
    const wrong = indices(d).filter((i) => (Math.hypot(...point(d, i)) < 2.5 ? 1 : 0) !== d.y[i]);
    expect(wrong.length).toBeGreaterThan(25);
  });

  test('xor without noise: class 1 where x1·x2 ≥ 0, and no point within 0.3 of an axis', () => {
    const d = generateDataset({ kind: 'xor', n: 300, noise: 0, seed: 4 });
    for (const i of indices(d)) {
      const [x1, x2] = point(d, i);
      expect(d.y[i]).toBe(x1 * x2 >= 0 ? 1 : 0);
      expect(Math.min(Math.abs(x1), Math.abs(x2))).toBeGreaterThanOrEqual(0.3 - 1e-6);
    }
  });

  test('gauss without noise: class 1 centred on (2, 2), class 0 on (-2, -2)', () => {
    const d = generateDataset({ kind: 'gauss', n: 1000, noise: 0, seed: 8 });
    for (const label of [1, 0]) {
      const members = indices(d).filter((i) => d.y[i] === label);
      const mean = (k: 0 | 1) => members.reduce((s, i) => s + point(d, i)[k], 0) / members.length;
      const centre = label === 1 ? 2 : -2;
      expect(Math.abs(mean(0) - centre)).toBeLessThan(0.15);
      expect(Math.abs(mean(1) - centre)).toBeLessThan(0.15);
    }
  });

  test('spiral without noise: both arms start at the origin and stay within radius 5', () => {
    const d = generateDataset({ kind: 'spiral', n: 200, noise: 0, seed: 1 });
    expect(Math.hypot(...point(d, 0))).toBe(0);
    expect(Math.hypot(...point(d, 100))).toBe(0);
    expect([d.y[0], d.y[100]]).toEqual([1, 0]);
    for (const i of indices(d)) expect(Math.hypot(...point(d, i))).toBeLessThan(5);
  });

  test('moons without noise lie on the two unit arcs of make_moons, scaled by 3 about (0.5, 0.25)', () => {
    const d = generateDataset({ kind: 'moons', n: 200, noise: 0, seed: 9 });
    for (const i of indices(d)) {
      const [x1, x2] = point(d, i);
      const u = x1 / 3 + 0.5;
      const v = x2 / 3 + 0.25;
      if (d.y[i] === 1) {
        expect(Math.hypot(u, v)).toBeCloseTo(1, 5);
        expect(v).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(1 - u, 0.5 - v)).toBeCloseTo(1, 5);
        expect(v).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });

  test('plane without noise: target (x1 + x2) / 10', () => {
    const d = generateDataset({ kind: 'plane', n: 100, noise: 0, seed: 1 });
    for (const i of indices(d)) {
      const [x1, x2] = point(d, i);
      expect(d.y[i]).toBeCloseTo((x1 + x2) / 10, 5);
    }
  });

  test('multigauss without noise: targets in [-1, 1], below -0.75 within 0.5 of the negative bump at (0, 2.5)', () => {
    const d = generateDataset({ kind: 'multigauss', n: 2000, noise: 0, seed: 1 });
    const near = indices(d).filter((i) => Math.hypot(d.x[2 * i], d.x[2 * i + 1] - 2.5) < 0.5);
    expect(near.length).toBeGreaterThan(0);
    for (const i of near) expect(d.y[i]).toBeLessThanOrEqual(-0.75);
    for (const t of d.y) expect(Math.abs(t)).toBeLessThanOrEqual(1);
  });
});

describe('splitDataset', () => {
  const data = generateDataset({ kind: 'xor', n: 101, noise: 0, seed: 1 });
  const rows = (d: Dataset) => indices(d).map((i) => `${d.x[2 * i]},${d.x[2 * i + 1]},${d.y[i]}`);

  test('cuts round(n · trainRatio) training points and puts every point in exactly one part', () => {
    const { train, val } = splitDataset(data, 0.3, 7);
    expect(train.n).toBe(30);
    expect(val.n).toBe(71);
    expect(train.x).toHaveLength(60);
    expect(val.y).toHaveLength(71);
    expect([...rows(train), ...rows(val)].sort()).toEqual(rows(data).sort());
    expect(new Set(rows(data)).size).toBe(101);
    expect(train.problem).toBe('classification');
    expect(val.domain).toEqual([-6, 6]);
  });

  test('the same seed cuts the same way; another seed shuffles differently', () => {
    expect(rows(splitDataset(data, 0.5, 7).train)).toEqual(rows(splitDataset(data, 0.5, 7).train));
    expect(rows(splitDataset(data, 0.5, 8).train)).not.toEqual(rows(splitDataset(data, 0.5, 7).train));
  });
});

describe('featurize', () => {
  test('x = (1, 2) gives x1, x2, x1², x2², x1·x2, sin x1, sin x2', () => {
    const out = featurize(new Float32Array([1, 2]), ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2']);
    expect(out).toHaveLength(7);
    const expected = [1, 2, 1, 4, 2, Math.sin(1), Math.sin(2)];
    expected.forEach((value, j) => expect(out[j]).toBeCloseTo(value, 6));
  });

  test('is row-major [n, features] in the order the features are given', () => {
    const out = featurize(new Float32Array([1, 2, -3, 0.5]), ['x2', 'x1sq']);
    expect(Array.from(out)).toEqual([2, 1, 0.5, 9]);
  });

  test('labels the inputs as a reader writes them', () => {
    expect(FEATURE_LABELS.x1sq).toBe('x₁²');
    expect(FEATURE_LABELS.x1x2).toBe('x₁x₂');
    expect(FEATURE_LABELS.sinx2).toBe('sin(x₂)');
  });
});

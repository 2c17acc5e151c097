import { expect, test } from 'vitest';
import { classFigures, describeClassFigures, describeWeightFigures, weightFigures } from '../../src/core/model/chart-figures';

test('a two-class picture: each class takes its share of the cells, and its points are counted in its own region', () => {
  // 3 × 3 over [0, 3]²; row 0 is the top (y in [2, 3]). Class 1 (≥ 0.5) fills the top row and the right column: 5 of 9 cells.
  const grid = Float32Array.of(
    0.9, 0.7, 0.6,
    0.1, 0.4, 0.5,
    0.0, 0.2, 0.8,
  );
  const points = {
    // (x, y, an unused third input) per row; axes 0 and 2 are drawn.
    x: Float32Array.of(
      0.5, 9, 2.5, // top left: class 1 region
      1.5, 9, 1.5, // centre: class 0 region
      2.5, 9, 0.5, // bottom right: class 1 region
      0.5, 9, 0.5, // bottom left: class 0 region
      3.0, 9, 3.0, // on the top-right corner: the last cell, class 1
    ),
    y: Float32Array.of(1, 1, 0, 0, 1),
    dims: 3,
  };
  const figures = classFigures(grid, 3, 2, { x: [0, 3], y: [0, 3] }, points, [0, 2]);
  expect(figures.map((f) => ({ ...f, share: Number(f.share.toFixed(6)) }))).toEqual([
    { label: 0, share: 0.444444, points: 2, inRegion: 1 },
    { label: 1, share: 0.555556, points: 3, inRegion: 2 },
  ]);
  expect(describeClassFigures(figures, ['no', 'yes'])).toBe('no takes 44% of the picture, 1 of 2 of its points lie in it; yes takes 56% of the picture, 2 of 3 of its points lie in it');
});

test('a three-class picture reads each cell as class + probability; a class with no points says only its share', () => {
  // 2 × 2 over [-1, 1]²: class 2 (2.6, 2.9) on top, class 0 bottom left, class 2 again bottom right; class 1 nowhere.
  const grid = Float32Array.of(2.6, 2.9, 0.4, 2.35);
  const points = { x: Float32Array.of(-0.5, -0.5, 0.5, 0.5, 0.5, -0.5), y: Float32Array.of(0, 1, 1), dims: 2 };
  const figures = classFigures(grid, 2, 3, { x: [-1, 1], y: [-1, 1] }, points, [0, 1]);
  expect(figures).toEqual([
    { label: 0, share: 0.25, points: 1, inRegion: 1 },
    { label: 1, share: 0, points: 2, inRegion: 0 },
    { label: 2, share: 0.75, points: 0, inRegion: 0 },
  ]);
  expect(describeClassFigures(figures)).toBe('class 0 takes 25% of the picture, 1 of 1 of its points lie in it; class 1 takes 0% of the picture, 0 of 2 of its points lie in it; class 2 takes 75% of the picture');
});

test('per weight matrix: its count, the zeros pruned, the mean |w| and its strongest links by unit', () => {
  // 2 inputs → 3 hidden → 1 output; row-major [from, to].
  const first = Float32Array.of(
    0.5, -1.5, 0, // input 0 → hidden 0, 1, 2
    0, 2.0, -0.25, // input 1 → hidden 0, 1, 2
  );
  const second = Float32Array.of(1, -1, 0.5);
  const figures = weightFigures([2, 3, 1], [first, second], 2);
  expect(figures).toEqual([
    // |w| sums to 4.25 over 6 weights.
    { from: 0, to: 1, count: 6, pruned: 2, meanAbs: 4.25 / 6, strongest: [{ fromUnit: 1, toUnit: 1, weight: 2 }, { fromUnit: 0, toUnit: 1, weight: -1.5 }] },
    // Two of |1| tie: the earlier link first.
    { from: 1, to: 2, count: 3, pruned: 0, meanAbs: 2.5 / 3, strongest: [{ fromUnit: 0, toUnit: 0, weight: 1 }, { fromUnit: 1, toUnit: 0, weight: -1 }] },
  ]);
  const names = (layer: number, unit: number) => (layer === 0 ? ['x₁', 'x₂'][unit] : `${layer}.${unit + 1}`);
  expect(describeWeightFigures(figures, names)).toBe(
    'inputs to layer 1: 6 weights, 2 pruned, mean |w| 0.708, strongest x₂ → 1.2 (2), x₁ → 1.2 (-1.5); layer 1 to output: 3 weights, mean |w| 0.833, strongest 1.1 → 2.1 (1), 1.2 → 2.1 (-1)',
  );
});

import { describe, expect, test } from 'vitest';
import { createSampler, gridIndexOf, gridPointAt, gridPoints, gridSize, gridValueAt, gridValueCount, type SearchSpace } from '../../src/core/search';
import { shuffledIndex } from '../../src/core/search/samplers/grid';

describe('one parameter, counted and indexed without listing', () => {
  test('a step of 1e-6 on [0, 1] has 1,000,001 values, the k-th computed directly', () => {
    const def = { type: 'float', low: 0, high: 1, step: 1e-6 } as const;
    expect(gridValueCount(def, 5)).toBe(1_000_001);
    expect(gridValueAt(def, 5, 0)).toBe(0);
    expect(gridValueAt(def, 5, 123_457)).toBe(0.123457);
    expect(gridValueAt(def, 5, 1_000_000)).toBe(1);
    expect(gridIndexOf(def, 5, 0.123457)).toBe(123_457);
    expect(gridIndexOf(def, 5, 0.1234575)).toBe(-1);
  });

  test('a step that never reaches high counts as endless, not as a loop', () => {
    expect(gridValueCount({ type: 'float', low: 0, high: 1, step: -1 }, 5)).toBe(Infinity);
    expect(gridValueCount({ type: 'int', low: 0, high: 10, step: 0 }, 5)).toBe(Infinity);
  });

  test('ranges without a step: every integer that fits, else resolution points (rounded and merged for integers)', () => {
    expect(gridValueCount({ type: 'int', low: 0, high: 4 }, 5)).toBe(5);
    expect(gridValueCount({ type: 'int', low: 2, high: 32, log: true }, 4)).toBe(4);
    // 1, 1.48, 2.18, 3.21, 4.74, 7 rounded: 1, 1, 2, 3, 5, 7.
    expect(gridValueCount({ type: 'int', low: 1, high: 7, log: true }, 6)).toBe(5);
    expect(gridValueCount({ type: 'int', low: 1, high: 3, log: true }, 3)).toBe(3);
    // 1, 1.32, 1.74, 2.3, 3.03, 4 rounded: 1, 1, 2, 2, 3, 4.
    expect(gridValueCount({ type: 'int', low: 1, high: 4, log: true, step: undefined }, 6)).toBe(4);
    expect(gridValueCount({ type: 'categorical', choices: ['a', 'b', 'c'] }, 5)).toBe(3);
  });
});

describe('a whole grid', () => {
  const space: SearchSpace = {
    kind: { type: 'categorical', choices: ['sgd', 'momentum', 'adam'] },
    momentum: { type: 'float', low: 0, high: 0.9, step: 0.3, condition: { param: 'kind', in: ['momentum'] } },
    beta: { type: 'float', low: 0.5, high: 0.9, condition: { param: 'kind', in: ['adam'] } },
    lr: { type: 'float', low: 1e-3, high: 1, log: true },
  };

  test('counts conditional parameters only where their condition holds', () => {
    // (sgd 1 + momentum 4 + adam 3) × lr 3 = 24
    expect(gridSize(space, 3)).toBe(24);
  });

  test('the k-th point by index is the k-th listed, and every point appears once', () => {
    const listed = gridPoints(space, 3);
    expect(listed).toHaveLength(24);
    expect(new Set(listed.map((p) => JSON.stringify(p))).size).toBe(24);
    expect(listed.map((_, i) => gridPointAt(space, 3, i))).toEqual(listed);
    expect(listed.filter((p) => p.kind === 'momentum').map((p) => p.momentum)).toEqual([0, 0.3, 0.6, 0.9, 0, 0.3, 0.6, 0.9, 0, 0.3, 0.6, 0.9]);
    expect(listed.every((p) => ('beta' in p) === (p.kind === 'adam'))).toBe(true);
  });

  test('a condition on a stepped range: the named value alone opens the child, among a million others', () => {
    const wide: SearchSpace = {
      x: { type: 'float', low: 0, high: 1, step: 1e-6 },
      y: { type: 'categorical', choices: ['a', 'b'], condition: { param: 'x', in: [0.5, 2] } },
    };
    expect(gridSize(wide, 5)).toBe(1_000_002);
    expect(gridPointAt(wide, 5, 500_000)).toEqual({ x: 0.5, y: 'a' });
    expect(gridPointAt(wide, 5, 500_001)).toEqual({ x: 0.5, y: 'b' });
    expect(gridPointAt(wide, 5, 500_002)).toEqual({ x: 0.500001 });
    expect(gridPointAt(wide, 5, 499_999)).toEqual({ x: 0.499999 });
    expect(gridPointAt(wide, 5, 1_000_001)).toEqual({ x: 1 });
  });

  test('seven continuous ranges stepped by 1e-6: 1,000,001⁷ points, counted and indexed at once', () => {
    const seven: SearchSpace = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`p${i}`, { type: 'float', low: 0, high: 1, step: 1e-6 }]));
    expect(gridSize(seven, 5) / 1_000_001 ** 7).toBeCloseTo(1, 12);
    expect(gridPointAt(seven, 5, 1_000_001 + 2)).toEqual({ p0: 0, p1: 0, p2: 0, p3: 0, p4: 0, p5: 0.000001, p6: 0.000002 });
    const sampler = createSampler({ kind: 'grid', resolution: 5 }, seven, 3);
    const batch = sampler.askBatch(4);
    expect(batch).toHaveLength(4);
    expect(new Set(batch.map((p) => JSON.stringify(p))).size).toBe(4);
  });
});

describe('the seeded order of grid points', () => {
  test.each([1, 2, 7, 24, 1000, 4097])('is a permutation of 0…%i−1', (n) => {
    const order = shuffledIndex(n, 11);
    const seen = Array.from({ length: n }, (_, k) => order(k));
    expect(new Set(seen).size).toBe(n);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(n - 1);
  });

  test('differs between seeds and is not the identity', () => {
    const a = Array.from({ length: 50 }, (_, k) => shuffledIndex(50, 1)(k));
    const b = Array.from({ length: 50 }, (_, k) => shuffledIndex(50, 2)(k));
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, k) => k));
  });
});

import { describe, expect, test } from 'vitest';
import { lrFactor } from '../../src/core/optim';

describe('learning-rate schedules (epoch counts from 0)', () => {
  test('constant: factor 1 at every epoch', () => {
    expect([0, 1, 49, 99].map((e) => lrFactor({ kind: 'constant' }, e, 100))).toEqual([1, 1, 1, 1]);
  });

  test('step: γ^⌊epoch / every⌋, as torch StepLR', () => {
    // every 10 epochs, γ = 0.5: epochs 0–9 → 1, 10–19 → 0.5, 20–29 → 0.25
    const factors = [0, 9, 10, 19, 20, 29].map((e) => lrFactor({ kind: 'step', every: 10, gamma: 0.5 }, e, 100));
    expect(factors).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    // γ = 0.1 every 3 epochs at epoch 7: 0.1^2 = 0.01
    expect(lrFactor({ kind: 'step', every: 3, gamma: 0.1 }, 7, 10)).toBeCloseTo(0.01, 15);
  });

  test('cosine: minFactor + (1 − minFactor)·(1 + cos(π·epoch/epochs))/2, as torch CosineAnnealingLR', () => {
    const cosine = (minFactor: number, epoch: number, epochs: number) => lrFactor({ kind: 'cosine', minFactor }, epoch, epochs);
    // minFactor 0: 1 at the start, 1/2 halfway, 0 at the end
    expect(cosine(0, 0, 10)).toBe(1);
    expect(cosine(0, 5, 10)).toBeCloseTo(0.5, 15);
    expect(cosine(0, 10, 10)).toBeCloseTo(0, 15);
    // minFactor 0.1 halfway: 0.1 + 0.9·0.5 = 0.55; at the end: 0.1
    expect(cosine(0.1, 5, 10)).toBeCloseTo(0.55, 15);
    expect(cosine(0.1, 10, 10)).toBeCloseTo(0.1, 15);
    // minFactor 0.2, epoch 2 of 8: cos(π/4) = 0.70710678, (1 + 0.70710678)/2 = 0.85355339,
    // 0.2 + 0.8·0.85355339 = 0.88284271
    expect(cosine(0.2, 2, 8)).toBeCloseTo(0.2 + 0.4 * (1 + Math.SQRT1_2), 15);
    expect(cosine(0.2, 2, 8)).toBeCloseTo(0.88284271, 8);
  });
});

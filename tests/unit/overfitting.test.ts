import { describe, expect, test } from 'vitest';
import { overfitting } from '../../src/core/train/overfitting';
import type { EpochMetrics } from '../../src/core/train/types';

/** Epochs from pairs of (training loss, validation loss). */
const epochs = (pairs: [number, number][]): EpochMetrics[] =>
  pairs.map(([trainLoss, valLoss], i) => ({ epoch: i + 1, trainLoss, valLoss, trainMetric: 0, valMetric: 0 }));

describe('overfitting', () => {
  test('names the epoch of the lowest validation loss once it has risen a fifth for five epochs while training went on falling', () => {
    const history = epochs([[0.7, 0.7], [0.5, 0.5], [0.4, 0.45], [0.3, 0.46], [0.25, 0.48], [0.2, 0.5], [0.15, 0.52], [0.1, 0.55]]);
    expect(overfitting(history)).toEqual({ bestEpoch: 3, bestValLoss: 0.45, valLoss: 0.55 });
  });

  test('is silent four epochs after the lowest, or with the validation loss up a tenth', () => {
    expect(overfitting(epochs([[0.7, 0.7], [0.5, 0.45], [0.4, 0.5], [0.3, 0.55], [0.2, 0.6], [0.1, 0.65]]))).toBeNull();
    expect(overfitting(epochs([[0.7, 0.7], [0.5, 0.45], [0.4, 0.47], [0.3, 0.48], [0.2, 0.49], [0.15, 0.49], [0.1, 0.495]]))).toBeNull();
  });

  test('does not call a run whose training loss rose too overfitting: that is an unstable step', () => {
    expect(overfitting(epochs([[0.7, 0.7], [0.4, 0.45], [0.5, 0.6], [0.6, 0.7], [0.7, 0.8], [0.8, 0.9], [0.9, 1.0]]))).toBeNull();
  });

  test('is silent before any epoch and after a diverged one', () => {
    expect(overfitting([])).toBeNull();
    expect(overfitting(epochs([[0.7, 0.7], [0.4, 0.45], [0.3, 0.6], [0.2, 0.7], [0.1, 0.8], [0.05, 0.9], [0.01, NaN]]))).toBeNull();
  });
});

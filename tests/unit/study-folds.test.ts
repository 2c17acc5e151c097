import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { trainCrossValidated } from '../../src/core/study/cross-validate';
import { crossValidatedResult, meanOverFolds, meanStd } from '../../src/core/study/schedule';
import type { MemberState } from '../../src/core/train/trainer';
import type { EpochMetrics } from '../../src/core/train/types';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const minimize = { metric: 'valLoss', direction: 'minimize' } as const;
const metrics = (epoch: number, valLoss: number): EpochMetrics => ({ epoch, trainLoss: 2 * valLoss, valLoss, trainMetric: 0.5, valMetric: 1 - valLoss });
const member = (status: MemberState['status'], ...losses: number[]): MemberState => ({ status, history: losses.map((l, i) => metrics(i + 1, l)) });

describe('cross-validated results', () => {
  test('mean and standard deviation over the values (not the sample estimate)', () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(meanStd([0.3])).toEqual({ mean: 0.3, std: 0 });
  });

  test('a trial is the mean ± std of its folds; one fold is the plain result, with no std', () => {
    const r = crossValidatedResult([member('complete', 0.9, 0.2), member('complete', 0.9, 0.4), member('complete', 0.9, 0.6)], minimize);
    expect(r.state).toBe('complete');
    expect(r.value).toBeCloseTo(0.4, 12);
    expect(r.valueStd).toBeCloseTo(Math.sqrt(0.08 / 3), 12);
    expect(crossValidatedResult([member('complete', 0.9, 0.2)], minimize)).toEqual({ state: 'complete', value: 0.2 });
    // Early stopping: each fold counts its best (restored) epoch.
    const early: MemberState = { ...member('early-stopped', 0.5, 0.1, 0.3), bestEpoch: 2 };
    expect(crossValidatedResult([early, member('complete', 0.5, 0.3)], minimize).value).toBeCloseTo(0.2, 12);
  });

  test('one diverged fold makes the trial diverged; pruned folds make it pruned', () => {
    expect(crossValidatedResult([member('complete', 0.2), member('diverged', NaN)], minimize)).toEqual({ state: 'diverged' });
    expect(crossValidatedResult([member('pruned', 0.8), member('pruned', 0.9)], minimize)).toEqual({ state: 'pruned' });
  });

  test('intermediate values are the per-epoch mean over the folds that trained in that epoch', () => {
    const mean = meanOverFolds([
      [metrics(3, 0.2), metrics(3, 0.5), null],
      [metrics(3, 0.4), null, null],
    ]);
    expect(mean[0]!.valLoss).toBeCloseTo(0.3, 12);
    expect(mean[0]!.trainLoss).toBeCloseTo(0.6, 12);
    expect(mean[0]!.epoch).toBe(3);
    expect(mean[1]!.valLoss).toBe(0.5);
    expect(mean[2]).toBeNull();
  });
});

const base: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'xor', n: 60, noise: 0, trainRatio: 0.5, seed: 1 },
  model: { features: ['x1', 'x2'], hidden: [{ units: 4, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'momentum', lr: 0.1, momentum: 0.5 },
  training: { batchSize: 16, epochs: 3, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
};

describe('training under k-fold cross-validation', () => {
  test('k populations train in lock-step; the pruner hears fold means, and a pruned member stops in every fold', async () => {
    const specs = [base, { ...base, seed: 2, optimizer: { kind: 'momentum' as const, lr: 0.01, momentum: 0.9 } }];
    const heard: (EpochMetrics | null)[][] = [];
    const before = tf.memory().numTensors;
    const outcome = await trainCrossValidated(specs, { k: 3, seed: 5 }, {
      onEpoch: (_, m) => {
        heard.push(m);
        return heard.length === 1 ? [1] : [];
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome.cancelled).toBe(false);
    expect(outcome.folds).toHaveLength(3);
    outcome.folds.forEach((fold) => {
      expect(fold[0].status).toBe('complete');
      expect(fold[0].history).toHaveLength(3);
      expect(fold[1].status).toBe('pruned');
      expect(fold[1].history).toHaveLength(1);
    });
    expect(heard).toHaveLength(3);
    for (let e = 0; e < 3; e++) {
      expect(heard[e][0]!.valLoss).toBeCloseTo(outcome.folds.reduce((a, f) => a + f[0].history[e].valLoss, 0) / 3, 6);
    }
    expect(heard[1][1]).toBeNull();
    // The folds differ, so their results do.
    expect(new Set(outcome.folds.map((f) => f[0].history[2].valLoss)).size).toBe(3);
  });

  test('one fold is the plain population run on the validation split', async () => {
    const outcome = await trainCrossValidated([base], { k: 1, seed: 5 });
    expect(outcome.folds).toHaveLength(1);
    expect(outcome.folds[0][0].history).toHaveLength(3);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { trainCrossValidated } from '../../src/core/study/cross-validate';
import { KEEP_WEIGHTS, trialsToKeep, weightBytes } from '../../src/core/study/kept-weights';
import { crossValidatedResult } from '../../src/core/study/schedule';
import { bestMembers } from '../../src/core/study/trained-models';
import type { StudySpec, TrialRecord } from '../../src/core/study/types';
import type { MemberState } from '../../src/core/train/trainer';
import { Trainer } from '../../src/core/train/trainer';
import { trainingData } from '../../src/core/train/training-data';
import { xorStudy } from '../support/xor-study';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const study = (over: Partial<StudySpec> = {}): StudySpec => ({
  version: 1, name: 's', base: DEFAULT_EXPERIMENT, space: {}, sampler: { kind: 'random' }, pruner: { kind: 'none' },
  objective: { metric: 'valLoss', direction: 'minimize' }, nTrials: 10, workers: 1, seed: 1, ...over,
});
const trial = (number: number, value: number | undefined, state: TrialRecord['state'] = 'complete', values?: number[]): TrialRecord => ({
  studyId: 's', number, params: {}, spec: DEFAULT_EXPERIMENT, state, value, epochs: [], ...(values ? { values } : {}),
});
const each = (numbers: number[], bytes = 100) => numbers.map((number) => ({ number, bytes }));

describe('which trained networks a study keeps', () => {
  test('the bounds: five networks in 4 MiB, and bytes are 4 per float32 parameter', () => {
    expect(KEEP_WEIGHTS).toEqual({ count: 5, bytes: 4 * 1024 * 1024 });
    expect(weightBytes([new Float32Array(6), new Float32Array(3)])).toBe(36);
  });

  test('the best by the objective, at most `count`, best first; a later better trial pushes the worst out', () => {
    const trials = [0.5, 0.2, 0.9, 0.1, 0.3, 0.7, 0.05].map((v, i) => trial(i, v));
    const bounds = { count: 3, bytes: 1000 };
    expect(trialsToKeep(study(), trials, each([0, 1, 2, 3]), bounds)).toEqual([3, 1, 0]);
    // Trial 6 arrives better than all: the worst kept (0) goes.
    expect(trialsToKeep(study(), trials, each([3, 1, 0, 6]), bounds)).toEqual([6, 3, 1]);
    // Maximized accuracy: larger is better.
    const accuracy = study({ objective: { metric: 'valMetric', direction: 'maximize' } });
    expect(trialsToKeep(accuracy, trials, each([0, 1, 2, 3]), bounds)).toEqual([2, 0, 1]);
  });

  test('ties go to the earlier trial; trials that did not complete are never kept', () => {
    const trials = [trial(0, 0.4), trial(1, 0.2), trial(2, 0.2), trial(3, undefined, 'pruned'), trial(4, 0.1, 'failed')];
    expect(trialsToKeep(study(), trials, each([2, 1, 0, 3, 4]), { count: 5, bytes: 1000 })).toEqual([1, 2, 0]);
  });

  test('the bytes bound: a network that does not fit what is left is passed over for a smaller one; one over the whole bound is never kept', () => {
    const trials = [0.1, 0.2, 0.3, 0.4].map((v, i) => trial(i, v));
    const candidates = [{ number: 0, bytes: 600 }, { number: 1, bytes: 500 }, { number: 2, bytes: 300 }, { number: 3, bytes: 100 }];
    expect(trialsToKeep(study(), trials, candidates, { count: 5, bytes: 1000 })).toEqual([0, 2, 3]);
    expect(trialsToKeep(study(), trials, [{ number: 0, bytes: 1001 }], { count: 5, bytes: 1000 })).toEqual([]);
  });

  test('several objectives: the Pareto front first, its ends and loneliest points before crowded ones, then the next front', () => {
    const multi = study({
      sampler: { kind: 'nsga2' },
      objectives: [{ metric: 'valMetric', direction: 'maximize' }, { metric: 'paramCount', direction: 'minimize' }],
    });
    // Accuracy up, size down. Front: 0 (0.9, 100), 1 (0.8, 40), 2 (0.79, 39), 3 (0.5, 10); trial 4 (0.7, 100) is dominated by 0 and 1.
    const trials = [[0.9, 100], [0.8, 40], [0.79, 39], [0.5, 10], [0.7, 100]].map((values, i) => trial(i, values[0], 'complete', values));
    // Crowding distance (Optuna's): the ends 0 and 3 infinite; 1: (0.9 − 0.79)/0.4 + (100 − 39)/90 ≈ 0.95; 2: (0.8 − 0.5)/0.4 + (40 − 10)/90 ≈ 1.08.
    expect(trialsToKeep(multi, trials, each([0, 1, 2, 3, 4]), { count: 3, bytes: 1000 })).toEqual([0, 3, 2]);
    expect(trialsToKeep(multi, trials, each([0, 1, 2, 3, 4]), { count: 5, bytes: 1000 })).toEqual([0, 3, 2, 1, 4]);
  });
});

const member = (status: MemberState['status'], ...losses: number[]): MemberState => ({
  status, history: losses.map((l, i) => ({ epoch: i + 1, trainLoss: l, valLoss: l, trainMetric: 1 - l, valMetric: 1 - l })),
});

describe('the networks a population hands over', () => {
  test('the best members that completed in every fold, by the mean over the folds', () => {
    const minimize = { metric: 'valLoss', direction: 'minimize' } as const;
    const folds = [
      [member('complete', 0.5), member('complete', 0.2), member('pruned', 0.01), member('complete', 0.3)],
      [member('complete', 0.5), member('complete', 0.6), member('pruned', 0.01), member('complete', 0.3)],
    ];
    // Means: 0.5, 0.4, pruned, 0.3.
    expect(bestMembers(folds, minimize, 2)).toEqual([3, 1]);
    expect(bestMembers(folds, { metric: 'valMetric', direction: 'maximize' }, 5)).toEqual([3, 1, 0]);
    expect(bestMembers([[member('diverged', NaN)]], minimize, 5)).toEqual([]);
  });

  // A 2-4-1 tanh network on 60 XOR points, half of them for validation, three epochs.
  const base = xorStudy({ name: 'keep', points: 60, batchSize: 16, epochs: 3, space: {}, nTrials: 3, workers: 1, seed: 1 }).base;
  const lrs = [0.3, 0.001, 0.1];
  const specs = lrs.map((lr, p) => ({ ...base, seed: p + 1, optimizer: { kind: 'momentum' as const, lr, momentum: 0.5 } }));
  const objective = { metric: 'valLoss', direction: 'minimize' } as const;

  test('without folds: the best two members, their final weights, evaluated as the trial ended', async () => {
    const before = tf.memory().numTensors;
    const outcome = await trainCrossValidated(specs, { k: 1, seed: 5 }, { keep: { count: 2, objective } });
    expect(tf.memory().numTensors).toBe(before);
    const values = outcome.folds[0].map((m) => crossValidatedResult([m], objective).value!);
    const order = [0, 1, 2].sort((a, b) => values[a] - values[b]);
    expect(outcome.kept.map((k) => k.member)).toEqual(order.slice(0, 2));
    for (const kept of outcome.kept) {
      // 2 inputs, 4 hidden, 1 output: W0, b0, W1, b1.
      expect(kept.shapes).toEqual([[2, 4], [4], [4, 1], [1]]);
      expect(kept.weights.map((w) => w.length)).toEqual([8, 4, 4, 1]);
      // Its evaluation on the experiment's own validation part is the trial's last validation loss.
      expect(kept.evaluation.val.n).toBe(30);
      expect(kept.evaluation.val.loss).toBeCloseTo(values[kept.member], 5);
      expect(kept.evaluation.test).toBeUndefined();
    }
    // Trained alone, the member reaches the same weights.
    const alone = await trainCrossValidated([specs[order[0]]], { k: 1, seed: 5 }, { keep: { count: 1, objective } });
    alone.kept[0].weights.forEach((w, k) => w.forEach((x, i) => expect(outcome.kept[0].weights[k][i]).toBeCloseTo(x, 5)));
  });

  test('under k-fold: fold 0\'s network, evaluated on the experiment\'s own split; cancelled runs keep none', async () => {
    const outcome = await trainCrossValidated(specs, { k: 3, seed: 5 }, { keep: { count: 1, objective } });
    const [kept] = outcome.kept;
    expect(kept.member).toBe(bestMembers(outcome.folds, objective, 1)[0]);
    // The same network evaluated afresh on the experiment's own validation part gives the same figures.
    const own = trainingData(base);
    const judge = new Trainer([specs[kept.member]], own, { start: [kept.weights] });
    try {
      expect((await judge.evaluation('val')).loss).toBeCloseTo(kept.evaluation.val.loss, 6);
    } finally {
      judge.dispose();
    }
    // Fold 0 trained on 40 of the 60 points: its network differs from the plain run's.
    const plain = await trainCrossValidated([specs[kept.member]], { k: 1, seed: 5 }, { keep: { count: 1, objective } });
    expect(Array.from(plain.kept[0].weights[0])).not.toEqual(Array.from(kept.weights[0]));
    const cancelled = await trainCrossValidated(specs, { k: 3, seed: 5 }, { keep: { count: 1, objective }, cancelled: () => true });
    expect(cancelled).toMatchObject({ cancelled: true, kept: [] });
  });
});

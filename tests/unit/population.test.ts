import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { generatedSplit } from '../../src/core/data/split';
import type { DataSpec } from '../../src/core/data/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { Trainer, incompatibility } from '../../src/core/train/trainer';
import { trainPopulation } from '../../src/core/train/population-run';
import type { ProblemType } from '../../src/core/data/types';
import { dataLoss, encodeTargets, pointLosses, type LossKind } from '../../src/core/model/loss';
import { NetworkParams, initialParameters, type ForwardTape } from '../../src/core/model/network';
import type { FeatureId } from '../../src/core/model/types';
import { createRng } from '../../src/core/random/prng';
import { trainToEnd } from '../support/train-to-end';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const base: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'multigauss', n: 120, noise: 10, trainRatio: 0.5, seed: 4 },
  model: { features: ['x1', 'x2'], hidden: [{ units: 6, activation: 'tanh' }, { units: 4, activation: 'relu' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'momentum', lr: 0.05, momentum: 0.9 },
  training: { batchSize: 16, epochs: 6, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
};

const train = (specs: ExperimentSpec[]) => trainToEnd(new Trainer(specs, generatedSplit(base.data as DataSpec)));

describe('population training', () => {
  const members: ExperimentSpec[] = [
    { ...base, seed: 1 },
    { ...base, seed: 2, optimizer: { kind: 'momentum', lr: 0.2, momentum: 0.5 } },
    { ...base, seed: 3, optimizer: { kind: 'momentum', lr: 0.01, momentum: 0.99 }, model: { ...base.model, l2: 0.01, dropout: 0.2 } },
    { ...base, seed: 4, optimizer: { kind: 'momentum', lr: 10, momentum: 0.9 } },
  ];

  test('each member ends where training it alone ends, and a diverging member does not stop the others', async () => {
    const before = tf.memory().numTensors;
    const together = await train(members);
    for (let p = 0; p < members.length; p++) {
      const alone = await train([members[p]]);
      expect(together.members[p].status).toBe(alone.members[0].status);
      expect(together.members[p].history.length).toBe(alone.members[0].history.length);
      together.members[p].history.forEach((m, k) => {
        const a = alone.members[0].history[k];
        if (Number.isFinite(a.valLoss)) expect(m.valLoss).toBeCloseTo(a.valLoss, 4);
      });
      if (alone.members[0].status !== 'diverged') {
        together.weights[p].forEach((w, k) => w.forEach((v, i) => expect(v).toBeCloseTo(alone.weights[0][k][i], 4)));
      }
    }
    expect(together.members[3].status).toBe('diverged');
    expect(together.members.slice(0, 3).map((m) => m.status)).toEqual(['complete', 'complete', 'complete']);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a pruned member is frozen and keeps its partial curve', async () => {
    const data = generatedSplit(base.data as DataSpec);
    const trainer = new Trainer(members.slice(0, 2), data);
    while (trainer.epoch < 2) {
      trainer.stepBatch();
      if (trainer.atEpochEnd) await trainer.endEpoch();
    }
    trainer.prune(1);
    const frozen = await trainer.weights(1);
    while (!trainer.done) {
      trainer.stepBatch();
      if (trainer.atEpochEnd) await trainer.endEpoch();
    }
    expect(trainer.members[1]).toMatchObject({ status: 'pruned' });
    expect(trainer.members[1].history).toHaveLength(2);
    expect(trainer.members[0].history).toHaveLength(6);
    expect(await trainer.weights(1)).toEqual(frozen);
    trainer.dispose();
  });

  test('members must share data, architecture, optimizer kind and batch', () => {
    expect(incompatibility(base, { ...base, seed: 9, optimizer: { kind: 'momentum', lr: 1 } })).toBeNull();
    expect(incompatibility(base, { ...base, optimizer: { kind: 'adam', lr: 1 } })).toBe('optimizer kind');
    expect(incompatibility(base, { ...base, model: { ...base.model, hidden: [] } })).toBe('architecture');
    expect(incompatibility(base, { ...base, training: { ...base.training, batchSize: 8 } })).toBe('batch size or epochs');
  });

  test('a 64-trial grid of learning rates and momenta trains as one population, prunes on request and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const lrs = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
    const momenta = [0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99];
    const grid = lrs.flatMap((lr) => momenta.map((momentum) => ({ ...base, training: { ...base.training, epochs: 4 }, optimizer: { kind: 'momentum' as const, lr, momentum } })));
    const pruned: number[] = [];
    const outcome = await trainPopulation(grid, {
      // Prune, after the second epoch, every member whose validation loss is above the median
      // (a member whose loss overflowed has diverged: it is frozen already).
      onEpoch: (epoch, metrics) => {
        if (epoch !== 2) return;
        const losses = metrics.map((m) => m?.valLoss ?? Infinity);
        const median = [...losses].sort((a, b) => a - b)[32];
        losses.forEach((l, p) => Number.isFinite(l) && l > median && pruned.push(p));
        return pruned;
      },
    });
    expect(outcome.members).toHaveLength(64);
    expect(pruned.length).toBeGreaterThan(0);
    pruned.forEach((p) => expect(outcome.members[p]).toMatchObject({ status: 'pruned' }));
    pruned.forEach((p) => expect(outcome.members[p].history).toHaveLength(2));
    const finished = outcome.members.filter((m) => m.status === 'complete');
    expect(finished.length).toBeGreaterThan(10);
    finished.forEach((m) => expect(m.history).toHaveLength(4));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the hand-written backward pass', () => {
  const ACTS = ['relu', 'tanh', 'sigmoid', 'linear', 'elu', 'gelu'] as const;
  const cases: [string, LossKind, number][] = [['classification', 'binary', 1], ['classification', 'multiclass', 3], ['regression', 'regression', 1]];

  test.each(ACTS)('equals autodiff of the data loss for %s layers, with dropout, for every loss', (activation) => {
    for (const [problem, kind, outputs] of cases) {
      const before = tf.memory().numTensors;
      const P = 3, B = 5, F = 2;
      const model = { features: ['x1', 'x2'] as FeatureId[], hidden: [{ units: 4, activation }, { units: 3, activation }], l1: 0, l2: 0, dropout: 0.3 };
      const io = { inputs: F, outputs };
      const rng = createRng(7);
      const net = new NetworkParams(model, io, [1, 2, 3].map((seed) => {
        // Non-zero biases so that their gradients are checked too.
        const params = initialParameters(model, io, seed);
        return params.map((w, k) => (k % 2 ? w.map(() => rng.uniform(-0.5, 0.5)) : w));
      }));
      tf.tidy(() => {
        const x = tf.randomUniform([P, B, F], -2, 2, 'float32', 1);
        const labels = Array.from({ length: P * B }, (_, i) => i % Math.max(outputs, 2));
        const y = problem === 'regression' ? tf.randomNormal([P, B], 0, 1, 'float32', 2) : tf.tensor(labels, [P, B]);
        const t = tf.tensor(encodeTargets(kind, y.dataSync(), outputs), kind === 'multiclass' ? [P, B, outputs] : [P, B]);
        const dropout = [4, 3].map((u, k) => tf.mul(tf.cast(tf.greater(tf.randomUniform([P, B, u], 0, 1, 'float32', 3 + k), 0.3), 'float32'), 1 / 0.7));
        const tape: ForwardTape = { inputs: [], z: [], a: [], weights: [], dropout };
        const logits = net.forwardAugmented(net.augment(x), dropout, tape);
        const { grad } = pointLosses(kind, logits, t, tf.scalar(1 / B));
        const ours = net.backward(tape, grad!);
        const targets = kind === 'multiclass' ? t : tf.tensor(y.dataSync(), [P, B]);
        const { grads } = tf.variableGrads(() => tf.sum(dataLoss(problem as ProblemType, net.forward(x, dropout), targets)) as tf.Scalar, net.variables);
        net.variables.forEach((v, l) => {
          const a = ours[l].dataSync(), b = grads[v.name].dataSync();
          expect(ours[l].shape).toEqual(v.shape);
          b.forEach((g, i) => expect(a[i]).toBeCloseTo(g, 5));
        });
      });
      net.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

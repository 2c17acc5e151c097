import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { trainPopulation } from '../../src/core/train/population-run';
import { selectBackend } from '../../src/runtime/backend';
import '../../src/core/autodiff';
import { dataLoss, encodeTargets, pointLosses, type LossKind } from '../../src/core/model/loss';
import { NetworkParams, initialParameters, type ForwardTape } from '../../src/core/model/network';
import type { Activation } from '../../src/core/model/types';

const base: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'spiral', n: 100, noise: 0, trainRatio: 0.5, seed: 2 },
  model: { features: ['x1', 'x2'], hidden: [{ units: 8, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'adam', lr: 0.01 },
  training: { batchSize: 25, epochs: 3, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
};

describe('population training on the GPU', () => {
  test('on webgpu, each member of a population ends where it ends alone', async () => {
    expect((await selectBackend('webgpu')).name).toBe('webgpu');
    const members = [0.003, 0.01, 0.03].map((lr, i) => ({ ...base, seed: i + 1, optimizer: { kind: 'adam' as const, lr } }));
    const before = tf.memory().numTensors;
    const together = await trainPopulation(members);
    for (let p = 0; p < members.length; p++) {
      const alone = await trainPopulation([members[p]]);
      together.members[p].history.forEach((m, k) => {
        expect(m.valLoss).toBeCloseTo(alone.members[0].history[k].valLoss, 4);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the hand-written backward pass on the GPU', () => {
  // The GPU path differs from the cpu one (h·W + b, outer products as multiplies, matMul
  // programs of our choosing): its gradients must equal autodiff's there too.
  test.each([1, 3])('on webgpu, equals autodiff for %i member(s), every loss, with dropout', async (P) => {
    expect((await selectBackend('webgpu')).name).toBe('webgpu');
    const cases: ['classification' | 'regression', LossKind, number, Activation][] = [
      ['classification', 'binary', 1, 'tanh'], ['classification', 'multiclass', 3, 'relu'], ['regression', 'regression', 1, 'sigmoid'],
    ];
    for (const [problem, kind, outputs, activation] of cases) {
      const before = tf.memory().numTensors;
      const B = 6, F = 2;
      const model = { features: ['x1', 'x2'] as const, hidden: [{ units: 5, activation }, { units: 4, activation }], l1: 0, l2: 0, dropout: 0.3 };
      const io = { inputs: F, outputs };
      const net = new NetworkParams({ ...model, features: [...model.features] }, io, Array.from({ length: P }, (_, p) =>
        initialParameters({ ...model, features: [...model.features] }, io, p + 1).map((w, k) => (k % 2 ? w.map((_, i) => 0.1 * ((i % 5) - 2)) : w))));
      const [ours, reference, shapes] = tf.tidy(() => {
        const x = tf.randomUniform([P, B, F], -2, 2, 'float32', 1);
        const labels = Array.from({ length: P * B }, (_, i) => i % Math.max(outputs, 2));
        const y = problem === 'regression' ? tf.randomNormal([P, B], 0, 1, 'float32', 2) : tf.tensor(labels, [P, B]);
        const t = tf.tensor(encodeTargets(kind, y.dataSync(), outputs), kind === 'multiclass' ? [P, B, outputs] : [P, B]);
        const dropout = [5, 4].map((u, k) => tf.mul(tf.cast(tf.greater(tf.randomUniform([P, B, u], 0, 1, 'float32', 3 + k), 0.3), 'float32'), 1 / 0.7));
        const tape: ForwardTape = { inputs: [], z: [], a: [], weights: [], dropout };
        const logits = net.forwardAugmented(net.augment(x), dropout, tape);
        const grads = net.backward(tape, pointLosses(kind, logits, t, tf.scalar(1 / B)).grad!);
        const targets = kind === 'multiclass' ? t : y;
        const auto = tf.variableGrads(() => tf.sum(dataLoss(problem, net.forward(x, dropout), targets)) as tf.Scalar, net.variables).grads;
        return [tf.concat(grads.map((g) => tf.reshape(g, [-1]))), tf.concat(net.variables.map((v) => tf.reshape(auto[v.name], [-1]))), grads.map((g) => g.shape)];
      });
      expect(shapes).toEqual(net.variables.map((v) => v.shape));
      const [a, b] = [await ours.data(), await reference.data()];
      b.forEach((g, i) => expect(a[i]).toBeCloseTo(g, 4));
      tf.dispose([ours, reference]);
      net.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

// The fused training step's cases, shared by the cpu (unit) and the webgpu (browser) tests: a
// population trained by the fused step ends as the batched tensor operations train it.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { quantizeWeights } from '../../src/core/compress/model';
import { teacherProbabilities } from '../../src/core/compress/optimize';
import { generatedSplit } from '../../src/core/data/split';
import type { DataSpec, SplitDataset } from '../../src/core/data/types';
import { parameterShapes } from '../../src/core/model/network';
import { ACTIVATIONS } from '../../src/core/model/types';
import { OPTIMIZER_KINDS, type OptimizerKind } from '../../src/core/optim/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { Trainer, type TrainerOptions } from '../../src/core/train/trainer';
import { blobs } from './blobs';
import { trainToEnd } from './train-to-end';

const base: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'moons', n: 120, noise: 10, trainRatio: 0.5, seed: 4 },
  model: { features: ['x1', 'x2', 'x1x2'], hidden: [{ units: 8, activation: 'tanh' }, { units: 5, activation: 'relu' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'adam', lr: 0.02 },
  training: { batchSize: 16, epochs: 4, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
};

const DATA = {
  binary: () => generatedSplit(base.data as DataSpec),
  regression: () => generatedSplit({ kind: 'multigauss', n: 100, noise: 5, trainRatio: 0.6, seed: 3 }),
  multiclass: (): SplitDataset => ({ train: blobs(70, 1, 2), val: blobs(30, 2, 2) }),
};

function specFor(problem: keyof typeof DATA, change: (s: ExperimentSpec) => void): ExperimentSpec {
  const s = structuredClone(base);
  if (problem === 'regression') s.data = { kind: 'multigauss', n: 100, noise: 5, trainRatio: 0.6, seed: 3 };
  if (problem === 'multiclass') {
    s.data = { kind: 'table', dataset: 'blobs', name: 'blobs', preprocess: {
      target: 'y', task: 'multiclass', features: ['a', 'b', 'c', 'd'], missing: 'mean', scaling: 'none', split: { train: 0.7, val: 0.3, test: 0 }, seed: 1 } };
  }
  change(s);
  return s;
}

/**
 * Trains to the end on `backend`, fused or with batched operations, pruning members
 * `prunes[e]` after epoch e, and returns every member's course and weights and the members in
 * the population at each epoch.
 */
async function train(specs: ExperimentSpec[], data: SplitDataset, backend: string, fused: boolean, prunes: Record<number, number[]> = {}, options: TrainerOptions = {}) {
  expect(await tf.setBackend(backend)).toBe(true);
  return trainToEnd(new Trainer(specs, data, { ...options, fused }), (t) => prunes[t.epoch]?.forEach((p) => t.prune(p)));
}

/**
 * a equals b to 3.5 decimals, or to 3.5 significant digits beyond 1: the fused step computes
 * in double precision on the cpu and in its own order on a GPU, the tensor operations round
 * every intermediate to float32, and a few epochs of RMSProp with clipping amplify that
 * difference to ~2e-4. A wrong term anywhere shows as 1e-2 and more.
 */
function expectClose(a: number, b: number) {
  if (!Number.isFinite(b)) expect(a).toBe(b);
  else expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.max(5e-4, 5e-4 * Math.abs(b)));
}

/** Checks that the fused step on `backend` agrees with the batched operations on the cpu: every member's curve, status and weights. */
async function expectSameTraining(backend: string, specs: ExperimentSpec[], data: () => SplitDataset, options: TrainerOptions = {}) {
  const before = tf.memory().numTensors;
  const fused = await train(specs, data(), backend, true, {}, options);
  const operations = await train(specs, data(), 'cpu', false, {}, options);
  expect(tf.memory().numTensors).toBe(before);
  fused.members.forEach((m, p) => {
    const other = operations.members[p];
    expect(m.status).toBe(other.status);
    expect(m.bestEpoch).toBe(other.bestEpoch);
    expect(m.history).toHaveLength(other.history.length);
    m.history.forEach((e, k) => {
      for (const key of ['trainLoss', 'valLoss', 'trainMetric', 'valMetric'] as const) expectClose(e[key], other.history[k][key]);
    });
    // A diverged member's weights are what overflowed, in float32 on one path and not on the other.
    if (m.status !== 'diverged') fused.weights[p].forEach((w, k) => w.forEach((v, i) => expectClose(v, operations.weights[p][k][i])));
  });
  return { statuses: fused.members.map((m) => m.status), weights: fused.weights };
}

/**
 * The cases: every rule; every activation with every loss, dropout, L1, L2, clipping and a
 * schedule; early stopping and divergence. The reference is always the cpu backend's
 * batched operations (on WebGPU, tfjs' batched matMul lets a diverging member's infinities
 * reach the others, which the fused step does not).
 */
export function describeFusedStep(backend: 'cpu' | 'webgpu'): void {
  describe(`the fused training step on ${backend}`, () => {
    test.each(OPTIMIZER_KINDS)('trains a population with %s as the batched operations do', async (kind: OptimizerKind) => {
      const specs = [
        specFor('binary', (s) => { s.seed = 1; s.optimizer = { kind, lr: 0.02 }; }),
        specFor('binary', (s) => { s.seed = 2; s.optimizer = { kind, lr: 0.05, momentum: 0.5, alpha: 0.9, beta1: 0.8, beta2: 0.99, weightDecay: 0.01 }; }),
        specFor('binary', (s) => { s.seed = 3; s.optimizer = { kind, lr: 0.01, momentum: 0.9 }; }),
      ];
      await expectSameTraining(backend, specs, DATA.binary);
    });

    test.each(ACTIVATIONS)('trains %s layers with every loss, dropout, L1, L2, clipping and a schedule as the batched operations do', async (activation) => {
      for (const problem of ['binary', 'multiclass', 'regression'] as const) {
        const specs = [0, 1].map((p) =>
          specFor(problem, (s) => {
            s.seed = p + 5;
            // Widths of 8 and 6 and batches of 11 rows (the last of 5): the WebGPU kernel's blocks
          // of 4 and 2 columns and its pairs of rows with an odd one out.
          s.model.hidden = [{ units: 8, activation }, { units: 6, activation }];
          s.training.batchSize = 11;
            s.model.dropout = p === 0 ? 0.2 : 0;
            s.model.l1 = p === 1 ? 0.001 : 0;
            s.model.l2 = p === 1 ? 0.01 : 0;
            s.training.clipNorm = 0.5;
            s.training.schedule = { kind: 'cosine', minFactor: 0.1 };
            s.optimizer = { kind: 'rmsprop', lr: 0.01, momentum: 0.5 };
          }),
        );
        await expectSameTraining(backend, specs, DATA[problem]);
      }
    });

    test('drops pruned members from the population: its steps compute for the others alone, which train on as they would have', async () => {
      // Adam with one member's own β1 (per-member bias corrections), and momentum (one optimizer slot over all layers).
      for (const kind of ['adam', 'momentum'] as const) {
        const specs = [0.02, 0.05, 0.01, 0.03].map((lr, p) =>
          specFor('binary', (s) => {
            s.seed = p + 1;
            s.optimizer = { kind, lr, beta1: p === 2 ? 0.8 : 0.9, momentum: 0.9 };
            s.model.dropout = p === 2 ? 0.2 : 0;
            s.training.epochs = 5;
          }),
        );
        const prunes = { 1: [1, 3], 3: [0] };
        const before = tf.memory().numTensors;
        const dropping = await train(specs, DATA.binary(), backend, true, prunes);
        const droppingOperations = await train(specs, DATA.binary(), 'cpu', false, prunes);
        const everyone = await train(specs, DATA.binary(), 'cpu', false);
        expect(tf.memory().numTensors).toBe(before);
        for (const run of [dropping, droppingOperations]) {
          expect(run.populations).toEqual([[0, 1, 2, 3], [0, 2], [0, 2], [2], [2]]);
          expect(run.members.map((m) => [m.status, m.history.length])).toEqual([['pruned', 3], ['pruned', 1], ['complete', 5], ['pruned', 1]]);
          run.members.forEach((m, p) => m.history.forEach((e, k) => {
            for (const key of ['trainLoss', 'valLoss', 'trainMetric', 'valMetric'] as const) expectClose(e[key], everyone.members[p].history[k][key]);
          }));
          run.weights[2].forEach((w, k) => w.forEach((v, i) => expectClose(v, everyone.weights[2][k][i])));
        }
      }
    });

    test('keeps each surviving member on its own pruning mask when others leave the population', async () => {
      const specs = [1, 2, 3].map((seed) => specFor('multiclass', (s) => {
        s.seed = seed;
        s.training.epochs = 4;
      }));
      const shapes = parameterShapes(specs[0].model, { inputs: 4, outputs: 3 });
      const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
      const start = [1, 2, 3].map((seed) => shapes.map((shape, k) => Float32Array.from({ length: size(shape) }, (_, i) => Math.cos(seed * 5 + k + i) * 0.5)));
      const masks = [2, 3, 4].map((every) => shapes.map((shape, k) => Uint8Array.from({ length: size(shape) }, (_, i) => ((i + k) % every === 0 ? 0 : 1))));
      const dropping = await train(specs, DATA.multiclass(), backend, true, { 1: [0] }, { start, masks });
      const everyone = await train(specs, DATA.multiclass(), 'cpu', false, {}, { start, masks });
      expect(dropping.populations).toEqual([[0, 1, 2], [1, 2], [1, 2], [1, 2]]);
      for (const p of [1, 2]) {
        dropping.weights[p].forEach((w, k) => w.forEach((v, i) => {
          if (masks[p][k][i] === 0) expect(v).toBe(0);
          expectClose(v, everyone.weights[p][k][i]);
        }));
      }
    });

    test('stops members early, restores their best weights and freezes diverging ones as the batched operations do', async () => {
      const specs = [0.3, 0.02, 1e6].map((lr, p) =>
        specFor('binary', (s) => {
          s.seed = p + 1;
          s.optimizer = { kind: 'momentum', lr, momentum: 0.9 };
          s.training = { ...s.training, epochs: 12, patience: 2 };
        }),
      );
      const { statuses } = await expectSameTraining(backend, specs, DATA.binary);
      expect(statuses).toEqual(['early-stopped', 'complete', 'diverged']);
    });

    test.each([
      { bits: 4, symmetric: false, perNeuron: false, activations: false },
      { bits: 3, symmetric: false, perNeuron: true, activations: true },
      { bits: 8, symmetric: false, perNeuron: true, activations: true },
    ])('trains with fake-quantized weights (and activations) as the batched operations do: %o', async (quantization) => {
      for (const problem of ['multiclass', 'binary'] as const) {
        const specs = [1, 2].map((seed) =>
          specFor(problem, (s) => {
            s.seed = seed;
            // Widths of 8 and 6 and batches of 11 rows, one member with dropout: the kernel's blocks and its odd row.
            s.model.hidden = [{ units: 8, activation: 'tanh' }, { units: 6, activation: 'relu' }];
            s.model.dropout = seed === 1 ? 0.2 : 0;
            s.training.batchSize = 11;
            s.optimizer = { kind: 'adam', lr: 0.02 };
          }),
        );
        await expectSameTraining(backend, specs, DATA[problem], { quantization });
      }
    });

    // Symmetric levels put the largest negative weight exactly on a rounding tie (−(qmax − qmin)/2),
    // so the last bit of float rounding picks its level: the paths are compared over one step,
    // from the same weights.
    test.each([
      { bits: 3, symmetric: true, perNeuron: true, activations: true },
      { bits: 8, symmetric: true, perNeuron: false, activations: false },
    ])('takes a step with symmetric fake quantization as the batched operations do: %o', async (quantization) => {
      const specs = [1, 2].map((seed) => specFor('multiclass', (s) => {
        s.seed = seed;
        s.training = { ...s.training, batchSize: 70, epochs: 1 };
        s.optimizer = { kind: 'sgd', lr: 0.5 };
      }));
      await expectSameTraining(backend, specs, DATA.multiclass, { quantization });
    });

    test.each([false, true])('computes its training loss with the quantized network (per neuron %s), whose float weights it updates', async (perNeuron) => {
      const spec = specFor('multiclass', (s) => {
        s.optimizer = { kind: 'sgd', lr: 0 };
        s.training.epochs = 1;
      });
      const shapes = parameterShapes(spec.model, { inputs: 4, outputs: 3 });
      const start = shapes.map((shape, k) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(5 + k * 3 + i) * 0.8));
      const settings = { bits: 3, symmetric: false, perNeuron };
      const aware = await train([spec], DATA.multiclass(), backend, true, {}, { start: [start], quantization: { ...settings, activations: false } });
      const quantized = await train([spec], DATA.multiclass(), backend, true, {}, { start: [quantizeWeights(start, shapes, settings).weights] });
      expectClose(aware.members[0].history[0].trainLoss, quantized.members[0].history[0].trainLoss);
      // The float weights, unchanged at a learning rate of 0, are what the engine keeps.
      aware.weights[0].forEach((w, k) => expect(Array.from(w)).toEqual(Array.from(start[k])));
    });

    test.each([[3, 0.7], [0.5, 0.2]])('distills at T = %f, α = %f as the batched operations do', async (temperature, alpha) => {
      const specs = [1, 2].map((seed) => specFor('multiclass', (s) => {
        s.seed = seed;
        s.training.batchSize = 11;
        s.model.dropout = seed === 1 ? 0.2 : 0;
      }));
      const teacher = teacherProbabilities(Float32Array.from({ length: 70 * 3 }, (_, i) => Math.sin(i * 1.7) * 3), 3, temperature);
      await expectSameTraining(backend, specs, DATA.multiclass, { distillation: { teacher, temperature, alpha } });
    });

    test('weighs each class in the training loss as the batched operations do', async () => {
      for (const [problem, classWeights] of [['binary', [0.4, 2.5]], ['multiclass', [1, 3, 0.5]]] as const) {
        const specs = [1, 2].map((seed) => specFor(problem, (s) => {
          s.seed = seed;
          s.training.batchSize = 11;
          s.model.dropout = seed === 1 ? 0.2 : 0;
        }));
        await expectSameTraining(backend, specs, DATA[problem], { classWeights: [...classWeights] });
      }
    });

    test('a class weight of 2 for every class doubles the training loss', async () => {
      const spec = specFor('multiclass', (s) => {
        s.optimizer = { kind: 'sgd', lr: 0 };
        s.training.epochs = 1;
      });
      const plain = await train([spec], DATA.multiclass(), backend, true);
      const doubled = await train([spec], DATA.multiclass(), backend, true, {}, { classWeights: [2, 2, 2] });
      expectClose(doubled.members[0].history[0].trainLoss, 2 * plain.members[0].history[0].trainLoss);
      expect(doubled.members[0].history[0].valLoss).toBe(plain.members[0].history[0].valLoss);
    });

    test('fine-tunes a pruned network with fake quantization as the batched operations do, pruned weights staying 0', async () => {
      const specs = [1, 2].map((seed) => specFor('multiclass', (s) => {
        s.seed = seed;
        s.optimizer = { kind: 'sgd', lr: 0.1 };
      }));
      const shapes = parameterShapes(specs[0].model, { inputs: 4, outputs: 3 });
      const start = [1, 2].map((seed) => shapes.map((shape, k) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7 + k * 3 + i) * 0.6)));
      const masks = [3, 2].map((every) => shapes.map((shape, k) => Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i + k) % every === 0 ? 0 : 1))));
      const quantization = { bits: 2, symmetric: false, perNeuron: false, activations: true };
      const { weights } = await expectSameTraining(backend, specs, DATA.multiclass, { start, masks, quantization });
      weights.forEach((member, p) => member.forEach((w, k) => w.forEach((v, i) => masks[p][k][i] === 0 && expect(v).toBe(0))));
    });

    test.each(OPTIMIZER_KINDS)('fine-tunes pruned networks with %s as the batched operations do, pruned weights staying exactly 0', async (kind: OptimizerKind) => {
      const specs = [1, 2].map((seed) =>
        specFor('multiclass', (s) => {
          s.seed = seed;
          s.optimizer = { kind, lr: 0.02, momentum: 0.5, weightDecay: 0.01 };
          s.model.l1 = seed === 1 ? 0.001 : 0;
          s.model.l2 = 0.01;
          s.training.clipNorm = 0.5;
        }),
      );
      // A trained-looking start and a different mask per member: every third, or every second, parameter cut.
      const shapes = parameterShapes(specs[0].model, { inputs: 4, outputs: 3 });
      const start = [1, 2].map((seed) => shapes.map((shape, k) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7 + k * 3 + i) * 0.6)));
      const masks = [3, 2].map((every) => shapes.map((shape, k) => Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => ((i + k) % every === 0 ? 0 : 1))));
      const { weights } = await expectSameTraining(backend, specs, DATA.multiclass, { start, masks });
      weights.forEach((member, p) => member.forEach((w, k) => w.forEach((v, i) => {
        if (masks[p][k][i] === 0) expect(v).toBe(0);
        else expect(v).not.toBe(start[p][k][i]);
      })));
    });
  });
}

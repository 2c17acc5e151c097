import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { augmentTrain, balancedClassWeights, compressedBytes, pruneCount, sizeAccuracyStudy, trainCompressed, compareAugmentation, decisionComparison, pictureAxes, DEFAULT_AUGMENT, DEFAULT_REBALANCE, rebalance, validateRebalance, distill, quantizeWeights, iterativeAmount, masked, optimizeModel, packedBytes, pruneMasks, teacherProbabilities, weightHistogram } from '../../src/core/compress';
import type { Dataset, SplitDataset } from '../../src/core/data/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { initialParameters, NetworkParams } from '../../src/core/model/network';
import { createRng } from '../../src/core/random/prng';
import { runTraining } from '../../src/core/train/run';
import { incompatibility, Trainer } from '../../src/core/train/trainer';
import { applyParams } from '../../src/core/search';
import { readFileSync } from 'node:fs';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { prepareTable } from '../../src/core/data/table/prepare';
import { tableSplit } from '../../src/core/data/table-split';
import type { TableDataSpec } from '../../src/core/data/types';
import { blobs } from '../support/blobs';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One SGD step of a linear student on the distillation loss, by PyTorch (tests/support/compress-reference.py). */
const reference = JSON.parse(readFileSync(new URL('../support/compress-reference.json', import.meta.url), 'utf8')) as {
  distillStep: {
    x: number[]; kernel: number[]; bias: number[]; teacher: number[]; labels: number[]; features: number; classes: number;
    temperature: number; alpha: number; lr: number; loss: number; kernelAfter: number[]; biasAfter: number[];
  }[];
};

const split = (): SplitDataset => ({ train: blobs(150, 1, 3), val: blobs(45, 2, 3), test: blobs(60, 3, 3) });
const spec: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'table', dataset: 'blobs', name: 'blobs', preprocess: {
    target: 'y', task: 'multiclass', features: ['a', 'b', 'c', 'd'], missing: 'mean', scaling: 'none', split: { train: 0.6, val: 0.2, test: 0.2 }, seed: 1 } },
  model: { features: [], hidden: [{ units: 12, activation: 'relu' }, { units: 6, activation: 'relu' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'adam', lr: 0.03 },
  training: { batchSize: 16, epochs: 10, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
};

describe('the optimize stage', () => {
  test('each round prunes the same share of the survivors, ending at the amount', () => {
    expect(iterativeAmount(0.8, 1, 1)).toBeCloseTo(0.8, 12);
    expect(iterativeAmount(0.75, 1, 2)).toBeCloseTo(0.5, 12);
    expect(iterativeAmount(0.75, 2, 2)).toBeCloseTo(0.75, 12);
  });

  test('a cut neuron loses its incoming weights, its bias and its outgoing weights', () => {
    // 2 inputs → 3 hidden → 1 output; neuron 1 has the smallest incoming norm.
    const weights = [new Float32Array([1, 0.1, 2, 1, 0.1, 2]), new Float32Array([5, 5, 5]), new Float32Array([1, 2, 3]), new Float32Array([1])];
    const masks = pruneMasks(weights, [[2, 3], [3], [3, 1], [1]], { method: 'neurons', amount: 0.3 });
    expect(masks.map((m) => Array.from(m))).toEqual([[1, 0, 1, 1, 0, 1], [1, 0, 1], [1, 0, 1], [1]]);
  });

  test('packed size: kept weights at their bits, a mask bit per weight, scales and zero points, float32 biases', () => {
    const shapes = [[4, 2], [2]];
    const masks = [Uint8Array.from([1, 0, 0, 0, 1, 1, 0, 0]), Uint8Array.from([1, 1])];
    // 3 kept weights × 4 bits + 8 mask bits = 20 bits → 3 bytes; per neuron 2 × (4 + 1); biases 8.
    expect(packedBytes(shapes, masks, { bits: 4, symmetric: false, perNeuron: true })).toBe(3 + 10 + 8);
    expect(packedBytes(shapes, null, null)).toBe(40);
  });

  test('pruning with fine-tuning keeps pruned weights at 0 and the accuracy up; quantization leaves the levels', async () => {
    const data = split();
    const trained = await runTraining(spec, { data });
    const rounds: number[] = [];
    const result = await optimizeModel(spec, data, trained.weights, trained.weightShapes, {
      prune: { method: 'layer', amount: 0.8, rounds: 2, fineTuneEpochs: 3, rewind: false },
      quantize: { bits: 4, symmetric: true, perNeuron: false, awareEpochs: 0, activations: false },
    }, (_, s) => rounds.push(s));
    // Round 1 cuts 1 − √0.2 = 55.3 % of each kernel: round(26.5) + round(39.8) + round(9.95) = 77 of 48 + 72 + 18 weights.
    expect(rounds[0]).toBeCloseTo(77 / 138, 12);
    expect(rounds[1]).toBeCloseTo(Math.round(0.8 * 48) / 138 + Math.round(0.8 * 72) / 138 + Math.round(0.8 * 18) / 138, 12);
    expect(result.after.sparsity).toBeCloseTo(0.8, 2);
    result.weights.forEach((w, k) => w.forEach((v, i) => result.masks![k][i] === 0 && expect(v).toBe(0)));
    // 4-bit symmetric per tensor: at most 16 distinct values per kernel.
    trained.weightShapes.forEach((s, k) => s.length === 2 && expect(new Set(result.weights[k]).size).toBeLessThanOrEqual(16));
    expect(result.before.evaluation.accuracy).toBeGreaterThan(0.9);
    expect(result.after.evaluation.accuracy).toBeGreaterThan(0.85);
    // Kept 10, 14 and 4 kernel weights at 4 bits with 48, 72 and 18 mask bits: 11 + 16 + 5 bytes, a
    // scale and zero point each (3 × 5), and 21 float32 biases (84): 131 bytes against 636 dense.
    expect([result.before.packedBytes, result.after.packedBytes]).toEqual([636, 131]);
  });

  test('quantization-aware training before rounding to 2 bits keeps more accuracy than rounding alone', async () => {
    const data = split();
    const trained = await runTraining(spec, { data });
    const at = async (awareEpochs: number, activations: boolean) => (await optimizeModel(spec, data, trained.weights, trained.weightShapes, {
      prune: null, quantize: { bits: 2, symmetric: false, perNeuron: false, awareEpochs, activations },
    })).after.evaluation.accuracy!;
    const [rounded, aware, awareActivations] = [await at(0, false), await at(5, false), await at(5, true)];
    // Of 60 test rows: 54 right rounded at once, 58 after QAT, 59 with activations fake-quantized too.
    expect([rounded, aware, awareActivations].map((a) => Math.round(a * 60))).toEqual([54, 58, 59]);
  });

  test('the decision pictures before and after mark the held-out points whose predicted class changed', async () => {
    const data = split();
    const trained = await runTraining(spec, { data });
    const rounded = quantizeWeights(trained.weights, trained.weightShapes, { bits: 2, symmetric: false, perNeuron: false }).weights;
    const classes = async (weights: Float32Array[]) => {
      const net = new NetworkParams(spec.model, { inputs: 4, outputs: 3 }, [weights]);
      const x = tf.tensor2d(data.test!.x, [data.test!.n, 4]);
      const top = tf.tidy(() => tf.argMax(tf.squeeze(net.forward(x), [0]), 1));
      const values = Array.from(await top.data());
      tf.dispose([x, top]);
      net.dispose();
      return values;
    };
    const [a, b] = [await classes(trained.weights), await classes(rounded)];
    const expected = a.flatMap((c, i) => (c !== b[i] ? [i] : []));
    const same = await decisionComparison(spec, data, trained.weights, trained.weights, 8);
    expect(same.changed).toEqual([]);
    expect(same.after).toEqual(same.before);
    const picture = await decisionComparison(spec, data, trained.weights, rounded, 8);
    expect(picture.changed).toEqual(expected);
    expect(picture.changed.length).toBeGreaterThan(0);
    expect(picture.points.y).toBe(data.test!.y);
    expect([picture.before.length, picture.after.length]).toEqual([64, 64]);
    expect(picture.after).not.toEqual(picture.before);
  });

  test('a table\'s picture slices through the first two inputs of more than two values', () => {
    // Columns: one-hot, numeric, one-hot, numeric, numeric.
    const x = Float32Array.from([1, 0.5, 0, 2, 7, 0, -1, 1, 3, 8, 1, 0.25, 0, 4, 9]);
    expect(pictureAxes(x, 5)).toEqual([1, 3]);
    expect(pictureAxes(Float32Array.from([1, 0, 0, 1]), 2)).toEqual([0, 1]);
  });

  test('lottery-ticket rewinding puts the survivors back to the run\'s initial values', async () => {
    const data = split();
    const trained = await runTraining(spec, { data });
    const result = await optimizeModel(spec, data, trained.weights, trained.weightShapes, {
      prune: { method: 'global', amount: 0.5, rounds: 1, fineTuneEpochs: 0, rewind: true }, quantize: null,
    });
    const initial = initialParameters(spec.model, { inputs: 4, outputs: 3 }, createRng(spec.seed).fork());
    expect(result.weights).toEqual(masked(initial, result.masks!));
    expect(result.masks).toEqual(pruneMasks(trained.weights, trained.weightShapes, { method: 'global', amount: 0.5 }));
  });

  test('the teacher\'s distribution is its softmax at T', () => {
    // Logits (0, ln 3): at T = 2, (0, ln √3) → (1/(1+√3), √3/(1+√3)).
    const p = teacherProbabilities(new Float32Array([0, Math.log(3)]), 2, 2);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.sqrt(3)), 6);
    expect(p[1]).toBeCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)), 6);
  });

  test.each(reference.distillStep.map((c) => [c.temperature, c.alpha, c] as const))(
    'a distillation step at T = %f, α = %f has torch\'s loss and moves the weights as torch\'s SGD, fused or not',
    async (temperature, alpha, c) => {
      const n = c.labels.length;
      const part: Dataset = { problem: 'classification', n, x: Float32Array.from(c.x), y: Float32Array.from(c.labels), dims: c.features, classes: c.classes };
      const linear: ExperimentSpec = { ...spec, model: { ...spec.model, hidden: [] }, optimizer: { kind: 'sgd', lr: c.lr }, training: { ...spec.training, batchSize: n, epochs: 1 } };
      const teacher = teacherProbabilities(Float32Array.from(c.teacher), c.classes, temperature);
      for (const fused of [true, false]) {
        const trainer = new Trainer([linear], { train: part, val: part }, {
          fused, start: [[Float32Array.from(c.kernel), Float32Array.from(c.bias)]], distillation: { teacher, temperature, alpha },
        });
        trainer.stepBatch();
        const [metrics] = await trainer.endEpoch();
        expect(metrics!.trainLoss).toBeCloseTo(c.loss, 5);
        const [kernel, bias] = await trainer.weights();
        kernel.forEach((v, i) => expect(v).toBeCloseTo(c.kernelAfter[i], 5));
        bias.forEach((v, i) => expect(v).toBeCloseTo(c.biasAfter[i], 5));
        trainer.dispose();
      }
    },
  );

  test('a distilled student trains as a population beside the student alone', async () => {
    const data = split();
    const trained = await runTraining(spec, { data });
    const result = await distill(spec, data, trained.weights, { hidden: [{ units: 6, activation: 'relu' }, { units: 3, activation: 'relu' }], temperature: 2, alpha: 0.7, epochs: 5, seeds: [1, 2] });
    expect(result.alone).toHaveLength(2);
    expect(result.distilled).toHaveLength(2);
    for (const a of [...result.alone, ...result.distilled]) expect(a).toBeGreaterThan(0.6);
    expect(result.distilled).not.toEqual(result.alone);
  });
});

describe('size against accuracy', () => {
  test('the points of one bit width train as one population, each as the optimize stage makes it alone, kept as compressed', async () => {
    const data = split();
    const trained = await runTraining(spec, { data });
    const shapes = trained.weightShapes;
    const study = sizeAccuracyStudy({ id: 'run-1', spec }, { sparsities: [0.5, 0.9], bits: [8, 2], distilled: true, epochs: 2, distill: { widthFactor: 0.5, temperature: 2, alpha: 0.7, epochs: 3 } });
    const source = { spec, weights: trained.weights };
    const objective = study.objective;
    const trial = (params: Record<string, number | boolean>) => applyParams(study.base, params);
    const eight = [0.5, 0.9].map((s) => trial({ 'compress.sparsity': s, 'compress.bits': 8, 'compress.distilled': false }));
    expect(incompatibility(eight[0], eight[1])).toBeNull();
    expect(incompatibility(eight[0], trial({ 'compress.sparsity': 0.5, 'compress.bits': 2, 'compress.distilled': false }))).toBe('compression');
    const outcome = await trainCompressed(eight, source, { data, keep: { count: 2, objective } });
    expect(outcome.kept.map((k) => k.member).sort()).toEqual([0, 1]);
    for (const [p, s] of [0.5, 0.9].entries()) {
      const alone = await optimizeModel(spec, data, trained.weights, shapes, {
        prune: { method: 'layer', amount: s, rounds: 1, fineTuneEpochs: 0, rewind: false },
        quantize: { bits: 8, symmetric: false, perNeuron: false, awareEpochs: 2, activations: false },
      });
      const kept = outcome.kept.find((k) => k.member === p)!;
      kept.weights.forEach((w, k) => w.forEach((x, i) => expect(x).toBeCloseTo(alone.weights[k][i], 5)));
      expect(kept.evaluation.test!.accuracy).toBeCloseTo(alone.after.evaluation.accuracy!, 6);
      // The trial's value is the compressed network's validation accuracy; its size what the optimize stage packs.
      expect(outcome.folds[0][p].history.at(-1)!.valMetric).toBe(kept.evaluation.val.accuracy);
      expect(compressedBytes(eight[p].compress!, shapes)).toBe(alone.after.packedBytes);
    }
    // Students: half as wide, distilled from the run first, then pruned and quantized the same way.
    const students = [0.5, 0.9].map((s) => trial({ 'compress.sparsity': s, 'compress.bits': 2, 'compress.distilled': true }));
    expect(students[0].model.hidden.map((l) => l.units)).toEqual([6, 3]);
    const taught = await trainCompressed(students, source, { data, keep: { count: 2, objective } });
    const student = taught.kept.find((k) => k.member === 1)!;
    expect(student.shapes).toEqual([[4, 6], [6], [6, 3], [3], [3, 3], [3]]);
    // 90 % of each kernel at 0, the rest on at most 4 levels per kernel.
    for (const k of [0, 2, 4]) {
      expect(student.weights[k].filter((x) => x === 0).length).toBe(pruneCount(0.9, student.weights[k].length));
      expect(new Set(student.weights[k]).size).toBeLessThanOrEqual(4);
    }
    expect(student.evaluation.val.accuracy).toBe(taught.folds[0][1].history.at(-1)!.valMetric);
  });
});

describe('class weights', () => {
  test('balanced weights are n / (K · n_c), as scikit-learn\'s compute_class_weight', () => {
    // 7 labels, 4 of class 0, 2 of class 1, 1 of class 2: 7/12, 7/6, 7/3.
    expect(balancedClassWeights([0, 0, 0, 0, 1, 1, 2], 3)).toEqual([7 / 12, 7 / 6, 7 / 3]);
    // A class absent from the labels keeps weight 1.
    expect(balancedClassWeights([0, 0], 2)).toEqual([0.5, 1]);
  });

  test('typed weights are one number above 0 per class, else a message at their field', () => {
    expect(validateRebalance({ ...DEFAULT_REBALANCE, mode: 'typed', typed: '1, 2.5,4' }, 3)).toMatchObject({ ok: true, weights: [1, 2.5, 4] });
    expect(validateRebalance({ ...DEFAULT_REBALANCE, mode: 'typed', typed: '1, 0' }, 3)).toEqual({ ok: false, errors: [
      { path: 'typed', message: 'Type 3 weights above 0, separated by commas, one per class in order (got "1, 0").' },
    ] });
    expect(validateRebalance({ ...DEFAULT_REBALANCE, epochs: 0 }, 3)).toMatchObject({ ok: false, errors: [{ path: 'epochs' }] });
    expect(validateRebalance(DEFAULT_REBALANCE, 3)).toMatchObject({ ok: true, weights: null });
  });

  test('retraining a network with balanced weights finds more of a rare class', async () => {
    // Class 2 keeps 6 of its 50 training rows, and its blobs overlap the others.
    const all = blobs(150, 1, 1.2);
    const keep = Array.from(all.y.keys()).filter((i) => all.y[i] !== 2 || i < 18);
    const train: Dataset = { ...all, n: keep.length, x: Float32Array.from(keep.flatMap((i) => Array.from(all.x.subarray(i * 4, i * 4 + 4)))), y: Float32Array.from(keep, (i) => all.y[i]) };
    const data: SplitDataset = { train, val: blobs(45, 2, 1.2), test: blobs(300, 3, 1.2) };
    const trained = await runTraining(spec, { data });
    const result = await rebalance(spec, data, trained.weights, balancedClassWeights(train.y, 3), 10);
    const recall = (e: typeof result.before) => e.perClass!.map((c) => Math.round(c.recall * 100));
    // Test recall per class, in %: the rare class from 0 to 38, the others giving up some.
    expect([recall(result.before), recall(result.after)]).toEqual([[76, 76, 0], [67, 67, 38]]);
    expect(result.classWeights).toEqual([106 / 150, 106 / 150, 106 / 18]);
  });
});

describe('the small-data preset on the penguins', () => {
  test('closes the gap between training and validation loss', async () => {
    const table = (await loadBuiltin('builtin:penguins'))!;
    const penguins: ExperimentSpec = {
      ...spec,
      data: { kind: 'table', dataset: 'builtin:penguins', name: 'Palmer penguins', preprocess: {
        target: 'Species', task: 'multiclass', features: ['Island', 'Bill length (mm)', 'Bill depth (mm)', 'Flipper length (mm)', 'Body mass (g)', 'Sex'],
        missing: 'mean', scaling: 'standardize', split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1 } },
      model: { ...spec.model, hidden: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'relu' }] },
      training: { ...spec.training, batchSize: 32, epochs: 15 },
      seed: 1,
    };
    const data = tableSplit(prepareTable(table.table, (penguins.data as TableDataSpec).preprocess));
    const { plain, augmented } = await compareAugmentation(penguins, data, DEFAULT_AUGMENT);
    const gap = (o: typeof plain) => o.valLoss - o.trainLoss;
    // SMOTE brings every class up to the largest (36 rows), then each row gets five jittered copies.
    expect([plain.rows, augmented.rows]).toEqual([20, 36 * 6]);
    expect(gap(plain)).toBeCloseTo(0.317, 3);
    expect(gap(augmented)).toBeCloseTo(0.1, 3);
    expect([plain.curve.train.length, augmented.curve.val.length]).toEqual([15, 15]);
    expect(plain.curve.val.at(-1)).toBe(plain.valLoss);
  }, 120_000);
});

describe('weight histograms', () => {
  test('counts the non-zero values in equal bins, the zeros apart, and lists a quantizer\'s levels', () => {
    const h = weightHistogram(new Float32Array([-1, -1, 0, 0, 0, 0.25, 0.5, 1]), 4);
    // Bins of width 0.5 from −1: [−1, −0.5) 2, [−0.5, 0) 0, [0, 0.5) 1 besides the three zeros, [0.5, 1] 2.
    expect(h).toEqual({ min: -1, max: 1, counts: [2, 0, 1, 2], zeros: 3, levels: [-1, 0, 0.25, 0.5, 1] });
    expect(weightHistogram(Float32Array.from({ length: 100 }, (_, i) => i), 2, 64).levels).toEqual([]);
  });
});

describe('augmentation of the training rows', () => {
  const none = { jitter: 0, copies: 0, mixupAlpha: 0, smote: false, trainRows: 0 };

  test('SMOTE fills the smaller classes up to the largest; jitter adds copies; mixup mixes the labels', () => {
    // 6 rows of class 0, 3 of class 1, 2 of class 2.
    const y = new Float32Array([0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2]);
    const train: Dataset = { problem: 'classification', n: 11, dims: 2, classes: 3, x: Float32Array.from({ length: 22 }, (_, i) => Math.sin(i)), y };
    const balanced = augmentTrain(train, { ...none, smote: true }, 1).train;
    expect([0, 1, 2].map((c) => balanced.y.filter((v) => v === c).length)).toEqual([6, 6, 6]);
    expect(Array.from(balanced.x.subarray(0, 22))).toEqual(Array.from(train.x));
    const jittered = augmentTrain(train, { ...none, jitter: 0.1, copies: 2 }, 1).train;
    expect(jittered.n).toBe(33);
    expect(Array.from(jittered.y)).toEqual([...y, ...y, ...y]);
    const mixed = augmentTrain(train, { ...none, mixupAlpha: 0.4 }, 1);
    expect(mixed.targets).toHaveLength(33);
    for (let i = 0; i < 11; i++) expect(mixed.targets![3 * i] + mixed.targets![3 * i + 1] + mixed.targets![3 * i + 2]).toBeCloseTo(1, 6);
  });

  test('the small-data comparison trains the network on the plain and the augmented rows', async () => {
    const result = await compareAugmentation({ ...spec, training: { ...spec.training, epochs: 5 } }, split(), { ...none, jitter: 0.3, copies: 3, trainRows: 30 });
    expect([result.plain.rows, result.augmented.rows]).toEqual([30, 120]);
    for (const r of [result.plain, result.augmented]) expect(r.score).toBeGreaterThan(0.5);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_DISTILL, DEFAULT_OPTIMIZE, DEFAULT_SWEEP, validateSweep, distillationLoss, gaussianJitter, globalMagnitudeMasks, magnitudeMask, mixup, neuronMask, pruneCount, quantize, smote, smoteNeighbours,
  sourceProblem, distillProblem, teacherProblem, validateDistill, validateOptimize,
} from '../../src/core/compress';
import { createRng } from '../../src/core/random/prng';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';

/** PyTorch's values, from tests/support/compress-reference.py. */
const reference = JSON.parse(readFileSync(new URL('../support/compress-reference.json', import.meta.url), 'utf8')) as {
  magnitude: { weights: number[]; amount: number; mask: number[] }[];
  neurons: { kernel: number[]; inputs: number; outputs: number; amount: number; mask: number[] }[];
  quantized: { name: string; values: number[]; bits: number; symmetric: boolean; channels: number | null; scale: number[]; zeroPoint: number[]; q: number[]; dequantized: number[] }[];
  distill: { student: number[]; teacher: number[]; labels: number[]; classes: number; temperature: number; alpha: number; loss: number }[];
};

describe('pruning masks, as torch.nn.utils.prune', () => {
  test.each(reference.magnitude.map((c) => [c.weights.length, c.amount, c] as const))('l1_unstructured of %i weights, amount %f', (_, amount, c) => {
    expect(Array.from(magnitudeMask(Float32Array.from(c.weights), amount))).toEqual(c.mask);
  });

  test.each(reference.neurons.map((c) => [c.inputs, c.outputs, c.amount, c] as const))('ln_structured(n=2, dim=0) of %i→%i, amount %f', (inputs, outputs, amount, c) => {
    expect(Array.from(neuronMask(Float32Array.from(c.kernel), inputs, outputs, amount))).toEqual(c.mask);
  });

  test('the count rounds halves to even, as Python round()', () => {
    expect([pruneCount(0.5, 5), pruneCount(0.5, 7), pruneCount(0.3, 10), pruneCount(0.25, 10)]).toEqual([2, 4, 3, 2]);
  });

  test('global pruning cuts the smallest weights over all tensors with one threshold', () => {
    const masks = globalMagnitudeMasks([new Float32Array([0.1, 0.2, 0.3]), new Float32Array([5, -0.05, 4, 3])], 3 / 7);
    expect(masks.map((m) => Array.from(m))).toEqual([[0, 0, 1], [1, 0, 1, 1]]);
  });

  test('amounts outside [0, 1) are refused', () => {
    expect(() => magnitudeMask(new Float32Array(4), 1)).toThrow('The amount to prune must be at least 0 and below 1 (got 1).');
    expect(() => neuronMask(new Float32Array(4), 2, 2, -0.1)).toThrow('The amount to prune must be at least 0 and below 1 (got -0.1).');
  });
});

describe('quantize, as PyTorch\'s MinMax observers with fake quantization', () => {
  test.each(reference.quantized.map((c) => [c.name, c.bits, c.symmetric ? 'symmetric' : 'asymmetric', c.channels ? `per channel (${c.channels})` : 'per tensor', c] as const))(
    '%s tensor, %i bits, %s, %s',
    (_, bits, __, ___, c) => {
      const out = quantize(Float32Array.from(c.values), { bits, symmetric: c.symmetric, channels: c.channels ?? undefined });
      expect(Array.from(out.scale)).toEqual(c.scale);
      expect(Array.from(out.zeroPoint)).toEqual(c.zeroPoint);
      expect(Array.from(out.q)).toEqual(c.q);
      expect(Array.from(out.dequantized)).toEqual(c.dequantized);
    },
  );

  test('0 is always a level, so pruned weights stay exactly 0', () => {
    const out = quantize(new Float32Array([0, 0.3, 1.7, 0, 2.2]), { bits: 3, symmetric: false });
    expect(out.dequantized[0]).toBe(0);
    expect(out.dequantized[3]).toBe(0);
  });

  test('bits outside 2–16 are refused', () => {
    expect(() => quantize(new Float32Array(2), { bits: 1, symmetric: true })).toThrow('Bits must be a whole number from 2 to 16 (got 1).');
    expect(() => quantize(new Float32Array(2), { bits: 17, symmetric: true })).toThrow('Bits must be a whole number from 2 to 16 (got 17).');
  });
});

describe('distillationLoss, as alpha*T²*kl_div(batchmean) + (1 - alpha)*cross_entropy', () => {
  test.each(reference.distill.map((c) => [c.labels.length, c.classes, c.temperature, c.alpha, c] as const))('%i rows × %i classes, T = %f, α = %f', (_, classes, temperature, alpha, c) => {
    const loss = distillationLoss(Float32Array.from(c.student), Float32Array.from(c.teacher), Int32Array.from(c.labels), classes, { temperature, alpha });
    expect(Math.abs(loss - c.loss)).toBeLessThan(1e-12 * Math.max(1, c.loss));
  });
});

describe('augmentation', () => {
  // Five points: (0,0) (1,0) (3,0) (0,2) (10,10). Squared distances from (0,0): 1, 9, 4, 200;
  // from (1,0): 1, 4, 5, 181; from (3,0): 9, 4, 13, 149; from (0,2): 4, 5, 13, 164;
  // from (10,10): 200, 181, 149, 164.
  const points = new Float32Array([0, 0, 1, 0, 3, 0, 0, 2, 10, 10]);

  test('SMOTE neighbours: the k nearest, nearest first, itself excluded', () => {
    expect(smoteNeighbours(points, 5, 3).map((n) => Array.from(n))).toEqual([[1, 3, 2], [0, 2, 3], [1, 0, 3], [0, 1, 2], [2, 3, 1]]);
  });

  test('SMOTE rows lie between a row and one of its neighbours', () => {
    const neighbours = smoteNeighbours(points, 5, 2);
    const made = smote(points, 5, 40, createRng(3), 2);
    for (let n = 0; n < 40; n++) {
      const [x, y] = [made[2 * n], made[2 * n + 1]];
      const between = [0, 1, 2, 3, 4].some((i) => Array.from(neighbours[i]).some((j) => {
        const [ax, ay, bx, by] = [points[2 * i], points[2 * i + 1], points[2 * j], points[2 * j + 1]];
        const g = Math.abs(bx - ax) > Math.abs(by - ay) ? (x - ax) / (bx - ax) : (y - ay) / (by - ay);
        return g >= 0 && g <= 1 && Math.abs(ax + g * (bx - ax) - x) < 1e-5 && Math.abs(ay + g * (by - ay) - y) < 1e-5;
      }));
      expect(between).toBe(true);
    }
    expect(Array.from(smote(points, 5, 4, createRng(3), 2))).toEqual(Array.from(made.slice(0, 8)));
  });

  test('mixup mixes inputs and one-hot labels with the same λ ~ Beta(α, α)', () => {
    // Row 0 is (0, 0) with label [1, 0]; row 1 is (1, 1) with label [0, 1]: a mixed row (a, a) must have label [1 − a, a].
    const rows = 20000;
    const x = Float32Array.from({ length: 2 * rows }, (_, i) => (i >> 1) % 2);
    const y = Float32Array.from({ length: 2 * rows }, (_, i) => ((i >> 1) % 2 === i % 2 ? 1 : 0));
    const mixed = mixup(x, y, rows, 0.2, createRng(5));
    for (let r = 0; r < rows; r++) {
      expect(mixed.x[2 * r]).toBe(mixed.x[2 * r + 1]);
      expect(mixed.y[2 * r + 1]).toBeCloseTo(mixed.x[2 * r], 6);
      expect(mixed.y[2 * r] + mixed.y[2 * r + 1]).toBeCloseTo(1, 6);
    }
    // Beta(0.2, 0.2): mean 1/2, variance 1/(4(2α + 1)) = 0.17857.
    const l = Array.from(mixed.lambda);
    const mean = l.reduce((a, b) => a + b, 0) / rows;
    const variance = l.reduce((a, b) => a + (b - mean) ** 2, 0) / rows;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(variance - 0.17857)).toBeLessThan(0.005);
  });

  test('Gaussian jitter adds noise of the asked spread around each value', () => {
    const x = new Float32Array(20000).fill(3);
    const out = gaussianJitter(x, 0.5, createRng(9));
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const std = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length);
    expect(Math.abs(mean - 3)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.01);
  });
});

describe('optimize settings', () => {
  test('bad amounts, bits and widths get a message at their field', () => {
    const bad = { ...DEFAULT_OPTIMIZE, prune: { ...DEFAULT_OPTIMIZE.prune, amount: 1 }, quantize: { ...DEFAULT_OPTIMIZE.quantize, bits: 1, awareEpochs: 2.5 } };
    expect(validateOptimize(bad)).toEqual({ ok: false, errors: [
      { path: 'prune.amount', message: 'Amount to prune must be at least 0 and less than 1 (got 1).' },
      { path: 'quantize.bits', message: 'Bits must be a whole number from 2 to 16 (got 1).' },
      { path: 'quantize.awareEpochs', message: 'Quantization-aware epochs must be a whole number from 0 to 500 (got 2.5).' },
    ] });
    expect(validateOptimize(DEFAULT_OPTIMIZE)).toEqual({ ok: true, spec: DEFAULT_OPTIMIZE });
    expect(validateDistill({ ...DEFAULT_DISTILL, temperature: 0 })).toEqual({ ok: false, errors: [{ path: 'temperature', message: 'Temperature T must be greater than 0 and at most 20 (got 0).' }] });
  });

  test('the sweep\'s lists become numbers, or a message at their field', () => {
    expect(validateSweep(DEFAULT_SWEEP)).toMatchObject({ ok: true, sparsities: [0, 0.5, 0.8, 0.9], bits: [8, 6, 4, 2] });
    expect(validateSweep({ ...DEFAULT_SWEEP, sparsities: '0.5, 1', bits: '8, 1.5' })).toEqual({ ok: false, errors: [
      { path: 'sparsities', message: 'Sparsities are shares from 0 to below 1, separated by commas (got "0.5, 1").' },
      { path: 'bits', message: 'Bits are whole numbers from 2 to 16, separated by commas (got "8, 1.5").' },
    ] });
    expect(validateSweep({ ...DEFAULT_SWEEP, epochs: 0 })).toEqual({ ok: false, errors: [{ path: 'epochs', message: 'Fine-tuning epochs per point must be a whole number from 1 to 100 (got 0).' }] });
  });

  test('a run without weights, and a teacher of another task, are refused at their field', () => {
    const student = { spec: structuredClone(DEFAULT_EXPERIMENT), weights: [new Float32Array(1)] };
    expect(sourceProblem({ spec: student.spec })).toEqual({ path: 'run', message: 'This run has no saved weights: train it to its end (or import a model) first.' });
    const other = { spec: { ...structuredClone(DEFAULT_EXPERIMENT), data: { kind: 'moons' as const, n: 200, noise: 0, trainRatio: 0.5, seed: 1 } }, weights: [new Float32Array(1)] };
    expect(teacherProblem(other, student)?.message).toBe(`The teacher learned another task (the moons set) than this run (the ${DEFAULT_EXPERIMENT.data.kind} set).`);
    // Distillation needs three classes or more: a generated set's two, or a regression, are told what the run learns.
    expect(teacherProblem(student, student)).toEqual({ path: 'teacher', message: `Distillation needs a table with three or more classes; this run learns the ${DEFAULT_EXPERIMENT.data.kind} set.` });
    const prices = { spec: { ...structuredClone(DEFAULT_EXPERIMENT), data: { kind: 'table' as const, dataset: 'h', name: 'houses', preprocess: { target: 'price', task: 'regression' as const, features: ['sqft'], missing: 'mean' as const, scaling: 'standardize' as const, split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1 } } } };
    expect(distillProblem(prices)).toBe('Distillation needs a table with three or more classes; this run learns houses: price (regression).');
    expect(distillProblem({ spec: { ...prices.spec, data: { ...prices.spec.data, preprocess: { ...prices.spec.data.preprocess, target: 'kind', task: 'multiclass' } } } })).toBeNull();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { clipByGlobalNorm } from '../../src/core/optim';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The values of `tensors`, as plain arrays, disposing them. */
function values(tensors: tf.Tensor[]): number[][] {
  const out = tensors.map((t) => Array.from(t.dataSync()));
  tf.dispose(tensors);
  return out;
}

/** Element-wise agreement to float32 precision, relative to values of order 1. */
function expectClose(actual: number[][], expected: number[][]) {
  expect(actual.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  actual.forEach((row, k) => row.forEach((v, i) => expect(Math.abs(v - expected[k][i])).toBeLessThan(2e-7 * Math.max(1, Math.abs(expected[k][i])))));
}

describe('clipByGlobalNorm, as torch.nn.utils.clip_grad_norm_', () => {
  test('scales all gradients by maxNorm/(‖g‖ + 1e-6) when their global norm is above maxNorm', () => {
    // ‖([3], [4])‖ = 5; scale = 1/(5 + 1e-6) = 0.19999996: 3 → 0.59999988, 4 → 0.79999984
    const a = tf.tensor1d([3]);
    const b = tf.tensor1d([4]);
    const before = tf.memory().numTensors;
    expectClose(values(clipByGlobalNorm([a, b], 1)), [[3 / 5.000001], [4 / 5.000001]]);
    // ‖([[1, 2], [2, 4]], [0, 0])‖ = √25 = 5, clipped to 2.5: each value times 2.5/5.000001 ≈ 0.5
    const m = tf.tensor2d([1, 2, 2, 4], [2, 2]);
    const z = tf.zeros([2]);
    const clipped = clipByGlobalNorm([m, z], 2.5);
    expect(clipped.map((t) => t.shape)).toEqual([[2, 2], [2]]);
    const half = 2.5 / 5.000001;
    expectClose(values(clipped), [[half, 2 * half, 2 * half, 4 * half], [0, 0]]);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(a.isDisposed || b.isDisposed || m.isDisposed).toBe(false);
    tf.dispose([a, b, m, z]);
  });

  test('leaves gradients whose norm is below maxNorm exactly as they were', () => {
    // scale = min(1, 10/5.000001) = 1
    const a = tf.tensor1d([3]);
    const b = tf.tensor1d([-4]);
    expect(values(clipByGlobalNorm([a, b], 10))).toEqual([[3], [-4]]);
    tf.dispose([a, b]);
  });

  test('per member: the first axis indexes a population, each member clipped by its own norm', () => {
    // member 0: w row (3, 0), b 4 → norm 5, scaled by 1/5.000001 to norm 1
    // member 1: w row (0.3, 0), b 0.4 → norm 0.5 ≤ 1, unchanged
    const w = tf.tensor2d([3, 0, 0.3, 0], [2, 2]);
    const b = tf.tensor1d([4, 0.4]);
    const before = tf.memory().numTensors;
    const clipped = clipByGlobalNorm([w, b], 1, true);
    expect(clipped.map((t) => t.shape)).toEqual([[2, 2], [2]]);
    expectClose(values(clipped), [[3 / 5.000001, 0, 0.3, 0], [4 / 5.000001, 0.4]]);
    // the same gradients clipped as one model: norm √(25 + 0.25) = 5.02494, all scaled by 1/5.02494
    const s = 1 / (Math.sqrt(25.25) + 1e-6);
    expectClose(values(clipByGlobalNorm([w, b], 1)), [[3 * s, 0, 0.3 * s, 0], [4 * s, 0.4 * s]]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, b]);
  });

  test('per member with weights [P, in, out] and biases [P, out]', () => {
    // member 0: (3 | 4) → norm 5 → (0.6 | 0.8); member 1: (0.3 | 0.4) → norm 0.5, unchanged
    const w = tf.tensor3d([3, 0.3], [2, 1, 1]);
    const b = tf.tensor2d([4, 0.4], [2, 1]);
    expectClose(values(clipByGlobalNorm([w, b], 1, true)), [[3 / 5.000001, 0.3], [4 / 5.000001, 0.4]]);
    tf.dispose([w, b]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { initialParameters, networkIO } from '../../src/core/model/network';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { runTraining } from '../../src/core/train/run';
import { MAX_SNAPSHOTS, addSnapshot, emptyPath, flattenWeights } from '../../src/core/train/weight-path';
import { createRng } from '../../src/core/random/prng';
import { isRunRecord } from '../../src/runtime/store/run-check';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the weight path a run keeps', () => {
  test('a long run keeps at most 200 snapshots, evenly spaced over all its epochs', () => {
    const path = emptyPath();
    for (let epoch = 1; epoch <= 1000; epoch++) addSnapshot(path, epoch, Float32Array.of(epoch));
    expect(path.epochs.length).toBeLessThanOrEqual(MAX_SNAPSHOTS);
    // Thinned at epochs 201 (stride 2), 402 (4) and 804 (8): every 8th epoch of 1000.
    expect(path.stride).toBe(8);
    expect(path.epochs).toEqual(Array.from({ length: 125 }, (_, k) => 8 * (k + 1)));
    expect(path.epochs.at(-1)).toBe(1000);
    expect(Array.from(path.weights.flatMap((w) => Array.from(w)))).toEqual(path.epochs);
  });

  const spec: ExperimentSpec = {
    ...structuredClone(DEFAULT_EXPERIMENT),
    data: { kind: 'xor', n: 80, noise: 0, trainRatio: 0.5, seed: 1 },
    training: { ...DEFAULT_EXPERIMENT.training, epochs: 6 },
  };

  test('a run returns its initial weights and one snapshot per epoch, the last its final weights', async () => {
    const outcome = await runTraining(spec);
    const seeded = initialParameters(spec.model, networkIO(2, 2), createRng(spec.seed).fork());
    expect(outcome.initialWeights).toEqual(seeded);
    expect(outcome.path.epochs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcome.path.weights.at(-1)).toEqual(flattenWeights(outcome.weights));
    expect(outcome.path.weights[0]).not.toEqual(flattenWeights(outcome.initialWeights));
  });

  test('a saved run reads back with its path, and not with a snapshot of the wrong size', () => {
    const record = {
      id: 'a', createdAt: 1, updatedAt: 1, spec, backend: null, status: 'complete', epochs: [],
      weights: [new Float32Array(2), new Float32Array(1)], weightShapes: [[2, 1], [1]],
      initialWeights: [new Float32Array(2), new Float32Array(1)],
      path: { epochs: [1, 2], weights: [new Float32Array(3), new Float32Array(3)], stride: 1 },
    };
    expect(isRunRecord(record)).toBe(true);
    expect(isRunRecord({ ...record, path: { ...record.path, weights: [new Float32Array(3), new Float32Array(2)] } })).toBe(false);
    expect(isRunRecord({ ...record, initialWeights: [new Float32Array(2)] })).toBe(false);
    const { path: _path, initialWeights: _initial, ...older } = record;
    expect(isRunRecord(older)).toBe(true);
  });
});

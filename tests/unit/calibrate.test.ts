import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { generatedSplit } from '../../src/core/data';
import type { DataSpec } from '../../src/core/data/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { timeTrainingStep } from '../../src/core/train/calibrate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => vi.restoreAllMocks());

describe('timing a training step to choose a backend', () => {
  test('on a coarse timer a tiny network still gets a time, not 0 ms, and the calibration leaks no tensor', async () => {
    // Browsers coarsen performance.now() against timing attacks: 0.1 ms in Chromium outside
    // cross-origin isolation, more in others (100 ms when resisting fingerprinting). Here 20 ms
    // ticks, longer than eight steps of this network take.
    const now = performance.now.bind(performance);
    vi.spyOn(performance, 'now').mockImplementation(() => Math.floor(now() / 20) * 20);
    const spec = structuredClone(DEFAULT_EXPERIMENT);
    const data = generatedSplit(spec.data as DataSpec);
    const before = tf.memory().numTensors;
    const ms = await timeTrainingStep(spec, data);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(50);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a one-off wait in a round (an epoch end compiling its evaluation) does not count as every step\'s cost', async () => {
    // A clock that moves 0.05 ms per reading, and 40 ms once, inside the second timed round.
    let clock = 0;
    let readings = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += ++readings === 6 ? 40 : 0.05));
    const spec = structuredClone(DEFAULT_EXPERIMENT);
    // Rounds of 0.05 ms, one of 40: the median round, per step of eight.
    expect(await timeTrainingStep(spec, generatedSplit(spec.data as DataSpec))).toBeCloseTo(0.05 / 8, 6);
  });

  test('a run shorter than the calibration, with early stopping, is timed on an endless copy of its shape', async () => {
    const spec = structuredClone(DEFAULT_EXPERIMENT);
    spec.training = { ...spec.training, epochs: 2, patience: 1, batchSize: 250 };
    expect(await timeTrainingStep(spec, generatedSplit(spec.data as DataSpec))).toBeGreaterThan(0);
  });
});

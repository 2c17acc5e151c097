import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, test } from 'vitest';
import { timeLabMap } from '../../src/core/landscape/calibrate';
import { describeDescentKernel } from '../support/descent-cases';

describeDescentKernel('cpu');

describe("the lab's calibration", () => {
  test('times the lab-shaped basin map on the current backend, leaving it and its tensors as they were', async () => {
    await tf.setBackend('cpu');
    const tensors = tf.memory().numTensors;
    const ms = await timeLabMap(1);
    expect(ms).toBeGreaterThan(0);
    expect(Number.isFinite(ms)).toBe(true);
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, test } from 'vitest';
import { fastestBackend } from '../../src/core/landscape/calibrate';
import { describeDescentKernel } from '../support/descent-cases';

describeDescentKernel('cpu');

describe("the lab's calibration", () => {
  test('times the lab-shaped basin map on each backend that starts and leaves tfjs on the fastest', async () => {
    const { fastest, milliseconds } = await fastestBackend(['cpu', 'not-a-backend']);
    expect(fastest).toBe('cpu');
    expect(Object.keys(milliseconds)).toEqual(['cpu']);
    expect(milliseconds.cpu).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe('cpu');
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { trainPopulation } from '../../src/core/train/population-run';
import { selectBackend } from '../../src/runtime/backend';

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

import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { StudySpec } from '../../src/core/study/types';

/** What the browser tests' small studies vary. */
interface XorStudy {
  name: string;
  points: number;
  batchSize: number;
  epochs: number;
  space: StudySpec['space'];
  nTrials: number;
  workers: number;
  seed: number;
}

/** A small random study of momentum SGD on the XOR set (a 2-4-1 tanh network), no pruning, minimizing validation loss. */
export function xorStudy({ name, points, batchSize, epochs, space, nTrials, workers, seed }: XorStudy): StudySpec {
  return {
    version: 1,
    name,
    base: {
      ...structuredClone(DEFAULT_EXPERIMENT),
      data: { kind: 'xor', n: points, noise: 0, trainRatio: 0.5, seed: 1 },
      model: { features: ['x1', 'x2'], hidden: [{ units: 4, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
      optimizer: { kind: 'momentum', lr: 0.1 },
      training: { batchSize, epochs, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
    },
    space,
    sampler: { kind: 'random' },
    pruner: { kind: 'none' },
    objective: { metric: 'valLoss', direction: 'minimize' },
    nTrials,
    workers,
    seed,
  };
}

import type { DataSpec } from '../data/types';
import type { ExperimentSpec } from './experiment';

/** The generated set a new visitor sees, and the one the training screen goes back to from a table. */
export const DEFAULT_DATA: DataSpec = { kind: 'circle', n: 500, noise: 0, trainRatio: 0.5, seed: 1 };

/**
 * The experiment a new visitor sees, close to what TensorFlow Playground opens with: the
 * circle, features x1 and x2, two tanh layers of 4 and 2 units, batch size 10 and learning
 * rate 0.03 (with Adam, where Playground uses plain SGD).
 */
export const DEFAULT_EXPERIMENT: ExperimentSpec = {
  version: 1,
  data: DEFAULT_DATA,
  model: {
    features: ['x1', 'x2'],
    hidden: [
      { units: 4, activation: 'tanh' },
      { units: 2, activation: 'tanh' },
    ],
    l1: 0,
    l2: 0,
    dropout: 0,
  },
  optimizer: { kind: 'adam', lr: 0.03 },
  training: { batchSize: 10, epochs: 200, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
  seed: 1,
};

// The penguins model whose compression the closing table (bench:compress) and bench W5 measure.
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';

/** The penguins model of the end-to-end test: 9 inputs, 16 and 8 ReLU units, 3 classes. */
export const PENGUINS_MODEL: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: {
    kind: 'table', dataset: 'builtin:penguins', name: 'Palmer penguins',
    preprocess: {
      target: 'Species', task: 'multiclass',
      features: ['Island', 'Bill length (mm)', 'Bill depth (mm)', 'Flipper length (mm)', 'Body mass (g)', 'Sex'],
      missing: 'mean', scaling: 'standardize', split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1,
    },
  },
  model: { features: [], hidden: [{ units: 16, activation: 'relu' }, { units: 8, activation: 'relu' }], l1: 0, l2: 0, dropout: 0 },
  optimizer: { kind: 'adam', lr: 0.03 },
  training: { batchSize: 32, epochs: 15, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
  seed: 1,
};

// The penguins network of the trained-landscape checks and of bench W6: the built-in table by
// its default preprocessing, a 9-16-8-3 tanh network, and its seeded initial weights.
import type { TableDataSpec } from '../../src/core/data/types';
import { initialParameters, networkIO, parameterShapes } from '../../src/core/model/network';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';

const PENGUINS: TableDataSpec = {
  kind: 'table',
  dataset: 'builtin:penguins',
  name: 'Palmer penguins',
  preprocess: {
    target: 'Species', task: 'multiclass',
    features: ['Island', 'Bill length (mm)', 'Bill depth (mm)', 'Flipper length (mm)', 'Body mass (g)', 'Sex'],
    missing: 'mean', scaling: 'standardize', split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1,
  },
};

/** The experiment: penguins species from the six default columns (9 network inputs), 3 classes. */
export const PENGUINS_SPEC: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: PENGUINS,
  model: { features: ['x1', 'x2'], hidden: [{ units: 16, activation: 'tanh' }, { units: 8, activation: 'tanh' }], l1: 0, l2: 0, dropout: 0 },
};

/** The network's widths at its two ends. */
export const PENGUINS_IO = networkIO(9, 3);

/** A saved network of the penguins experiment: its seeded initial weights. */
export function penguinsNetwork(seed = 1) {
  return { spec: PENGUINS_SPEC, weights: initialParameters(PENGUINS_SPEC.model, PENGUINS_IO, seed), weightShapes: parameterShapes(PENGUINS_SPEC.model, PENGUINS_IO) };
}

// The network and data of W1 and W2: a 500-point spiral and a 2-16-16-1 tanh network, batch 32.
import { generatedSplit, type DataSpec, type SplitDataset } from '../../src/core/data';
import type { OptimizerSpec } from '../../src/core/optim/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { BATCH_SIZE, GRID_LRS, GRID_MOMENTA, HIDDEN_UNITS } from './sizes';

/** An experiment on the spiral with the benchmark network, trained by `optimizer` for `epochs`. */
export function spiralSpec(optimizer: OptimizerSpec, epochs: number, seed = 1): ExperimentSpec {
  return {
    ...structuredClone(DEFAULT_EXPERIMENT),
    data: { kind: 'spiral', n: 500, noise: 0, trainRatio: 0.8, seed: 1 },
    model: {
      features: ['x1', 'x2'],
      hidden: HIDDEN_UNITS.map((units) => ({ units, activation: 'tanh' as const })),
      l1: 0,
      l2: 0,
      dropout: 0,
    },
    optimizer,
    training: { batchSize: BATCH_SIZE, epochs, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
    seed,
  };
}

/** The 64 trials of W2, learning rate major, each with its own seed as a study gives them. */
export function studyGrid(epochs: number): ExperimentSpec[] {
  return GRID_LRS.flatMap((lr, i) =>
    GRID_MOMENTA.map((momentum, j) => spiralSpec({ kind: 'momentum', lr, momentum }, epochs, 1 + 8 * i + j)),
  );
}

/** The spiral of every benchmark spec, split as the app splits it. */
export function spiralData(spec: ExperimentSpec): SplitDataset {
  return generatedSplit(spec.data as DataSpec);
}

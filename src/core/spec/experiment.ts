import type { ExperimentData } from '../data/types';
import type { ModelSpec } from '../model/types';
import type { OptimizerSpec } from '../optim/types';
import type { TrainingSpec } from '../train/types';

/**
 * One experiment as data: what a run trains, stored with the run, encoded in the URL and
 * replayed exactly from its seed (weights, shuffling and dropout all derive from `seed`).
 */
export interface ExperimentSpec {
  version: 1;
  /** A generated 2D set, or a table of the library with its preprocessing. */
  data: ExperimentData;
  model: ModelSpec;
  optimizer: OptimizerSpec;
  training: TrainingSpec;
  seed: number;
}

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
  /** Set when a trial makes a saved run's trained network smaller (a size-against-accuracy study): see CompressionSpec. */
  compress?: CompressionSpec;
}

/**
 * A saved run's trained network made smaller, as one trial of a size-against-accuracy study
 * trains it (core/compress/size-study): from the run's weights (or, distilled, from a student
 * the run taught), each layer's kernel pruned by magnitude to `sparsity`, fine-tuned for the
 * experiment's epochs with the pruned weights held at 0 and the kernels fake-quantized to
 * `bits` (per tensor, asymmetric), then rounded to those levels.
 */
export interface CompressionSpec {
  /** The id of the saved run whose trained network is compressed, and which teaches when distilled. */
  run: string;
  /** Share of each layer's kernel weights pruned by magnitude, 0 ≤ sparsity < 1. */
  sparsity: number;
  /** Bits of every kernel, 2 to 16. */
  bits: number;
  /** Whether the network is a student, `model.hidden` narrowed by `distill.widthFactor`, first distilled from the run. */
  distilled: boolean;
  /** How a student learns from the run: its width as a share of the run's, Hinton's T and α, and its epochs before pruning. */
  distill: { widthFactor: number; temperature: number; alpha: number; epochs: number };
}

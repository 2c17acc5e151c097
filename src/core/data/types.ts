/** The generated 2D classification sets, as in TensorFlow Playground plus two moons. */
export const CLASSIFICATION_KINDS = ['circle', 'xor', 'gauss', 'spiral', 'moons'] as const;
/** The generated 2D regression sets. */
export const REGRESSION_KINDS = ['plane', 'multigauss'] as const;
/** Every generated dataset kind. */
export const DATASET_KINDS = [...CLASSIFICATION_KINDS, ...REGRESSION_KINDS] as const;

/** One of {@link DATASET_KINDS}. */
export type DatasetKind = (typeof DATASET_KINDS)[number];

/** Whether the target is a class (0 or 1) or a real value. */
export type ProblemType = 'classification' | 'regression';

/** A generated dataset as data: regenerated identically from these fields. */
export interface DataSpec {
  kind: DatasetKind;
  /** Number of points, train and validation together. */
  n: number;
  /** Noise level in percent, 0 to 50, as TensorFlow Playground's slider. */
  noise: number;
  /** Share of the points used for training, the rest for validation (0.1 to 0.9). */
  trainRatio: number;
  /** Seed of the points and of the split; "regenerate" changes it. */
  seed: number;
}

/**
 * Points and targets as typed arrays. `x` is row-major [n, 2] (x1, x2 interleaved); `y` is
 * 0/1 for classification and a real value for regression.
 */
export interface Dataset {
  problem: ProblemType;
  n: number;
  x: Float32Array;
  y: Float32Array;
  /** The square [lo, hi]² the points are drawn in; the decision picture covers it. */
  domain: [number, number];
}

/** A dataset cut into its training and validation parts. */
export interface SplitDataset {
  train: Dataset;
  val: Dataset;
}

import type { PreprocessSpec } from './table/types';
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
 * Points and targets as typed arrays. `x` is row-major [n, dims]: for a generated set the
 * points (x1, x2 interleaved, dims 2) the network's features are computed from; for a table
 * the network's inputs themselves. `y` is the class index for classification and a real
 * value for regression.
 */
export interface Dataset {
  problem: ProblemType;
  n: number;
  x: Float32Array;
  y: Float32Array;
  /** Columns of `x`. */
  dims: number;
  /** Classes of a classification problem (2 for the generated sets); 0 for regression. */
  classes: number;
  /** For generated sets, the square [lo, hi]² the points are drawn in; the decision picture covers it. */
  domain?: [number, number];
  /** Regression targets were divided by this (a table's standardized target): errors are reported times it. */
  targetScale?: number;
}

/** A dataset cut into its training and validation parts, and for tables a held-out test part. */
export interface SplitDataset {
  train: Dataset;
  val: Dataset;
  test?: Dataset;
}

/** An experiment's data: a generated 2D set or a table of the library. */
export type ExperimentData = DataSpec | TableDataSpec;

/**
 * A table of the dataset library as an experiment's data: which dataset (a library id, or
 * `builtin:<name>` for the tables shipped with the site) and how it becomes inputs and target.
 */
export interface TableDataSpec {
  kind: 'table';
  dataset: string;
  /** The dataset's name when the experiment was made, shown where the table itself is not loaded. */
  name: string;
  preprocess: PreprocessSpec;
}

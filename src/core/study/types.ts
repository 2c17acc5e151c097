import type { Evaluation } from '../model/evaluation';
import type { ExperimentSpec } from '../spec/experiment';
import type { EpochMetrics } from '../train/types';

/** Which number of an epoch a study optimizes, and which way. */
export interface Objective {
  metric: 'valLoss' | 'valMetric';
  direction: 'minimize' | 'maximize';
}

/** What a study of several objectives may weigh: a validation number, the network's size (in parameters or bytes), its speed. */
export type ObjectiveMetric = Objective['metric'] | 'paramCount' | 'modelBytes' | 'inferenceTime';

/**
 * One objective of a study of several: the validation loss or metric (at the epoch `value`
 * takes), the network's parameter count or the bytes of its float32 weights as tf.io saves
 * them, or its measured inference time per row in milliseconds; and which way is better.
 */
export interface StudyObjective {
  metric: ObjectiveMetric;
  direction: 'minimize' | 'maximize';
}

/**
 * A study as data: the experiment it starts from, what varies and how, how to search and prune,
 * and how many trials; stored, exported and resumed as it is.
 */
export interface StudySpec {
  version: 1;
  name: string;
  base: ExperimentSpec;
  /** The search space (core/search's SearchSpace). */
  space: Record<string, unknown>;
  sampler: { kind: 'grid' | 'random' | 'tpe' | 'genetic' | 'nsga2' } & Record<string, unknown>;
  pruner: { kind: 'none' | 'median' | 'asha' | 'hyperband' } & Record<string, unknown>;
  /** The validation number each epoch is judged by (pruning, intermediate values) and a trial's `value`. */
  objective: Objective;
  /**
   * Two or three objectives weighed together (a Pareto front), searched by NSGA-II or random
   * search; absent in single-objective studies, as in every study stored before it existed.
   */
  objectives?: StudyObjective[];
  nTrials: number;
  workers: number;
  seed: number;
  /**
   * How each trial is validated: 1 (or absent, as in studies stored before folds existed) on
   * the experiment's own validation split; 2 to 10 by k-fold cross-validation over all its
   * points, the trial's value being the mean over the folds.
   */
  folds?: number;
  /** How many trained networks the study keeps (KEEP_WEIGHTS.count when absent), within KEEP_WEIGHTS.bytes. */
  keep?: number;
}

/** The fewest and most folds a study's cross-validation takes (1 means no cross-validation). */
export const FOLD_RANGE = { min: 1, max: 10 } as const;

/** Where a trial stands. */
export type TrialState = 'waiting' | 'running' | 'complete' | 'pruned' | 'failed' | 'diverged';

/** One trial of a study: its parameters, the experiment they make, and how it went. */
export interface TrialRecord {
  studyId: string;
  number: number;
  params: Record<string, string | number | boolean>;
  spec: ExperimentSpec;
  state: TrialState;
  /** The objective at the trial's end (its best epoch when early stopping restored one). */
  value?: number;
  /** In a study of several objectives: each objective's value at the trial's end, in `objectives` order, in its own direction. */
  values?: number[];
  /** In a study of several objectives: the generation the sampler bred the trial in, from 0. */
  generation?: number;
  /** With k-fold cross-validation: the standard deviation of `value` (the mean) over the folds. */
  valueStd?: number;
  /** Each finished epoch's metrics (with k folds, their mean over the folds), written as the trial trains. */
  epochs: EpochMetrics[];
  message?: string;
  /** For a pruned trial: the epoch after which the pruner stopped it. */
  prunedAt?: number;
  /**
   * With a pruner: the measured training time of one member for one epoch in the population
   * that trained this trial (core/study/pruning's memberEpochCost), in ms, for the time pruning saved.
   */
  memberEpochMs?: number;
  startedAt?: number;
  finishedAt?: number;
}

/** A study as stored: its spec and where it stands. */
export interface StudyRecord {
  id: string;
  createdAt: number;
  spec: StudySpec;
  status: 'running' | 'paused' | 'complete' | 'cancelled';
}

/**
 * A trial's trained network, as a study keeps it for its best trials (core/study/kept-weights),
 * so that the trial opens trained: its parameters in parameterShapes order with their shapes,
 * and how it does on the experiment's own validation part and, for a table, its test part.
 */
export interface TrialWeights {
  studyId: string;
  number: number;
  weights: Float32Array[];
  shapes: number[][];
  evaluation: { val: Evaluation; test?: Evaluation };
  /** The folds the trial was cross-validated over; with more than one, the network is fold 0's, trained on the other folds. */
  folds: number;
}

/** Learning-rate schedules, applied per epoch as a factor of the optimizer's lr. */
export type ScheduleSpec =
  | { kind: 'constant' }
  /** lr · gamma^floor(epoch / every), as torch.optim.lr_scheduler.StepLR. */
  | { kind: 'step'; every: number; gamma: number }
  /** Cosine from lr down to lr · minFactor over the run, as CosineAnnealingLR. */
  | { kind: 'cosine'; minFactor: number };

/**
 * How much each class weighs in the training loss of a classification: balanced (n / (K·n_c),
 * from the training labels, as scikit-learn's compute_class_weight) or typed, one weight per
 * class in class order.
 */
export type ClassWeightsSpec = { kind: 'balanced' } | { kind: 'typed'; weights: number[] };

/** How a run trains, as data. */
export interface TrainingSpec {
  /** Examples per step, from 1 to the training-set size (that is full-batch gradient descent). */
  batchSize: number;
  epochs: number;
  /** Clip the global gradient norm to this value; 0 turns clipping off. */
  clipNorm: number;
  /** Stop after this many epochs without a better validation loss and restore the best weights; 0 turns it off. */
  patience: number;
  schedule: ScheduleSpec;
  /** Class weights in the loss; absent, every point weighs the same. */
  classWeights?: ClassWeightsSpec;
}

/**
 * The metrics of one epoch. `metric` is accuracy for classification and R² for regression.
 * The training numbers are running means over the epoch's batches (with dropout on, as the
 * batches saw it), as Keras reports them; the validation numbers are measured at the epoch's
 * end.
 */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  trainMetric: number;
  valMetric: number;
}

/** How a run ended, or that it goes on. */
export type RunStatus =
  | 'running'
  | 'paused'
  | 'complete'
  | 'early-stopped'
  | 'diverged'
  | 'cancelled'
  | 'interrupted';

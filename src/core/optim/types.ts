import type * as tf from '@tensorflow/tfjs-core';

/** The optimizers tunelab knows, named as in the UI; each follows torch.optim's equations. */
export const OPTIMIZER_KINDS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'] as const;

/** One of {@link OPTIMIZER_KINDS}. */
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

/**
 * An optimizer as data: what a spec, a link or a study stores. Omitted hyperparameters take
 * torch.optim's defaults (see `OPTIMIZER_DEFAULTS`).
 */
export interface OptimizerSpec {
  kind: OptimizerKind;
  /** Learning rate (> 0). */
  lr: number;
  /** Momentum factor μ for momentum and nesterov (and rmsprop's optional momentum). */
  momentum?: number;
  /** RMSProp's smoothing constant α. */
  alpha?: number;
  /** Adam's first-moment decay β1. */
  beta1?: number;
  /** Adam's second-moment decay β2. */
  beta2?: number;
  /** Term added to the denominator for numerical stability. */
  eps?: number;
  /** Weight decay: L2 penalty added to the gradient, or decoupled for adamw. */
  weightDecay?: number;
}

/**
 * A hyperparameter's value: a number for one model, or a tensor that broadcasts against the
 * parameter (shape [P, 1, 1] for a population of P weight matrices [P, in, out], or [N, 1]
 * for N points [N, 2] in the landscape lab), so one update serves many models at once.
 */
export type Hyper = number | tf.Tensor;

/** Every hyperparameter of every optimizer, as numbers or broadcasting tensors. */
export interface OptimizerHypers {
  lr: Hyper;
  momentum: Hyper;
  alpha: Hyper;
  beta1: Hyper;
  beta2: Hyper;
  eps: Hyper;
  weightDecay: Hyper;
}

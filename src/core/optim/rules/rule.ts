import type * as tf from '@tensorflow/tfjs-core';
import type { Hyper, OptimizerHypers } from '../types';

/**
 * The hyperparameters of one step as the rules read them: every value a tensor made once (a
 * number would become a new tensor, and on a GPU a new upload, at every use), with the derived
 * constants computed in double precision where the inputs are numbers.
 */
export interface StepHypers extends OptimizerHypers {
  /** 1 − α, 1 − β1, 1 − β2: in float32, 1 − 0.999 would lose five digits. */
  oneMinusAlpha: Hyper;
  oneMinusBeta1: Hyper;
  oneMinusBeta2: Hyper;
  /** 1 − β1^t and 1 − β2^t for this step. */
  biasCorrection1: Hyper;
  biasCorrection2: Hyper;
  /** Whether weight decay is on (a zero skips its operations). */
  usesWeightDecay: boolean;
  /** Whether RMSProp's momentum is on. */
  usesMomentum: boolean;
}

/**
 * One update rule, as a pure function of tensors: given a parameter θ, its gradient g, the
 * rule's state slots and the step count t (from 1), it returns θ's new value and the new
 * state. Called inside tf.tidy by the Optimizer, which owns the variables.
 */
export interface UpdateRule {
  /** Names of the state slots, each a tensor of θ's shape starting at zero. */
  readonly slots: readonly string[];
  /** Whether it reads Adam's bias corrections (computed per step only for such rules). */
  readonly biasCorrected?: boolean;
  update(
    theta: tf.Tensor,
    grad: tf.Tensor,
    state: Record<string, tf.Tensor>,
    h: StepHypers,
    t: number,
  ): { theta: tf.Tensor; state: Record<string, tf.Tensor> };
}

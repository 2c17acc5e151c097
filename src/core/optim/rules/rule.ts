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
  /** 1 − β1^t and 1 − β2^t for this step (1 for rules that do not ask for them). */
  biasCorrection1: Hyper;
  biasCorrection2: Hyper;
  /** Whether weight decay is on (a zero skips its operations). */
  usesWeightDecay: boolean;
  /** Whether momentum is on (RMSProp's optional momentum reads it). */
  usesMomentum: boolean;
}

/** The state of one parameter under one rule: a tensor of θ's shape per slot name. */
export type RuleState = Record<string, tf.Tensor>;

/**
 * One update rule, as a pure function of tensors: given a parameter θ, its gradient g and the
 * rule's state slots, it returns θ's new value and the new state. The Optimizer calls it inside
 * tf.tidy and owns the variables; every slot starts at zero. A new optimizer kind is a new
 * module exporting one of these and one row in the Optimizer's table.
 */
export interface UpdateRule {
  /** Names of the state slots, each a tensor of θ's shape starting at zero. */
  readonly slots: readonly string[];
  /** Whether it reads Adam's bias corrections (computed per step only for such rules). */
  readonly biasCorrected?: boolean;
  update(theta: tf.Tensor, grad: tf.Tensor, state: RuleState, h: StepHypers): { theta: tf.Tensor; state: RuleState };
}

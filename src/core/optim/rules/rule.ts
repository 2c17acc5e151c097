import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerHypers } from '../types';

/**
 * One update rule, as a pure function of tensors: given a parameter θ, its gradient g, the
 * rule's state slots and the step count t (from 1), it returns θ's new value and the new
 * state. Called inside tf.tidy by the Optimizer, which owns the variables.
 */
export interface UpdateRule {
  /** Names of the state slots, each a tensor of θ's shape starting at zero. */
  readonly slots: readonly string[];
  update(
    theta: tf.Tensor,
    grad: tf.Tensor,
    state: Record<string, tf.Tensor>,
    h: OptimizerHypers,
    t: number,
  ): { theta: tf.Tensor; state: Record<string, tf.Tensor> };
}

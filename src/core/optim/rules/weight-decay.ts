import * as tf from '@tensorflow/tfjs-core';
import type { StepHypers } from './rule';

/** g ← g + λθ: weight decay as an L2 term in the gradient, as every torch.optim rule but AdamW. */
export function withWeightDecay(theta: tf.Tensor, grad: tf.Tensor, h: StepHypers): tf.Tensor {
  return h.usesWeightDecay ? tf.add(grad, tf.mul(h.weightDecay, theta)) : grad;
}

import * as tf from '@tensorflow/tfjs-core';
import type { UpdateRule } from './rule';
import { withWeightDecay } from './weight-decay';

/**
 * Plain stochastic gradient descent, torch.optim.SGD with momentum 0:
 *
 *   g ← ∇f(θ) + λθ
 *   θ ← θ − lr·g
 */
export const sgd: UpdateRule = {
  slots: [],
  update(theta, grad, state, h) {
    const g = withWeightDecay(theta, grad, h);
    return { theta: tf.sub(theta, tf.mul(h.lr, g)), state };
  },
};

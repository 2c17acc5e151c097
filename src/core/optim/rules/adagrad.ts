import * as tf from '@tensorflow/tfjs-core';
import type { UpdateRule } from './rule';
import { withWeightDecay } from './weight-decay';

/**
 * Adagrad, torch.optim.Adagrad (lr_decay 0, initial_accumulator_value 0):
 *
 *   g ← ∇f(θ) + λθ
 *   s ← s + g²
 *   θ ← θ − lr·g / (√s + ε)          (ε = 1e-10 by default)
 */
export const adagrad: UpdateRule = {
  slots: ['s'],
  update(theta, grad, state, h) {
    const g = withWeightDecay(theta, grad, h);
    const s = tf.add(state.s, tf.square(g));
    return { theta: tf.sub(theta, tf.div(tf.mul(h.lr, g), tf.add(tf.sqrt(s), h.eps))), state: { s } };
  },
};

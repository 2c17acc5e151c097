import * as tf from '@tensorflow/tfjs-core';
import type { RuleState, StepHypers, UpdateRule } from './rule';
import { withWeightDecay } from './weight-decay';

/** Adam's moment updates and step from gradient g on θ, shared with AdamW. */
export function adamStep(theta: tf.Tensor, g: tf.Tensor, state: RuleState, h: StepHypers) {
  const m = tf.add(tf.mul(h.beta1, state.m), tf.mul(h.oneMinusBeta1, g));
  const v = tf.add(tf.mul(h.beta2, state.v), tf.mul(h.oneMinusBeta2, tf.square(g)));
  const mHat = tf.div(m, h.biasCorrection1);
  const vHat = tf.div(v, h.biasCorrection2);
  return { theta: tf.sub(theta, tf.div(tf.mul(h.lr, mHat), tf.add(tf.sqrt(vHat), h.eps))), state: { m, v } };
}

/**
 * Adam, torch.optim.Adam (amsgrad off), t counting steps from 1:
 *
 *   g ← ∇f(θ) + λθ
 *   m ← β1·m + (1 − β1)·g            (β1 = 0.9, β2 = 0.999, ε = 1e-8 by default)
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ ← m / (1 − β1^t),  v̂ ← v / (1 − β2^t)
 *   θ ← θ − lr·m̂ / (√v̂ + ε)
 */
export const adam: UpdateRule = {
  slots: ['m', 'v'],
  biasCorrected: true,
  update(theta, grad, state, h) {
    return adamStep(theta, withWeightDecay(theta, grad, h), state, h);
  },
};

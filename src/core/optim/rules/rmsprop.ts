import * as tf from '@tensorflow/tfjs-core';
import type { UpdateRule } from './rule';
import { withWeightDecay } from './weight-decay';

/**
 * RMSProp, torch.optim.RMSprop (not centred):
 *
 *   g ← ∇f(θ) + λθ
 *   v ← α·v + (1 − α)·g²             (α = 0.99, ε = 1e-8, μ = 0 by default)
 *   θ ← θ − lr·g / (√v + ε)
 *
 * and, as torch, with momentum μ > 0:  b ← μ·b + g / (√v + ε);  θ ← θ − lr·b.
 */
export const rmsprop: UpdateRule = {
  slots: ['v', 'b'],
  update(theta, grad, state, h) {
    const g = withWeightDecay(theta, grad, h);
    const v = tf.add(tf.mul(h.alpha, state.v), tf.mul(h.oneMinusAlpha, tf.square(g)));
    const scaled = tf.div(g, tf.add(tf.sqrt(v), h.eps));
    if (!h.usesMomentum) return { theta: tf.sub(theta, tf.mul(h.lr, scaled)), state: { v, b: state.b } };
    const b = tf.add(tf.mul(h.momentum, state.b), scaled);
    return { theta: tf.sub(theta, tf.mul(h.lr, b)), state: { v, b } };
  },
};

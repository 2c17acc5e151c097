import * as tf from '@tensorflow/tfjs-core';
import type { StepHypers, UpdateRule } from './rule';
import { withWeightDecay } from './sgd';

/**
 * Adagrad, torch.optim.Adagrad (lr_decay 0, initial accumulator 0):
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

/**
 * RMSProp, torch.optim.RMSprop (not centred):
 *
 *   g ← ∇f(θ) + λθ
 *   v ← α·v + (1 − α)·g²             (α = 0.99, ε = 1e-8 by default)
 *   θ ← θ − lr·g / (√v + ε)
 *
 * and with momentum μ > 0:  b ← μ·b + g / (√v + ε);  θ ← θ − lr·b.
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

/** The Adam step shared by adam and adamw, on an already decayed θ and gradient g. */
function adamStep(theta: tf.Tensor, g: tf.Tensor, state: Record<string, tf.Tensor>, h: StepHypers) {
  const m = tf.add(tf.mul(h.beta1, state.m), tf.mul(h.oneMinusBeta1, g));
  const v = tf.add(tf.mul(h.beta2, state.v), tf.mul(h.oneMinusBeta2, tf.square(g)));
  const mHat = tf.div(m, h.biasCorrection1);
  const vHat = tf.div(v, h.biasCorrection2);
  return { theta: tf.sub(theta, tf.div(tf.mul(h.lr, mHat), tf.add(tf.sqrt(vHat), h.eps))), state: { m, v } };
}

/**
 * Adam, torch.optim.Adam (amsgrad off):
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

/**
 * AdamW, torch.optim.AdamW: decoupled weight decay, then Adam on the plain gradient.
 *
 *   θ ← θ − lr·λ·θ                   (λ = 0.01 by default)
 *   then Adam's m, v, m̂, v̂ and θ ← θ − lr·m̂ / (√v̂ + ε) with g = ∇f(θ)
 */
export const adamw: UpdateRule = {
  slots: ['m', 'v'],
  biasCorrected: true,
  update(theta, grad, state, h) {
    const decayed = h.usesWeightDecay ? tf.sub(theta, tf.mul(tf.mul(h.lr, h.weightDecay), theta)) : theta;
    return adamStep(decayed, grad, state, h);
  },
};

import * as tf from '@tensorflow/tfjs-core';
import type { StepHypers, UpdateRule } from './rule';

/** g ← g + λθ (weight decay as an L2 term, as torch.optim). */
export function withWeightDecay(theta: tf.Tensor, grad: tf.Tensor, h: StepHypers): tf.Tensor {
  return h.usesWeightDecay ? tf.add(grad, tf.mul(h.weightDecay, theta)) : grad;
}

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

/**
 * SGD with momentum μ (dampening 0), torch.optim.SGD(momentum=μ):
 *
 *   g ← ∇f(θ) + λθ
 *   b_t ← μ·b_{t−1} + g        (b_1 = g)
 *   θ ← θ − lr·b_t
 *
 * and with `nesterov`, torch.optim.SGD(momentum=μ, nesterov=True):  θ ← θ − lr·(g + μ·b_t).
 */
export function momentumRule(nesterov: boolean): UpdateRule {
  return {
    slots: ['b'],
    update(theta, grad, state, h, t) {
      const g = withWeightDecay(theta, grad, h);
      const b = t === 1 ? g : tf.add(tf.mul(h.momentum, state.b), g);
      const direction = nesterov ? tf.add(g, tf.mul(h.momentum, b)) : b;
      return { theta: tf.sub(theta, tf.mul(h.lr, direction)), state: { b } };
    },
  };
}

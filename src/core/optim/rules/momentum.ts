import * as tf from '@tensorflow/tfjs-core';
import type { RuleState, StepHypers, UpdateRule } from './rule';
import { withWeightDecay } from './weight-decay';

/**
 * The decayed gradient g and the momentum buffer b_t ← μ·b_{t−1} + g shared with Nesterov. torch
 * sets b_1 = g; the buffer starts at zero here, which gives the same b_1 = μ·0 + g.
 */
export function momentumBuffer(theta: tf.Tensor, grad: tf.Tensor, state: RuleState, h: StepHypers) {
  const g = withWeightDecay(theta, grad, h);
  return { g, b: tf.add(tf.mul(h.momentum, state.b), g) };
}

/**
 * SGD with momentum μ (dampening 0), torch.optim.SGD(momentum=μ):
 *
 *   g ← ∇f(θ) + λθ
 *   b_t ← μ·b_{t−1} + g          (b_1 = g; μ = 0.9 by default)
 *   θ ← θ − lr·b_t
 */
export const momentum: UpdateRule = {
  slots: ['b'],
  update(theta, grad, state, h) {
    const { b } = momentumBuffer(theta, grad, state, h);
    return { theta: tf.sub(theta, tf.mul(h.lr, b)), state: { b } };
  },
};

import * as tf from '@tensorflow/tfjs-core';
import { momentumBuffer } from './momentum';
import type { UpdateRule } from './rule';

/**
 * SGD with Nesterov momentum, torch.optim.SGD(momentum=μ, nesterov=True, dampening=0):
 *
 *   g ← ∇f(θ) + λθ
 *   b_t ← μ·b_{t−1} + g          (b_1 = g; μ = 0.9 by default)
 *   θ ← θ − lr·(g + μ·b_t)
 */
export const nesterov: UpdateRule = {
  slots: ['b'],
  update(theta, grad, state, h) {
    const { g, b } = momentumBuffer(theta, grad, state, h);
    return { theta: tf.sub(theta, tf.mul(h.lr, tf.add(g, tf.mul(h.momentum, b)))), state: { b } };
  },
};

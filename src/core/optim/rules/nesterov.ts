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
  update(o, theta, grad, state, h) {
    const { g, b } = momentumBuffer(o, theta, grad, state, h);
    return { theta: o.sub(theta, o.mul(h.lr, o.add(g, o.mul(h.momentum, b)))), state: { b } };
  },
};

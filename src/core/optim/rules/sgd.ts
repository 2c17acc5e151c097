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
  update(o, theta, grad, state, h) {
    const g = withWeightDecay(o, theta, grad, h);
    return { theta: o.sub(theta, o.mul(h.lr, g)), state };
  },
};

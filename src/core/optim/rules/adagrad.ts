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
  update(o, theta, grad, state, h) {
    const g = withWeightDecay(o, theta, grad, h);
    const s = o.add(state.s, o.square(g));
    return { theta: o.sub(theta, o.div(o.mul(h.lr, g), o.add(o.sqrt(s), h.eps))), state: { s } };
  },
};

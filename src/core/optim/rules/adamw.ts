import { adamStep } from './adam';
import type { UpdateRule } from './rule';

/**
 * AdamW, torch.optim.AdamW (amsgrad off): decoupled weight decay first, then Adam on the plain
 * gradient.
 *
 *   θ ← θ − lr·λ·θ                   (λ = 0.01 by default)
 *   g ← ∇f(θ)                        (no λθ term)
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
 *   m̂ ← m / (1 − β1^t),  v̂ ← v / (1 − β2^t)
 *   θ ← θ − lr·m̂ / (√v̂ + ε)
 */
export const adamw: UpdateRule = {
  slots: ['m', 'v'],
  biasCorrected: true,
  update(o, theta, grad, state, h) {
    const decayed = h.usesWeightDecay ? o.sub(theta, o.mul(o.mul(h.lr, h.weightDecay), theta)) : theta;
    return adamStep(o, decayed, grad, state, h);
  },
};

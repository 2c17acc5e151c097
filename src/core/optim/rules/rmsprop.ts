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
  update(o, theta, grad, state, h) {
    const g = withWeightDecay(o, theta, grad, h);
    const v = o.add(o.mul(h.alpha, state.v), o.mul(h.oneMinusAlpha, o.square(g)));
    const scaled = o.div(g, o.add(o.sqrt(v), h.eps));
    if (!h.usesMomentum) return { theta: o.sub(theta, o.mul(h.lr, scaled)), state: { v, b: state.b } };
    const b = o.add(o.mul(h.momentum, state.b), scaled);
    return { theta: o.sub(theta, o.mul(h.lr, b)), state: { v, b } };
  },
};

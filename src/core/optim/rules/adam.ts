import type { Arithmetic } from '../arithmetic';
import type { RuleState, StepHypers, UpdateRule } from './rule';
import { withWeightDecay } from './weight-decay';

/** Adam's moment updates and step from gradient g on θ, shared with AdamW. */
export function adamStep<T>(o: Arithmetic<T>, theta: T, g: T, state: RuleState<T>, h: StepHypers<T>) {
  const m = o.add(o.mul(h.beta1, state.m), o.mul(h.oneMinusBeta1, g));
  const v = o.add(o.mul(h.beta2, state.v), o.mul(h.oneMinusBeta2, o.square(g)));
  const mHat = o.div(m, h.biasCorrection1);
  const vHat = o.div(v, h.biasCorrection2);
  return { theta: o.sub(theta, o.div(o.mul(h.lr, mHat), o.add(o.sqrt(vHat), h.eps))), state: { m, v } };
}

/**
 * Adam, torch.optim.Adam (amsgrad off), t counting steps from 1:
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
  update(o, theta, grad, state, h) {
    return adamStep(o, theta, withWeightDecay(o, theta, grad, h), state, h);
  },
};

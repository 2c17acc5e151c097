import type { Arithmetic } from '../arithmetic';
import type { RuleState, StepHypers, UpdateRule } from './rule';
import { withWeightDecay } from './weight-decay';

/**
 * The decayed gradient g and the momentum buffer b_t ← μ·b_{t−1} + g shared with Nesterov. torch
 * sets b_1 = g; the buffer starts at zero here, which gives the same b_1 = μ·0 + g.
 */
export function momentumBuffer<T>(o: Arithmetic<T>, theta: T, grad: T, state: RuleState<T>, h: StepHypers<T>) {
  const g = withWeightDecay(o, theta, grad, h);
  return { g, b: o.add(o.mul(h.momentum, state.b), g) };
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
  update(o, theta, grad, state, h) {
    const { b } = momentumBuffer(o, theta, grad, state, h);
    return { theta: o.sub(theta, o.mul(h.lr, b)), state: { b } };
  },
};

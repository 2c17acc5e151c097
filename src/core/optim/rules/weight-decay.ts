import type { Arithmetic } from '../arithmetic';
import type { StepHypers } from './rule';

/** g ← g + λθ: weight decay as an L2 term in the gradient, as every torch.optim rule but AdamW. */
export function withWeightDecay<T>(o: Arithmetic<T>, theta: T, grad: T, h: StepHypers<T>): T {
  return h.usesWeightDecay ? o.add(grad, o.mul(h.weightDecay, theta)) : grad;
}

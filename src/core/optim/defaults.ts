import type { OptimizerHypers, OptimizerKind, OptimizerSpec } from './types';

/** Every hyperparameter as a plain number, as a spec resolves to. */
export type NumericHypers = { [K in keyof OptimizerHypers]: number };

/**
 * torch.optim's defaults for each optimizer (lr excepted: a spec always names it); fields a kind
 * does not read are listed anyway, so that switching kinds in a form never meets a hole. The
 * 'momentum' and 'nesterov' kinds mean momentum is on, so their μ is 0.9, where torch's SGD
 * defaults to 0.
 */
export const OPTIMIZER_DEFAULTS: Record<OptimizerKind, Omit<NumericHypers, 'lr'>> = {
  sgd: { momentum: 0, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  momentum: { momentum: 0.9, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  nesterov: { momentum: 0.9, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  adagrad: { momentum: 0, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-10, weightDecay: 0 },
  rmsprop: { momentum: 0, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  adam: { momentum: 0, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  adamw: { momentum: 0, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
};

/** Every hyperparameter of `spec` as a number, omitted ones taking the kind's default. */
export function resolveHypers(spec: OptimizerSpec): NumericHypers {
  const d = OPTIMIZER_DEFAULTS[spec.kind];
  return {
    lr: spec.lr,
    momentum: spec.momentum ?? d.momentum,
    alpha: spec.alpha ?? d.alpha,
    beta1: spec.beta1 ?? d.beta1,
    beta2: spec.beta2 ?? d.beta2,
    eps: spec.eps ?? d.eps,
    weightDecay: spec.weightDecay ?? d.weightDecay,
  };
}

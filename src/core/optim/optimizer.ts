import * as tf from '@tensorflow/tfjs-core';
import { OPTIMIZER_DEFAULTS, resolveHypers } from './defaults';
import { adagrad, adam, adamw, rmsprop } from './rules/adaptive';
import type { StepHypers, UpdateRule } from './rules/rule';
import { momentumRule, sgd } from './rules/sgd';
import type { Hyper, OptimizerHypers, OptimizerKind, OptimizerSpec } from './types';

/** The update rule of each optimizer kind; a new optimizer is a new rule and a new row. */
const RULES: Record<OptimizerKind, UpdateRule> = {
  sgd,
  momentum: momentumRule(false),
  nesterov: momentumRule(true),
  adagrad,
  rmsprop,
  adam,
  adamw,
};

/**
 * The one optimizer implementation of tunelab, used by training, population training and the
 * landscape lab alike. Hyperparameters are numbers, or tensors that broadcast against the
 * parameters so that many models or points take one step together, each with its own value.
 * The equations of each kind are in the doc comment of its rule (rules/sgd.ts,
 * rules/adaptive.ts) and follow torch.optim.
 *
 * @example
 * const x = tf.variable(tf.scalar(1));
 * const opt = Optimizer.fromSpec({ kind: 'sgd', lr: 0.1 });
 * const { grads } = tf.variableGrads(() => tf.square(x) as tf.Scalar, [x]);
 * opt.step([x], [grads[x.name]]);   // x = 1 − 0.1·2 = 0.8
 */
export class Optimizer {
  private readonly rule: UpdateRule;
  /** The hyperparameters as tensors, with the constants derived from them; made once. */
  private readonly constants: Omit<StepHypers, 'biasCorrection1' | 'biasCorrection2'>;
  private readonly betas: { beta1: Hyper; beta2: Hyper };
  /** Tensors this optimizer made (not the caller's), freed by dispose(). */
  private readonly owned: tf.Tensor[] = [];
  private state: tf.Variable[][] = [];
  private steps = 0;

  /**
   * @param kind which update rule
   * @param hypers lr and any other hyperparameter; the others take the kind's defaults. Tensor
   *   values stay the caller's: the optimizer reads them at every step and never disposes them.
   */
  constructor(
    readonly kind: OptimizerKind,
    hypers: Partial<OptimizerHypers> & { lr: Hyper },
  ) {
    this.rule = RULES[kind];
    const h: OptimizerHypers = { ...OPTIMIZER_DEFAULTS[kind], ...hypers };
    const tensor = (v: Hyper): tf.Tensor => (typeof v === 'number' ? this.own(tf.scalar(v)) : v);
    const oneMinus = (v: Hyper): tf.Tensor => (typeof v === 'number' ? this.own(tf.scalar(1 - v)) : this.own(tf.sub(1, v)));
    this.betas = { beta1: h.beta1, beta2: h.beta2 };
    this.constants = {
      lr: tensor(h.lr), momentum: tensor(h.momentum), alpha: tensor(h.alpha), beta1: tensor(h.beta1),
      beta2: tensor(h.beta2), eps: tensor(h.eps), weightDecay: tensor(h.weightDecay),
      oneMinusAlpha: oneMinus(h.alpha), oneMinusBeta1: oneMinus(h.beta1), oneMinusBeta2: oneMinus(h.beta2),
      usesWeightDecay: h.weightDecay !== 0, usesMomentum: h.momentum !== 0,
    };
  }

  /** An optimizer for a spec, with numbers for every hyperparameter. */
  static fromSpec(spec: OptimizerSpec): Optimizer {
    return new Optimizer(spec.kind, resolveHypers(spec));
  }

  /** Steps taken. */
  get t(): number {
    return this.steps;
  }

  /**
   * One update of every parameter from its gradient (index-matched), in place. The caller
   * keeps ownership of the gradients. `lrFactor` scales the learning rate (schedules).
   */
  step(params: tf.Variable[], grads: tf.Tensor[], lrFactor = 1): void {
    if (params.length !== grads.length) throw new Error('one gradient per parameter');
    this.steps++;
    const t = this.steps;
    tf.tidy(() => {
      // 1 − β^t in double precision when β is a number; two small uploads per step in all.
      const correction = (beta: Hyper) => (typeof beta === 'number' ? tf.scalar(1 - beta ** t) : tf.sub(1, tf.pow(beta, t)));
      const h: StepHypers = {
        ...this.constants,
        lr: lrFactor === 1 ? this.constants.lr : tf.mul(this.constants.lr, lrFactor),
        biasCorrection1: this.rule.biasCorrected ? correction(this.betas.beta1) : 1,
        biasCorrection2: this.rule.biasCorrected ? correction(this.betas.beta2) : 1,
      };
      params.forEach((param, i) => {
        const slots = (this.state[i] ??= this.rule.slots.map((_, k) =>
          tf.tidy(() => tf.variable(tf.zerosLike(param), false, `${param.name}/${this.rule.slots[k]}`)),
        ));
        const current = Object.fromEntries(this.rule.slots.map((name, k) => [name, slots[k] as tf.Tensor]));
        const next = this.rule.update(param, grads[i], current, h, t);
        param.assign(next.theta);
        this.rule.slots.forEach((name, k) => {
          if (next.state[name] !== current[name]) slots[k].assign(next.state[name]);
        });
      });
    });
  }

  /** Frees the optimizer's state and constants (not the parameters, not the caller's hyperparameter tensors). */
  dispose(): void {
    this.state.flat().forEach((v) => v.dispose());
    this.state = [];
    this.owned.forEach((t) => t.dispose());
    this.owned.length = 0;
  }

  private own<T extends tf.Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }
}

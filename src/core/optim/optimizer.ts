import * as tf from '@tensorflow/tfjs-core';
import { OPTIMIZER_DEFAULTS, resolveHypers } from './defaults';
import { adagrad, adam, adamw, rmsprop } from './rules/adaptive';
import type { UpdateRule } from './rules/rule';
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
  private readonly hypers: OptimizerHypers;
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
    this.hypers = { ...OPTIMIZER_DEFAULTS[kind], ...hypers };
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
      const h: OptimizerHypers = lrFactor === 1 ? this.hypers : { ...this.hypers, lr: tf.mul(this.hypers.lr, lrFactor) };
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

  /** Frees the optimizer's state (not the parameters, not the caller's hyperparameter tensors). */
  dispose(): void {
    this.state.flat().forEach((v) => v.dispose());
    this.state = [];
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { biasCorrection, type BiasCorrection } from './bias-correction';
import { OPTIMIZER_DEFAULTS, resolveHypers } from './defaults';
import { adagrad } from './rules/adagrad';
import { adam } from './rules/adam';
import { adamw } from './rules/adamw';
import { momentum } from './rules/momentum';
import { nesterov } from './rules/nesterov';
import { rmsprop } from './rules/rmsprop';
import type { RuleState, StepHypers, UpdateRule } from './rules/rule';
import { sgd } from './rules/sgd';
import type { Hyper, OptimizerHypers, OptimizerKind, OptimizerSpec } from './types';

/** The update rule of each optimizer kind; a new optimizer is a new rule module and a new row. */
const RULES: Record<OptimizerKind, UpdateRule> = { sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw };

/**
 * The one optimizer implementation of tunelab, used by training, population training and the
 * landscape lab alike. Hyperparameters are numbers, or tensors that broadcast against the
 * parameters so that many models or points take one step together, each with its own value.
 * The equations of each kind are in the doc comment of its rule (rules/<kind>.ts) and follow
 * torch.optim.
 *
 * @example
 * const x = tf.variable(tf.scalar(1));
 * const opt = Optimizer.fromSpec({ kind: 'sgd', lr: 0.1 });
 * const { value, grads } = tf.variableGrads(() => tf.square(x) as tf.Scalar, [x]);
 * opt.step([x], [grads[x.name]]);   // x = 1 − 0.1·2 = 0.8
 * tf.dispose([value, grads[x.name]]);
 * opt.dispose();
 */
export class Optimizer {
  private readonly rule: UpdateRule;
  /** The hyperparameters as tensors, with the constants derived from them; made once. */
  private readonly constants: Omit<StepHypers, 'biasCorrection1' | 'biasCorrection2'>;
  /** 1 − β1^t and 1 − β2^t, advanced at each step of a rule that reads them. */
  private readonly corrections: [BiasCorrection, BiasCorrection] | null;
  /** Tensors this optimizer made (not the caller's), freed by dispose(). */
  private readonly owned: tf.Tensor[] = [];
  /** One list of slot variables per parameter, index-matched with step()'s params. */
  private state: tf.Variable[][] = [];
  private steps = 0;

  /**
   * @param kind which update rule
   * @param hypers lr and any other hyperparameter; the others (and undefined ones) take the
   *   kind's defaults. Tensor values stay the caller's: the optimizer reads them at every step
   *   and never disposes them. lr may be a variable the caller assigns between steps; the
   *   others must keep their values, since 1 − α and 1 − β are derived from them once.
   */
  constructor(
    readonly kind: OptimizerKind,
    hypers: Partial<OptimizerHypers> & { lr: Hyper },
  ) {
    this.rule = RULES[kind];
    const given = Object.fromEntries(Object.entries(hypers).filter(([, v]) => v !== undefined));
    const h = { ...OPTIMIZER_DEFAULTS[kind], ...given } as OptimizerHypers;
    const tensor = (v: Hyper): tf.Tensor => (typeof v === 'number' ? this.own(tf.scalar(v)) : v);
    const oneMinus = (v: Hyper): tf.Tensor => this.own(typeof v === 'number' ? tf.scalar(1 - v) : tf.sub(1, v));
    const oneMinusBeta1 = oneMinus(h.beta1);
    const oneMinusBeta2 = oneMinus(h.beta2);
    this.constants = {
      lr: tensor(h.lr), momentum: tensor(h.momentum), alpha: tensor(h.alpha), beta1: tensor(h.beta1),
      beta2: tensor(h.beta2), eps: tensor(h.eps), weightDecay: tensor(h.weightDecay),
      oneMinusAlpha: oneMinus(h.alpha), oneMinusBeta1, oneMinusBeta2,
      usesWeightDecay: h.weightDecay !== 0, usesMomentum: h.momentum !== 0,
    };
    this.corrections = this.rule.biasCorrected
      ? [biasCorrection(h.beta1, oneMinusBeta1), biasCorrection(h.beta2, oneMinusBeta2)]
      : null;
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
    if (params.length !== grads.length) {
      throw new Error(`one gradient per parameter: ${params.length} parameters, ${grads.length} gradients`);
    }
    this.steps++;
    const t = this.steps;
    tf.tidy(() => {
      const h: StepHypers = {
        ...this.constants,
        lr: lrFactor === 1 ? this.constants.lr : tf.mul(this.constants.lr, lrFactor),
        biasCorrection1: this.corrections ? this.corrections[0].advance(t) : 1,
        biasCorrection2: this.corrections ? this.corrections[1].advance(t) : 1,
      };
      params.forEach((param, i) => {
        const slots = (this.state[i] ??= this.rule.slots.map(() => tf.variable(tf.zerosLike(param), false)));
        const current: RuleState = Object.fromEntries(this.rule.slots.map((name, k) => [name, slots[k]]));
        const next = this.rule.update(param, grads[i], current, h);
        param.assign(next.theta);
        this.rule.slots.forEach((name, k) => {
          if (next.state[name] !== current[name]) slots[k].assign(next.state[name]);
        });
      });
    });
  }

  /** Frees the optimizer's state and the constants it made (not the parameters, not the caller's hyperparameter tensors). */
  dispose(): void {
    this.state.flat().forEach((v) => v.dispose());
    this.state = [];
    this.corrections?.forEach((c) => c.dispose());
    this.owned.forEach((t) => t.dispose());
    this.owned.length = 0;
  }

  private own<T extends tf.Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }
}

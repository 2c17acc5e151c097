import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import { biasCorrection, type BiasCorrection } from './bias-correction';
import { OPTIMIZER_DEFAULTS, resolveHypers } from './defaults';
import { adagrad } from './rules/adagrad';
import { adam } from './rules/adam';
import { adamw } from './rules/adamw';
import { momentum } from './rules/momentum';
import { nesterov } from './rules/nesterov';
import { rmsprop } from './rules/rmsprop';
import { TENSOR_ARITHMETIC } from './arithmetic';
import type { RuleState, StepHypers, UpdateRule } from './rules/rule';
import { sgd } from './rules/sgd';
import type { Hyper, OptimizerHypers, OptimizerKind, OptimizerSpec } from './types';

/**
 * The update rule of each optimizer kind; a new optimizer is a new rule module and a new row.
 * The Optimizer runs them on tensors, the fused training steps on numbers and in shaders.
 */
export const RULES: Record<OptimizerKind, UpdateRule> = { sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw };

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
  private readonly constants: Omit<StepHypers<tf.Tensor>, 'biasCorrection1' | 'biasCorrection2'>;
  /** The bias correction of rules that do not read one. */
  private readonly one: tf.Tensor;
  /** 1 − β1^t and 1 − β2^t, advanced at each step of a rule that reads them. */
  private readonly corrections: [BiasCorrection, BiasCorrection] | null;
  /** Tensors this optimizer made (not the caller's), freed by dispose(). */
  private readonly owned: tf.Tensor[] = [];
  /** One list of slot variables per parameter, index-matched with step()'s params. */
  private state: tf.Variable[][] = [];
  /** Hyperparameter tensors broadcast to parameter shapes, by tensor, while its dataId is the same. */
  private readonly broadcasts = new Map<tf.Tensor, { dataId: object; byShape: Map<string, tf.Tensor> }>();
  private steps = 0;
  /** Whether steps update all parameters as one concatenated tensor; decided at the first step. */
  private fused: boolean | undefined;
  /** Whether β1 or β2 is a tensor (its bias correction then has its own shape). */
  private readonly tensorBetas: boolean;

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
    this.one = this.own(tf.scalar(1));
    this.tensorBetas = this.rule.biasCorrected === true && (typeof h.beta1 !== 'number' || typeof h.beta2 !== 'number');
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
    // One update over all parameters concatenated, instead of one per parameter, whenever the
    // rule's constants do not depend on the parameter's shape (tensor betas keep a running
    // bias correction of their own shape): a few kernels per step instead of a few per tensor.
    this.fused ??= params.length > 1 && !this.tensorBetas;
    tf.tidy(() => {
      const biasCorrection1 = this.corrections ? this.corrections[0].advance(t) : this.one;
      const biasCorrection2 = this.corrections ? this.corrections[1].advance(t) : this.one;
      const factor = lrFactor === 1 ? null : tf.scalar(lrFactor);
      const update = (theta: tf.Tensor, grad: tf.Tensor, i: number, fit: (v: tf.Tensor) => tf.Tensor): tf.Tensor => {
        const c = this.constants;
        const f = fit;
        const lr = f(c.lr);
        const h: StepHypers<tf.Tensor> = {
          ...c,
          lr: factor ? tf.mul(lr, factor) : lr,
          momentum: f(c.momentum), alpha: f(c.alpha), beta1: f(c.beta1), beta2: f(c.beta2), eps: f(c.eps),
          weightDecay: f(c.weightDecay), oneMinusAlpha: f(c.oneMinusAlpha), oneMinusBeta1: f(c.oneMinusBeta1),
          oneMinusBeta2: f(c.oneMinusBeta2), biasCorrection1, biasCorrection2,
        };
        const slots = (this.state[i] ??= this.rule.slots.map(() => tf.variable(tf.zerosLike(theta), false)));
        const current: RuleState<tf.Tensor> = Object.fromEntries(this.rule.slots.map((name, k) => [name, slots[k]]));
        const next = this.rule.update(TENSOR_ARITHMETIC, theta, grad, current, h);
        this.rule.slots.forEach((name, k) => {
          if (next.state[name] !== current[name]) slots[k].assign(next.state[name]);
        });
        return next.theta;
      };
      if (this.fused) {
        const flat = (ts: tf.Tensor[]) => tf.concat(ts.map((x) => tf.reshape(x, [-1])));
        const key = params.map((p) => p.shape.join('x')).join('|');
        const next = update(flat(params), flat(grads), 0, (v) => this.fitted(v, key, () => flat(params.map((p) => tf.broadcastTo(v, p.shape)))));
        let offset = 0;
        for (const param of params) {
          param.assign(tf.reshape(tf.slice(next, [offset], [param.size]), param.shape));
          offset += param.size;
        }
      } else {
        params.forEach((param, i) => {
          const fit = (v: tf.Tensor) =>
            util.arraysEqual(v.shape, param.shape) ? v : this.fitted(v, param.shape.join(','), () => tf.broadcastTo(v, param.shape));
          param.assign(update(param, grads[i], i, fit));
        });
      }
    });
  }

  /**
   * Takes over `from`'s state for members `rows` of the parameters' first axis: its slots, its
   * step count and its running bias corrections. This optimizer's hyperparameters are those of
   * the kept members; `shapes` are the parameters' shapes in `from`. A population that dropped
   * members goes on with a smaller optimizer, each survivor's update as before.
   */
  adoptRows(from: Optimizer, rows: number[], shapes: number[][]): void {
    const index = tf.tensor1d(rows, 'int32');
    const keep = (slot: tf.Tensor): tf.Tensor => {
      if (!from.fused) return tf.gather(slot, index);
      // One slot over every parameter, flattened one after another.
      let offset = 0;
      const parts = shapes.map((shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const part = tf.reshape(tf.slice(slot, [offset], [size]), shape);
        offset += size;
        return tf.reshape(tf.gather(part, index), [-1]);
      });
      return tf.concat(parts);
    };
    this.state = from.state.map((slots) => slots.map((slot) => tf.tidy(() => tf.variable(keep(slot), false))));
    this.steps = from.steps;
    this.fused = from.fused;
    this.corrections?.forEach((c, k) => c.adoptRows(from.corrections![k], index));
    index.dispose();
  }

  /**
   * A hyperparameter tensor as the rules should combine it with a parameter (or with all
   * parameters concatenated), `key` naming the shape: a scalar as it is, a one-element tensor
   * as a scalar, any other tensor made to the parameter's shape by `make` once and kept until
   * its value changes (lr is a variable the caller may assign: a new value has a new dataId).
   * On the cpu backend an element-wise operation of two tensors of one shape is ~20× faster
   * than one that broadcasts ([P, 1, 1] against [P, in, out]); on a GPU it costs the same.
   */
  private fitted(v: tf.Tensor, key: string, make: () => tf.Tensor): tf.Tensor {
    if (v.rank === 0) return v;
    let entry = this.broadcasts.get(v);
    if (!entry || entry.dataId !== v.dataId) {
      entry?.byShape.forEach((t) => t.dispose());
      entry = { dataId: v.dataId, byShape: new Map() };
      this.broadcasts.set(v, entry);
    }
    const k = v.size === 1 ? 'scalar' : key;
    let out = entry.byShape.get(k);
    if (!out) {
      out = tf.keep(v.size === 1 ? tf.reshape(v, []) : make());
      entry.byShape.set(k, out);
    }
    return out;
  }

  /** Frees the optimizer's state and the constants it made (not the parameters, not the caller's hyperparameter tensors). */
  dispose(): void {
    this.state.flat().forEach((v) => v.dispose());
    this.state = [];
    this.broadcasts.forEach((entry) => entry.byShape.forEach((t) => t.dispose()));
    this.broadcasts.clear();
    this.corrections?.forEach((c) => c.dispose());
    this.owned.forEach((t) => t.dispose());
    this.owned.length = 0;
  }

  private own<T extends tf.Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }
}

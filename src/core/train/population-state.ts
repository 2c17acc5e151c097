import * as tf from '@tensorflow/tfjs-core';
import { distillPointLosses, pointLosses, type LossKind } from '../model/loss';
import { NetworkParams, splitLayers, type ForwardTape, type NetworkIO } from '../model/network';
import { clipByGlobalNorm } from '../optim/clip';
import { compileRule } from '../optim/compiled-rule';
import { resolveHypers } from '../optim/defaults';
import { Optimizer } from '../optim/optimizer';
import type { OptimizerHypers } from '../optim/types';
import type { ExperimentSpec } from '../spec/experiment';
import { FusedStep, fusedWidth } from './fused/fused-step';
import { fusedPlan, HYPER_COLUMNS, stepTargetWidth, type StepWindow } from './fused/plan';
import { flattenWeights } from './weight-path';
import type { DistillOptions } from '../compress/distill';
import type { FakeQuantSettings } from '../compress/model';
import { fakeQuantizedActivations, fakeQuantizedLayers } from './fake-quant';

/** Per-member values as a tensor of shape `shape` ([P] padded with ones), or the number when all agree. */
function perMember(values: number[], shape: number[]): number | tf.Tensor {
  return values.every((v) => v === values[0]) ? values[0] : tf.tensor(values, shape);
}

/** The batched-operations path's per-member tensors, made for the members in the population. */
export interface BatchedOperations {
  optimizer: Optimizer;
  /** Each member's learning rate, [P, 1, 1], zero for members that no longer train. */
  lr: tf.Variable;
  /** Per layer, l1 and 2·l2 of every member on the weights and 0 on the bias row, [P, in + 1, out]; null without L1/L2. */
  penaltyRates: [tf.Tensor, tf.Tensor][] | null;
  /**
   * Per member and batch position, the sum over the epoch's batches so far of the loss and
   * (classification) of the correct predictions, [1 or 2, P, B]: reduced and read once per epoch.
   */
  sums: tf.Variable;
  /** Per layer, each member's pruning mask [P, in + 1, out]; null without pruning. */
  keep: tf.Tensor[] | null;
  /** Per hidden layer, each member's observed activation range [P, 2] (min, max), with activation quantization; else null. */
  observed: tf.Variable[] | null;
  /** The tensors above, and the optimizer's hyperparameter tensors, freed with them. */
  owned: tf.Tensor[];
}

/**
 * The training state of a population on the device: every member's parameters, optimizer
 * state, learning rate and (with early stopping) best weights, either as one fused state
 * ({@link FusedStep}) or as batched tensors and an {@link Optimizer}. Its rows are the members
 * still in the population ({@link rows}); a member that stops training is dropped at the next
 * epoch ({@link keepRows}), its weights kept aside, so that every later step computes for the
 * members that still train alone.
 */
export class PopulationState {
  /** The networks being trained, one row per member in {@link rows}. */
  readonly net: NetworkParams;
  /** The fused path's state and step, or null. */
  readonly fused: FusedStep | null;
  /** The batched-operations path's optimizer, rates and sums, or null when steps are fused. */
  private ops: BatchedOperations | null;
  /** The member (index into the specs) each row holds, in order. */
  private members: number[];
  /** Each row's weights at its best validation loss, when early stopping is on. */
  private best: tf.Tensor[] | null = null;
  /** Whether any member uses L1 or L2. */
  readonly penalties: boolean;
  /** True when the fused state has stepped since the network's variables were last written. */
  private stale = false;
  /** The weights of members dropped from the population, [1, in + 1, out] per layer. */
  private readonly retired = new Map<number, tf.Tensor[]>();
  private readonly hypers: OptimizerHypers[];
  /** 1/B by batch size. */
  private readonly inverseSizes = new Map<number, tf.Scalar>();

  /**
   * @param specs every member's experiment
   * @param io the networks' inputs and outputs
   * @param initial every member's initial parameters
   * @param kind the loss
   * @param batchSize the largest batch
   * @param fused whether to step with a fused kernel where the backend has one
   * @param masks every member's pruning masks (parameterShapes order, 1 keeps, 0 prunes): masked
   *   parameters get no gradient, so those that start at 0 stay 0
   * @param quantization quantization-aware training (fake-quantized passes, straight-through updates), or null
   * @param distill knowledge distillation's T and α (target rows [p_T, y]), or null
   * @param classWeights each class's weight in the training loss, or null
   */
  constructor(
    readonly specs: ExperimentSpec[],
    io: NetworkIO,
    initial: Float32Array[][],
    private readonly kind: LossKind,
    private readonly batchSize: number,
    fused: boolean,
    private readonly masks?: Uint8Array[][],
    private readonly quantization: FakeQuantSettings | null = null,
    private readonly distill: DistillOptions | null = null,
    private readonly classWeights: number[] | null = null,
  ) {
    const first = specs[0];
    this.members = specs.map((_, p) => p);
    this.hypers = specs.map((s) => resolveHypers(s.optimizer));
    this.net = new NetworkParams(first.model, io, initial);
    this.penalties = specs.some((s) => s.model.l1 > 0 || s.model.l2 > 0);
    const hypers = this.hypers;
    const plan = fusedPlan({
      members: specs.length, widths: this.net.widths, activations: first.model.hidden.map((l) => l.activation), kind,
      batch: batchSize, dropout: specs.some((s) => s.model.dropout > 0), penalties: this.penalties,
      pruning: masks !== undefined, clipNorm: first.training.clipNorm, quantization, distill, classWeights,
      rule: compileRule(first.optimizer.kind, { usesWeightDecay: hypers.some((h) => h.weightDecay !== 0), usesMomentum: hypers.some((h) => h.momentum !== 0) }),
    });
    const width = fused ? fusedWidth(plan, tf.getBackend()) : null;
    const keep = masks && Float32Array.from(masks.flatMap((member) => member.flatMap((m) => Array.from(m))));
    this.fused = width === null ? null : new FusedStep(plan, width, initial, specs.map((s, p) => hyperRow(hypers[p], s)), keep);
    this.ops = this.fused ? null : this.makeOperations();
  }

  /** The member (index into the specs) each row holds, in order. */
  get rows(): readonly number[] {
    return this.members;
  }

  /** The batched-operations path's optimizer, rates and sums, or null when steps are fused. */
  get operations(): BatchedOperations | null {
    return this.ops;
  }

  /** Members in the population. */
  get size(): number {
    return this.members.length;
  }

  /**
   * One optimizer step of every member in the population on its batch, rows `window` of the
   * epoch's layout `x`, `t` (see layOutEpoch), with each hidden layer's keep masks [P, B, units]
   * when members use dropout: a forward pass that keeps what the backward pass needs, the loss
   * gradient in closed form, dW_b = [h, 1]ᵀ·dz per layer (no autodiff tape), the L1/L2 terms,
   * clipping, and one optimizer update per layer; the batch's loss and correct predictions are
   * added to each member's epoch sums on the device. One fused kernel where the backend has
   * one, else batched tensor operations.
   */
  step(x: tf.Tensor, t: tf.Tensor, window: StepWindow, masks: Float32Array[] | undefined): void {
    if (this.fused) {
      const packed = masks ? tf.tensor1d(flattenWeights(masks)) : null;
      this.fused.step(x, t, window, packed);
      packed?.dispose();
      this.stale = true;
    } else {
      this.stepOperations(x, t, window, masks);
    }
  }

  /** {@link step} as batched tensor operations. */
  private stepOperations(x: tf.Tensor, t: tf.Tensor, { start, rows: size, lrFactor }: StepWindow, masks: Float32Array[] | undefined): void {
    const P = this.size;
    const { training, model } = this.specs[0];
    const { optimizer, sums, penaltyRates: rates, keep, observed } = this.ops!;
    const quantization = this.quantization;
    const net = this.net;
    const inputs = net.io.inputs + 1;
    const width = stepTargetWidth({ kind: this.kind, widths: net.widths, distill: this.distill });
    tf.tidy(() => {
      const xb = tf.reshape(tf.slice(x, [P * start * inputs], [P * size * inputs]), [P, size, inputs]);
      const tb = tf.reshape(tf.slice(t, [P * start * width], [P * size * width]), width > 1 ? [P, size, width] : [P, size]);
      const dropout = masks?.map((mask, l) => tf.tensor3d(mask, [P, size, model.hidden[l].units]));
      const tape: ForwardTape = { inputs: [], z: [], a: [], weights: [], dropout };
      const ranges: tf.Tensor[] = [];
      if (observed) {
        tape.quantize = (a, l) => {
          const quantized = fakeQuantizedActivations(a, observed[l]);
          ranges[l] = quantized.observed;
          return quantized.values as tf.Tensor3D;
        };
      }
      // The passes compute with fake-quantized kernels; the gradient updates the float ones.
      const layers = quantization ? fakeQuantizedLayers(net.variables, net.widths, quantization) : undefined;
      const logits = net.forwardAugmented(xb, dropout, tape, layers);
      ranges.forEach((range, l) => observed![l].assign(range));
      let { loss, correct, grad } = this.distill
        ? distillPointLosses(logits, tb, this.distill.temperature, this.distill.alpha, this.inverseSize(size))
        : pointLosses(this.kind, logits, tb, this.inverseSize(size));
      if (this.classWeights) {
        // Each point's loss and gradient times its class's weight (binary targets code class 1 as −1).
        const weights = this.classWeights;
        const w = this.kind === 'binary' ? tf.add(weights[0], tf.mul(tf.cast(tf.less(tb, 0), 'float32'), weights[1] - weights[0])) : tf.sum(tf.mul(tb, tf.tensor1d(weights)), 2);
        loss = tf.mul(loss, w);
        grad = tf.mul(grad!, grad!.rank === 3 ? tf.expandDims(w, 2) : w);
      }
      // Summed per point on the device and reduced once per epoch: a reduction per step costs
      // more on a GPU than the add. The last, smaller batch is padded with zeros.
      let points = correct ? tf.stack([loss, correct]) : tf.expandDims(loss, 0);
      if (size < this.batchSize) points = tf.pad(points, [[0, 0], [0, 0], [0, this.batchSize - size]]);
      sums.assign(tf.add(sums, points));
      let grads = net.backward(tape, grad!);
      if (rates) {
        // ∂/∂W of l1·Σ|W| + l2·ΣW², biases excepted (their rates are zero): l1·sign(W) + 2·l2·W.
        grads = grads.map((g, l) => {
          const w = net.variables[l];
          return tf.add(g, tf.add(tf.mul(rates[l][0], tf.sign(w)), tf.mul(rates[l][1], w)));
        });
      }
      if (keep) grads = grads.map((g, l) => tf.mul(g, keep[l]));
      if (training.clipNorm > 0) grads = clipByGlobalNorm(grads, training.clipNorm, true);
      optimizer.step(net.variables, grads, lrFactor);
    });
  }

  /** 1/B as a scalar tensor made once per batch size. */
  private inverseSize(size: number): tf.Scalar {
    let s = this.inverseSizes.get(size);
    if (!s) this.inverseSizes.set(size, (s = tf.keep(tf.scalar(1 / size))));
    return s;
  }

  /** Writes the fused state's parameters into the network's variables, when it has stepped since. */
  syncNetwork(): void {
    if (!this.stale) return;
    this.fused!.writeTo(this.net);
    this.stale = false;
  }

  /** The row of member p, or −1 when it left the population. */
  rowOf(p: number): number {
    return this.members.indexOf(p);
  }

  /** Each row's learning rate from now on (zero for a member that no longer trains). */
  setLearningRates(lr: number[]): void {
    if (this.fused) this.fused.setLearningRates(lr);
    else tf.tidy(() => this.ops!.lr.assign(tf.tensor(lr, [this.size, 1, 1])));
  }

  /** Keeps a copy of the weights of the rows whose validation loss just improved. */
  keepBest(improved: boolean[]): void {
    this.syncNetwork();
    const previous = this.best ?? undefined;
    const mask = tf.tensor(improved.map(Number), [this.size, 1, 1]);
    const weights = this.net.variables.map((v, k) =>
      previous ? tf.tidy(() => tf.where(tf.cast(tf.broadcastTo(mask, v.shape), 'bool'), v, previous[k])) : tf.clone(v),
    );
    mask.dispose();
    previous?.forEach((w) => w.dispose());
    this.best = weights;
  }

  /** Gives the rows in `restore` back their best weights. */
  restoreBest(restore: boolean[]): void {
    const best = this.best;
    if (!best || !restore.some(Boolean)) return;
    this.syncNetwork();
    tf.tidy(() => {
      const mask = tf.cast(tf.tensor(restore.map(Number), [this.size, 1, 1]), 'bool');
      this.net.variables.forEach((v, k) => v.assign(tf.where(tf.broadcastTo(mask, v.shape), best[k], v)));
    });
    this.fused?.readFrom(this.net);
  }

  /**
   * Keeps the members in `members` (a subset of {@link rows}, in their order) and drops the
   * others: their weights are kept aside ({@link weightsOf}), every tensor of the population
   * shrinks to the kept rows, and each kept member goes on exactly as it would have. Call it
   * between epochs (the batched path's sums start again from zero).
   */
  keepRows(members: readonly number[]): void {
    const keep = members.map((p) => this.rowOf(p));
    this.syncNetwork();
    this.members.forEach((p, r) => {
      if (keep.includes(r)) return;
      this.retired.set(p, this.net.variables.map((v) => tf.slice(v, [r, 0, 0], [1, -1, -1])));
    });
    const shapes = this.net.variables.map((v) => v.shape);
    this.net.keepRows(keep);
    this.fused?.keepRows(keep);
    if (this.best) {
      const index = tf.tensor1d(keep, 'int32');
      const best = this.best.map((w) => tf.gather(w, index));
      index.dispose();
      tf.dispose(this.best);
      this.best = best;
    }
    this.members = members.slice();
    const before = this.ops;
    if (before) {
      this.ops = this.makeOperations();
      this.ops.optimizer.adoptRows(before.optimizer, keep, shapes);
      this.ops.observed?.forEach((v, l) => tf.tidy(() => v.assign(tf.gather(before.observed![l], keep))));
      before.optimizer.dispose();
      tf.dispose(before.owned);
    }
  }

  /** Member p's parameters in parameterShapes order, in the population or dropped from it. */
  async weightsOf(p: number): Promise<Float32Array[]> {
    const retired = this.retired.get(p);
    if (!retired) {
      this.syncNetwork();
      return (await this.net.read())[this.rowOf(p)];
    }
    const layers = (await Promise.all(retired.map((t) => t.data()))) as Float32Array[];
    return splitLayers(this.net.widths, layers);
  }

  /** Frees every tensor of the population. */
  dispose(): void {
    this.net.dispose();
    this.fused?.dispose();
    if (this.ops) {
      this.ops.optimizer.dispose();
      tf.dispose(this.ops.owned);
    }
    this.best?.forEach((w) => w.dispose());
    this.retired.forEach((ws) => tf.dispose(ws));
    this.inverseSizes.forEach((t) => t.dispose());
  }

  /** The batched path's optimizer, learning rates, L1/L2 rates and sums for the members in the population. */
  private makeOperations(): BatchedOperations {
    const owned: tf.Tensor[] = [];
    const own = <T extends number | tf.Tensor>(v: T): T => (typeof v === 'number' ? v : (owned.push(v), v));
    const P = this.size;
    const specs = this.members.map((p) => this.specs[p]);
    const hypers = this.members.map((p) => this.hypers[p]);
    const columns = (key: keyof OptimizerHypers) => own(perMember(hypers.map((h) => h[key] as number), [P, 1, 1]));
    // A variable the optimizer reads at every step: freezing a member is one assign.
    const lr = own(tf.tidy(() => tf.variable(tf.tensor(hypers.map((h) => h.lr as number), [P, 1, 1]), false)));
    const optimizer = new Optimizer(specs[0].optimizer.kind, {
      lr, momentum: columns('momentum'), alpha: columns('alpha'), beta1: columns('beta1'),
      beta2: columns('beta2'), eps: columns('eps'), weightDecay: columns('weightDecay'),
    });
    const sums = own(tf.tidy(() => tf.variable(tf.zeros([this.kind === 'regression' ? 1 : 2, P, this.batchSize]), false)));
    const penaltyRates = this.penalties
      ? this.net.widths.map(([i, o]): [tf.Tensor, tf.Tensor] => {
          const rate = (value: (s: ExperimentSpec) => number) => {
            const values = new Float32Array(P * (i + 1) * o);
            specs.forEach((s, p) => values.fill(value(s), p * (i + 1) * o, p * (i + 1) * o + i * o));
            return own(tf.tensor3d(values, [P, i + 1, o]));
          };
          return [rate((s) => s.model.l1), rate((s) => 2 * s.model.l2)];
        })
      : null;
    const masks = this.masks && this.members.map((p) => this.masks![p]);
    const keep = masks
      ? this.net.widths.map(([i, o], l) => own(tf.tensor3d(Float32Array.from(masks.flatMap((member) => [...member[2 * l], ...member[2 * l + 1]])), [P, i + 1, o])))
      : null;
    const observed = this.quantization?.activations ? specs[0].model.hidden.map(() => own(tf.tidy(() => tf.variable(tf.zeros([P, 2]), false)))) : null;
    return { optimizer, lr, penaltyRates, sums, keep, observed, owned };
  }
}

/** A member's row of the fused step's hyperparameter table, in double precision. */
function hyperRow(h: OptimizerHypers, spec: ExperimentSpec): number[] {
  const n = (key: keyof OptimizerHypers) => h[key] as number;
  const values: Record<(typeof HYPER_COLUMNS)[number], number> = {
    lr: n('lr'), momentum: n('momentum'), alpha: n('alpha'), beta1: n('beta1'), beta2: n('beta2'), eps: n('eps'),
    weightDecay: n('weightDecay'), oneMinusAlpha: 1 - n('alpha'), oneMinusBeta1: 1 - n('beta1'), oneMinusBeta2: 1 - n('beta2'),
    l1: spec.model.l1, twoL2: 2 * spec.model.l2,
  };
  return HYPER_COLUMNS.map((c) => values[c]);
}

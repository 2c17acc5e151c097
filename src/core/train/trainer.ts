import * as tf from '@tensorflow/tfjs-core';
import '../autodiff';
import { featurize } from '../data/features';
import type { Dataset, SplitDataset } from '../data/types';
import { classificationScores, regressionScores, type Evaluation } from '../model/evaluation';
import { dataLoss, encodeTargets, lossKind, pointLosses, type LossKind } from '../model/loss';
import { NetworkParams, initialParameters, networkIO, splitLayers, type ForwardTape, type NetworkIO } from '../model/network';
import { decisionGridTensor, generatedFrame, sliceFrame, type PictureFrame } from '../model/predict';
import { Optimizer } from '../optim/optimizer';
import { clipByGlobalNorm } from '../optim/clip';
import { resolveHypers } from '../optim/defaults';
import { lrFactor } from '../optim/schedule';
import type { OptimizerHypers } from '../optim/types';
import { compileRule } from '../optim/compiled-rule';
import { createRng, type Rng } from '../random/prng';
import type { ExperimentSpec } from '../spec/experiment';
import { FusedStep, fusedWidth } from './fused/fused-step';
import { fusedPlan, HYPER_COLUMNS } from './fused/plan';
import type { EpochMetrics } from './types';

/** Where a member of a population stands. */
export type MemberStatus = 'training' | 'complete' | 'early-stopped' | 'diverged' | 'pruned';

/** One member's course so far. */
export interface MemberState {
  status: MemberStatus;
  history: EpochMetrics[];
  /** The epoch whose loss was not finite, for 'diverged'. */
  divergedAt?: number;
  /** The epoch of the best validation loss, when early stopping is on. */
  bestEpoch?: number;
}

/** A dataset's network inputs [n, inputs] and targets on the device: [n], or one-hot [n, K] for K > 2 classes. */
interface DeviceSet {
  x: tf.Tensor2D;
  y: tf.Tensor;
  n: number;
}

/** The network's inputs for a dataset: a table's rows as they are, a generated set's chosen features. */
export function inputsOf(data: Dataset, spec: ExperimentSpec): Float32Array {
  return spec.data.kind === 'table' ? data.x : featurize(data.x, spec.model.features);
}

function toDevice(data: Dataset, spec: ExperimentSpec, io: NetworkIO): DeviceSet {
  return tf.tidy(() => ({
    x: tf.tensor2d(inputsOf(data, spec), [data.n, io.inputs]),
    y: io.outputs > 1 ? tf.cast(tf.oneHot(tf.tensor1d(data.y, 'int32'), io.outputs), 'float32') : tf.tensor1d(data.y),
    n: data.n,
  }));
}

/** The decision picture's frame: a generated set's square, or a slice through a table's first two inputs. */
function frameOf(data: Dataset, spec: ExperimentSpec, axes: [number, number]): PictureFrame {
  return data.domain ? generatedFrame(data.domain, spec.model.features) : sliceFrame(data, axes);
}

/**
 * Why two experiments cannot train in one population, or null when they can: members share
 * the data, the architecture, the optimizer kind, the batch size, the epochs, the schedule and
 * the clipping; everything else (learning rate and the other hyperparameters, L1/L2, dropout,
 * patience, seed) may differ per member.
 */
export function incompatibility(a: ExperimentSpec, b: ExperimentSpec): string | null {
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (!same(a.data, b.data)) return 'data';
  if (!same(a.model.features, b.model.features) || !same(a.model.hidden, b.model.hidden)) return 'architecture';
  if (a.optimizer.kind !== b.optimizer.kind) return 'optimizer kind';
  const ta = a.training, tb = b.training;
  if (ta.batchSize !== tb.batchSize || ta.epochs !== tb.epochs) return 'batch size or epochs';
  if (!same(ta.schedule, tb.schedule) || ta.clipNorm !== tb.clipNorm) return 'schedule or clipping';
  return null;
}

/** Per-member values as a tensor of shape `shape` ([P] padded with ones), or the number when all agree. */
function perMember(values: number[], shape: number[]): number | tf.Tensor {
  return values.every((v) => v === values[0]) ? values[0] : tf.tensor(values, shape);
}

/** How a Trainer steps. */
export interface TrainerOptions {
  /**
   * Whether to take each step as one fused kernel where the backend has one (cpu, webgpu),
   * the default; false steps with batched tensor operations on every backend, as the others
   * do (for comparisons: both give the same numbers within float32 rounding).
   */
  fused?: boolean;
}

/**
 * Trains P experiments together as one batched computation (P = 1 for a single run): weights
 * as [P, in, out] tensors, each member with its own initial weights, example order, dropout
 * masks, optimizer state and hyperparameters, each member's result the same as training it
 * alone. No `model.fit`: on the cpu and WebGPU backends each step is one fused kernel
 * ({@link FusedStep}), elsewhere a few batched operations; one read from the device per
 * epoch. A member that diverges, stops early or is pruned is frozen; the others go on.
 *
 * Seeded: every random draw of member p derives from `members[p].seed`.
 *
 * @example
 * const t = new Trainer([spec], splitDataset(generateDataset(spec.data), spec.data.trainRatio, spec.data.seed));
 * while (!t.done) { t.stepBatch(); if (t.atEpochEnd) await t.endEpoch(); }
 * t.dispose();
 */
export class Trainer {
  /** The networks being trained. */
  readonly net: NetworkParams;
  /** The widths of the networks' inputs and outputs, from the data. */
  readonly io: NetworkIO;
  /** What the decision picture shows; see {@link setPictureAxes}. */
  frame: PictureFrame;
  /** Epochs completed. */
  epoch = 0;
  /** Batches done in the current epoch. */
  batchInEpoch = 0;
  /** Each member's course. */
  readonly members: MemberState[];

  /** The batched-operations path's optimizer, or null when steps are fused. */
  private readonly optimizer: Optimizer | null;
  /** The fused path's state and step, or null. */
  private readonly fused: FusedStep | null;
  /** True when the fused state has stepped since the network's variables were last written. */
  private stale = false;
  private readonly owned: tf.Tensor[] = [];
  private readonly kind: LossKind;
  /** Training inputs [n, inputs] and encoded targets [n, K or 1], on the host: each epoch's order is laid out here. */
  private readonly trainX: Float32Array;
  private readonly trainT: Float32Array;
  /** Validation inputs with a column of ones, [1, n, inputs + 1], and encoded targets, on the device. */
  private readonly valX: tf.Tensor;
  private readonly valT: tf.Tensor;
  /** Σ(y − ȳ)² of the training and validation targets, for R². */
  private readonly totals: [number, number];
  /**
   * Per member and batch position, the sum over the epoch's batches so far of the loss and
   * (classification) of the correct predictions, [1 or 2, P, B]: reduced and read once per epoch.
   */
  private readonly sums: tf.Variable | null;
  /** Examples seen since the epoch began. */
  private seen = 0;
  /** Per layer, l1 and 2·l2 of every member on the weights and 0 on the bias row, [P, in + 1, out]; null without L1/L2. */
  private readonly penaltyRates: [tf.Tensor, tf.Tensor][] | null;
  /** 1/B by batch size. */
  private readonly inverseSizes = new Map<number, tf.Scalar>();
  private readonly rngs: Rng[];
  private readonly batchSize: number;
  private readonly baseLr: number[];
  /** Each member's learning rate, [P, 1, 1], zero for members that no longer train; null when steps are fused. */
  private readonly lr: tf.Variable | null;
  private readonly frozen: boolean[];
  /**
   * This epoch's inputs with a column of ones and its encoded targets, as flat tensors laid
   * out batch by batch, each batch's block [P, B, …] in one piece: a step slices one
   * contiguous block, which on the cpu backend is a copy-free view.
   */
  private epochX: tf.Tensor | null = null;
  private epochT: tf.Tensor | null = null;
  /** Each member's weights at its best validation loss, when early stopping is on. */
  private best: tf.Tensor[] | null = null;

  constructor(
    readonly specs: ExperimentSpec[],
    readonly data: SplitDataset,
    options: TrainerOptions = {},
  ) {
    const first = specs[0];
    const odd = specs.map((s) => incompatibility(first, s)).find((r) => r !== null);
    if (odd) throw new Error(`Members of a population must share their ${odd}`);
    const seeders = specs.map((s) => createRng(s.seed));
    const inputs = first.data.kind === 'table' ? data.train.dims : first.model.features.length;
    this.io = networkIO(inputs, data.train.classes);
    const initial = seeders.map((r) => initialParameters(first.model, this.io, r.fork()));
    this.net = new NetworkParams(first.model, this.io, initial);
    this.frame = frameOf(data.train, first, [0, Math.min(1, inputs - 1)]);
    this.rngs = seeders.map((r) => createRng(r.fork()));
    this.members = specs.map(() => ({ status: 'training', history: [] }));

    const P = specs.length;
    const hypers = specs.map((s) => resolveHypers(s.optimizer));
    const own = <T extends number | tf.Tensor>(v: T): T => (typeof v === 'number' ? v : (this.owned.push(v), v));
    const columns = (key: keyof OptimizerHypers) => own(perMember(hypers.map((h) => h[key] as number), [P, 1, 1]));
    this.baseLr = hypers.map((h) => h.lr as number);
    this.frozen = specs.map(() => false);
    this.kind = lossKind(data.train.problem, this.io.outputs);
    this.batchSize = Math.min(first.training.batchSize, data.train.n);
    const plan = fusedPlan({
      members: P, widths: this.net.widths, activations: first.model.hidden.map((l) => l.activation), kind: this.kind,
      batch: this.batchSize, dropout: specs.some((s) => s.model.dropout > 0), penalties: specs.some((s) => s.model.l1 > 0 || s.model.l2 > 0),
      clipNorm: first.training.clipNorm,
      rule: compileRule(first.optimizer.kind, { usesWeightDecay: hypers.some((h) => h.weightDecay !== 0), usesMomentum: hypers.some((h) => h.momentum !== 0) }),
    });
    const stateWidth = options.fused === false ? null : fusedWidth(plan, tf.getBackend());
    this.fused = stateWidth === null ? null : new FusedStep(plan, stateWidth, initial, specs.map((s, p) => hyperRow(hypers[p], s)));
    if (this.fused) {
      this.lr = null;
      this.optimizer = null;
    } else {
      // A variable the optimizer reads at every step: freezing a member is one assign.
      this.lr = own(tf.tidy(() => tf.variable(tf.tensor(this.baseLr, [P, 1, 1]), false)));
      this.optimizer = new Optimizer(first.optimizer.kind, {
        lr: this.lr, momentum: columns('momentum'), alpha: columns('alpha'), beta1: columns('beta1'),
        beta2: columns('beta2'), eps: columns('eps'), weightDecay: columns('weightDecay'),
      });
    }
    const classes = this.io.outputs;
    this.trainX = inputsOf(data.train, first);
    this.trainT = encodeTargets(this.kind, data.train.y, classes);
    const width = this.kind === 'multiclass' ? [classes] : [];
    const valInputs = inputsOf(data.val, first);
    this.valX = own(tf.tensor3d(withOnes(valInputs, data.val.n, inputs), [1, data.val.n, inputs + 1]));
    this.valT = own(tf.tensor(encodeTargets(this.kind, data.val.y, classes), [data.val.n, ...width]));
    this.totals = [sumOfSquares(data.train.y), sumOfSquares(data.val.y)];
    this.sums = this.fused ? null : own(tf.tidy(() => tf.variable(tf.zeros([this.kind === 'regression' ? 1 : 2, P, this.batchSize]), false)));
    this.penaltyRates = !this.fused && plan.penalties
      ? this.net.widths.map(([i, o]) => {
          const rate = (value: (s: ExperimentSpec) => number) => {
            const values = new Float32Array(P * (i + 1) * o);
            specs.forEach((s, p) => values.fill(value(s), p * (i + 1) * o, p * (i + 1) * o + i * o));
            return own(tf.tensor3d(values, [P, i + 1, o]));
          };
          return [rate((s) => s.model.l1), rate((s) => 2 * s.model.l2)];
        })
      : null;
  }

  /** Number of members. */
  get size(): number {
    return this.specs.length;
  }

  /** Optimizer steps in one epoch (the last batch may be smaller). */
  get batchesPerEpoch(): number {
    return Math.ceil(this.train.n / this.batchSize);
  }

  /** True when the current epoch's batches are all done and {@link endEpoch} is due. */
  get atEpochEnd(): boolean {
    return this.batchInEpoch >= this.batchesPerEpoch;
  }

  /** True when no member trains any more. */
  get done(): boolean {
    return this.members.every((m) => m.status !== 'training');
  }

  /** Whether the problem is classification (sigmoid output) or regression. */
  get problem() {
    return this.data.train.problem;
  }

  /**
   * One optimizer step of every member on its next batch: a forward pass that keeps what the
   * backward pass needs, the loss gradient in closed form, dW_b = [h, 1]ᵀ·dz per layer (no
   * autodiff tape), the L1/L2 terms, clipping, and one optimizer update per layer. The batch's
   * loss and correct predictions are added to each member's epoch sums on the device.
   */
  stepBatch(): void {
    if (this.atEpochEnd) throw new Error('endEpoch() is due before the next batch');
    if (this.batchInEpoch === 0) this.shuffle();
    const P = this.size;
    const start = this.batchInEpoch * this.batchSize;
    const size = Math.min(this.batchSize, this.train.n - start);
    const { training } = this.specs[0];
    const factor = lrFactor(training.schedule, this.epoch, training.epochs);
    if (this.fused) {
      const masks = this.dropoutMasks(size);
      const packed = masks ? tf.tensor1d(concatenate(masks)) : null;
      this.fused.step(this.epochX!, this.epochT!, { start, rows: size, fresh: this.batchInEpoch === 0 ? 1 : 0, lrFactor: factor }, packed);
      packed?.dispose();
      this.stale = true;
    } else {
      this.stepOperations(start, size, factor);
    }
    this.seen += size;
    this.batchInEpoch++;
  }

  /** {@link stepBatch} as batched tensor operations. */
  private stepOperations(start: number, size: number, factor: number): void {
    const P = this.size;
    const { training } = this.specs[0];
    const inputs = this.io.inputs + 1;
    const width = this.kind === 'multiclass' ? this.io.outputs : 1;
    tf.tidy(() => {
      const xb = tf.reshape(tf.slice(this.epochX!, [P * start * inputs], [P * size * inputs]), [P, size, inputs]);
      const tb = tf.reshape(tf.slice(this.epochT!, [P * start * width], [P * size * width]), width > 1 ? [P, size, width] : [P, size]);
      const dropout = this.dropoutMasks(size)?.map((mask, l) => tf.tensor3d(mask, [P, size, this.specs[0].model.hidden[l].units]));
      const tape: ForwardTape = { inputs: [], z: [], a: [], weights: [], dropout };
      const logits = this.net.forwardAugmented(xb, dropout, tape);
      const { loss, correct, grad } = pointLosses(this.kind, logits, tb, this.inverseSize(size));
      // Summed per point on the device and reduced once per epoch: a reduction per step costs
      // more on a GPU than the add. The last, smaller batch is padded with zeros.
      let points = correct ? tf.stack([loss, correct]) : tf.expandDims(loss, 0);
      if (size < this.batchSize) points = tf.pad(points, [[0, 0], [0, 0], [0, this.batchSize - size]]);
      this.sums!.assign(tf.add(this.sums!, points));
      let grads = this.net.backward(tape, grad!);
      const rates = this.penaltyRates;
      if (rates) {
        // ∂/∂W of l1·Σ|W| + l2·ΣW², biases excepted (their rates are zero): l1·sign(W) + 2·l2·W.
        grads = grads.map((g, l) => {
          const w = this.net.variables[l];
          return tf.add(g, tf.add(tf.mul(rates[l][0], tf.sign(w)), tf.mul(rates[l][1], w)));
        });
      }
      if (training.clipNorm > 0) grads = clipByGlobalNorm(grads, training.clipNorm, true);
      this.optimizer!.step(this.net.variables, grads, factor);
    });
  }

  /** Writes the fused state's parameters into the network's variables, when it has stepped since. */
  private syncNetwork(): void {
    if (!this.stale) return;
    this.fused!.writeTo(this.net);
    this.stale = false;
  }

  /** The training part's size. */
  private get train(): { n: number } {
    return this.data.train;
  }

  /** 1/B as a scalar tensor made once per batch size. */
  private inverseSize(size: number): tf.Scalar {
    let s = this.inverseSizes.get(size);
    if (!s) this.inverseSizes.set(size, (s = tf.keep(tf.scalar(1 / size))));
    return s;
  }

  /**
   * Closes the epoch: reads every member's training loss and metric, the means over the
   * epoch's examples as its batches met them (Keras' running mean of the batch losses, weighted
   * by batch size; with dropout on, as Keras too), together with the loss and metric of the
   * weights now on the validation part, in one read from the device; freezes members that
   * diverged or stop early, and returns this epoch's metrics of the members that trained in
   * it (null for the others).
   */
  async endEpoch(): Promise<(EpochMetrics | null)[]> {
    const values = await this.evaluate();
    const P = this.size;
    this.epoch++;
    this.batchInEpoch = 0;
    const improved: boolean[] = [];
    const result = this.members.map((member, p) => {
      improved.push(false);
      if (member.status !== 'training') return null;
      const [trainLoss, trainMetric, valLoss, valMetric] = [0, 1, 2, 3].map((k) => values[k * P + p]);
      const metrics: EpochMetrics = { epoch: this.epoch, trainLoss, valLoss, trainMetric, valMetric };
      member.history.push(metrics);
      const { patience, epochs } = this.specs[p].training;
      if (![trainLoss, valLoss].every(Number.isFinite)) {
        member.status = 'diverged';
        member.divergedAt = this.epoch;
      } else if (patience > 0) {
        const bestLoss = member.bestEpoch ? member.history[member.bestEpoch - 1].valLoss : Infinity;
        if (valLoss < bestLoss) {
          member.bestEpoch = this.epoch;
          improved[p] = true;
        } else if (this.epoch - member.bestEpoch! >= patience) {
          member.status = 'early-stopped';
        }
      }
      if (member.status === 'training' && this.epoch >= epochs) member.status = 'complete';
      return metrics;
    });
    if (improved.some(Boolean)) this.keepBest(improved);
    this.restoreAndFreeze();
    return result;
  }

  /** Stops member p (a pruner's decision); its history so far is kept. */
  prune(p: number): void {
    if (this.members[p].status !== 'training') return;
    this.members[p].status = 'pruned';
    this.restoreAndFreeze();
  }

  /**
   * Member p's decision grid (when gridSize > 0) and parameters in one read from the device:
   * on a GPU every read waits for the queue, so the progress picture costs one wait, not seven.
   */
  async snapshot(gridSize: number, p = 0): Promise<{ grid?: Float32Array; weights: Float32Array[] }> {
    this.syncNetwork();
    const packed = tf.tidy(() => {
      const parts = this.net.variables.map((v) => tf.reshape(tf.slice(v, [p, 0, 0], [1, -1, -1]), [-1]));
      if (gridSize > 0) parts.unshift(decisionGridTensor(this.net, this.problem, this.frame, gridSize, p));
      return tf.concat(parts);
    });
    const flat = (await packed.data()) as Float32Array;
    packed.dispose();
    let offset = gridSize * gridSize;
    const layers = this.net.widths.map(([i, o]) => flat.subarray(offset, (offset += (i + 1) * o)));
    return { grid: gridSize > 0 ? flat.slice(0, gridSize * gridSize) : undefined, weights: splitLayers(this.net.widths, layers) };
  }

  /**
   * Shows a table's decision picture as a slice through inputs `axes[0]` and `axes[1]`, the
   * others at their training mean. Generated sets keep their square.
   */
  setPictureAxes(axes: [number, number]): void {
    this.frame = frameOf(this.data.train, this.specs[0], axes);
  }

  /**
   * Member p on the validation or the held-out test part: loss, and accuracy with confusion
   * matrix and per-class precision and recall, or R² and MAE in the target's units. One read.
   */
  async evaluation(part: 'val' | 'test', p = 0): Promise<Evaluation> {
    const data = part === 'val' ? this.data.val : this.data.test;
    if (!data) throw new Error('This dataset has no test part');
    this.syncNetwork();
    const set = toDevice(data, this.specs[0], this.io);
    const packed = tf.tidy(() => {
      const logits = tf.slice(this.net.forward(set.x), [p], [1]);
      const loss = dataLoss(this.problem, logits, set.y);
      const out = logits.rank === 3 ? tf.cast(tf.argMax(logits, 2), 'float32') : this.problem === 'classification' ? tf.cast(tf.greater(logits, 0), 'float32') : logits;
      return tf.concat([loss, tf.reshape(out, [-1])]);
    });
    const values = (await packed.data()) as Float32Array;
    packed.dispose();
    [set.x, set.y].forEach((t) => t.dispose());
    const predicted = values.subarray(1);
    const scores =
      this.problem === 'classification'
        ? classificationScores(data.y, predicted, Math.max(data.classes, 2))
        : regressionScores(data.y, predicted, data.targetScale);
    return { n: data.n, loss: values[0], ...scores };
  }

  /** Member p's parameters, in parameterShapes order. */
  async weights(p = 0): Promise<Float32Array[]> {
    this.syncNetwork();
    return (await this.net.read())[p];
  }

  /** Frees every tensor the trainer holds. */
  dispose(): void {
    this.net.dispose();
    this.optimizer?.dispose();
    this.fused?.dispose();
    this.owned.forEach((t) => t.dispose());
    this.inverseSizes.forEach((t) => t.dispose());
    for (const t of [this.epochX, this.epochT]) t?.dispose();
    this.best?.forEach((w) => w.dispose());
  }

  /**
   * Each member's own order of the training examples for this epoch, laid out for the steps:
   * batch after batch, each batch [P, B, inputs + 1] (a column of ones appended) and its
   * targets [P, B, …], uploaded in one piece per epoch.
   */
  private shuffle(): void {
    const n = this.train.n;
    const P = this.size;
    const f = this.io.inputs;
    const w = this.kind === 'multiclass' ? this.io.outputs : 1;
    const orders = this.rngs.map((rng) => rng.shuffle(Array.from({ length: n }, (_, i) => i)));
    const x = new Float32Array(P * n * (f + 1));
    const t = new Float32Array(P * n * w);
    let row = 0;
    for (let start = 0; start < n; start += this.batchSize) {
      const end = Math.min(n, start + this.batchSize);
      for (let p = 0; p < P; p++) {
        for (let k = start; k < end; k++, row++) {
          const i = orders[p][k];
          x.set(this.trainX.subarray(i * f, (i + 1) * f), row * (f + 1));
          x[row * (f + 1) + f] = 1;
          t.set(this.trainT.subarray(i * w, (i + 1) * w), row * w);
        }
      }
    }
    this.epochX?.dispose();
    this.epochT?.dispose();
    this.epochX = tf.tensor1d(x);
    this.epochT = tf.tensor1d(t);
  }

  /**
   * Inverted-dropout keep masks for each hidden layer, [P, B, units] scaled by 1/(1 − rate),
   * each member's drawn from its own PRNG; undefined when no member uses dropout.
   */
  private dropoutMasks(batch: number): Float32Array[] | undefined {
    const rates = this.specs.map((s) => s.model.dropout);
    if (rates.every((r) => r === 0)) return undefined;
    const P = this.size;
    return this.specs[0].model.hidden.map(({ units }) => {
      // Drawn on the host from each member's own stream and uploaded once for all members.
      const mask = new Float32Array(P * batch * units).fill(1);
      rates.forEach((rate, p) => {
        // No draw for a member without dropout: its random stream stays as when it trains alone.
        if (rate === 0) return;
        const rng = createRng(this.rngs[p].fork());
        const keep = 1 / (1 - rate);
        for (let k = p * batch * units; k < (p + 1) * batch * units; k++) mask[k] = rng.next() >= rate ? keep : 0;
      });
      return mask;
    });
  }

  /** Keeps a copy of the weights of the members whose validation loss just improved. */
  private keepBest(improved: boolean[]): void {
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

  /**
   * Gives early-stopped members back their best weights and sets the learning rate of every
   * member that no longer trains to zero, so the shared step leaves them as they are.
   */
  private restoreAndFreeze(): void {
    const newly = this.members.map((m, p) => m.status !== 'training' && !this.frozen[p]);
    if (!newly.some(Boolean)) return;
    const restore = this.members.map((m, p) => newly[p] && m.status === 'early-stopped');
    const best = this.best;
    if (best && restore.some(Boolean)) {
      this.syncNetwork();
      tf.tidy(() => {
        const mask = tf.cast(tf.tensor(restore.map(Number), [this.size, 1, 1]), 'bool');
        this.net.variables.forEach((v, k) => v.assign(tf.where(tf.broadcastTo(mask, v.shape), best[k], v)));
      });
      this.fused?.readFrom(this.net);
    }
    newly.forEach((n, p) => n && (this.frozen[p] = true));
    const lr = this.baseLr.map((v, p) => (this.frozen[p] ? 0 : v));
    if (this.fused) this.fused.setLearningRates(lr);
    else tf.tidy(() => this.lr!.assign(tf.tensor(lr, [this.size, 1, 1])));
  }

  /**
   * [trainLoss…, trainMetric…, valLoss…, valMetric…] of every member: the epoch's sums turned
   * into means, and the current weights on the validation part; one read. Resets the sums.
   */
  private async evaluate(): Promise<number[]> {
    const P = this.size;
    const nVal = this.data.val.n;
    const classification = this.kind !== 'regression';
    // at(k, p): member p's train loss sum (k = 0), train right (1), validation loss sum (2) and validation right (3).
    let at: (k: number, p: number) => number;
    if (this.fused) {
      const packed = this.fused.evaluate(this.valX, this.valT, nVal);
      const values = await packed.data();
      packed.dispose();
      at = (k, p) => values[p * 4 + k];
    } else {
      // A population is evaluated with overflowed members zeroed (see finiteLayers), their flags read too.
      const guarded = P > 1;
      const packed = tf.tidy(() => {
        const safe = guarded ? this.net.finiteLayers() : null;
        const { loss, correct } = pointLosses(this.kind, this.net.forwardAugmented(this.valX, undefined, undefined, safe?.layers), this.valT);
        const rows = [...tf.unstack(tf.sum(this.sums!, 2)), tf.sum(loss, 1), ...(correct ? [tf.sum(correct, 1)] : [])];
        return tf.concat([...rows, ...(safe ? [safe.finite] : [])]);
      });
      const values = await packed.data();
      packed.dispose();
      tf.tidy(() => this.sums!.assign(tf.zerosLike(this.sums!)));
      // Rows as stacked: regression has no right-prediction rows.
      const row = classification ? [0, 1, 2, 3] : [0, -1, 1, -1];
      const finite = (p: number) => !guarded || values[(classification ? 4 : 2) * P + p] === 1;
      at = (k, p) => (row[k] < 0 ? 0 : k === 2 && !finite(p) ? Infinity : values[row[k] * P + p]);
    }
    const seen = this.seen;
    this.seen = 0;
    const metric = (lossSum: number, correct: number, n: number, total: number) =>
      classification ? correct / n : 1 - lossSum / Math.max(total, 1e-12);
    const members = Array.from({ length: P }, (_, p) => p);
    return [
      ...members.map((p) => at(0, p) / seen),
      ...members.map((p) => metric(at(0, p), at(1, p), seen, this.totals[0])),
      ...members.map((p) => at(2, p) / nVal),
      ...members.map((p) => metric(at(2, p), at(3, p), nVal, this.totals[1])),
    ];
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

/** Arrays one after another in one. */
function concatenate(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
  return out;
}

/** Rows [n, f] with a 1 appended to each, [n, f + 1]. */
export function withOnes(x: Float32Array, n: number, f: number): Float32Array {
  const out = new Float32Array(n * (f + 1));
  for (let i = 0; i < n; i++) {
    out.set(x.subarray(i * f, (i + 1) * f), i * (f + 1));
    out[i * (f + 1) + f] = 1;
  }
  return out;
}

/** Σ(y − ȳ)² in double precision. */
function sumOfSquares(y: Float32Array): number {
  const mean = y.reduce((a, b) => a + b, 0) / Math.max(y.length, 1);
  return y.reduce((a, b) => a + (b - mean) ** 2, 0);
}

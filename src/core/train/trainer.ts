import * as tf from '@tensorflow/tfjs-core';
import '../autodiff';
import type { DistillOptions } from '../compress/distill';
import type { FakeQuantSettings } from '../compress/model';
import { featurize } from '../data/features';
import type { Dataset, SplitDataset } from '../data/types';
import type { Evaluation } from '../model/evaluation';
import { encodeTargets, lossKind, type LossKind } from '../model/loss';
import { initialParameters, networkIO, type NetworkIO } from '../model/network';
import { generatedFrame, sliceFrame, type PictureFrame } from '../model/predict';
import { resolveHypers } from '../optim/defaults';
import { lrFactor } from '../optim/schedule';
import { createRng, type Rng } from '../random/prng';
import type { ExperimentSpec } from '../spec/experiment';
import { resolveClassWeights } from './class-weights';
import { epochValues, rowEvaluation, rowSnapshot } from './population-evaluation';
import { PopulationState } from './population-state';
import { indices, layOutEpoch, type EpochLayout } from './training-data';
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

/** Target rows for distillation: each row's teacher distribution [K] then its one-hot label [K]. */
function withTeacher(teacher: Float32Array, labels: Float32Array, classes: number): Float32Array {
  const n = labels.length / classes;
  const out = new Float32Array(n * 2 * classes);
  for (let i = 0; i < n; i++) {
    out.set(teacher.subarray(i * classes, (i + 1) * classes), i * 2 * classes);
    out.set(labels.subarray(i * classes, (i + 1) * classes), i * 2 * classes + classes);
  }
  return out;
}

/** The decision picture's frame: a generated set's square, or a slice through a table's first two inputs. */
function frameOf(data: Dataset, spec: ExperimentSpec, axes: [number, number]): PictureFrame {
  return data.domain ? generatedFrame(data.domain, spec.model.features) : sliceFrame(data, axes);
}

/**
 * Why two experiments cannot train in one population, or null when they can: members share
 * the data, the architecture, the optimizer kind, the batch size, the epochs, the schedule and
 * the clipping, and what a compression does apart from its sparsity; everything else (learning rate and the other hyperparameters, L1/L2, dropout,
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
  // Members of one population share its quantization and teacher; each has its own mask.
  if (!same({ ...a.compress, sparsity: 0 }, { ...b.compress, sparsity: 0 })) return 'compression';
  if (!same(ta.classWeights, tb.classWeights)) return 'class weights';
  return null;
}

/** How a Trainer steps. */
export interface TrainerOptions {
  /**
   * Whether to take each step as one fused kernel where the backend has one (cpu, webgpu),
   * the default; false steps with batched tensor operations on every backend, as the others
   * do (for comparisons: both give the same numbers within float32 rounding).
   */
  fused?: boolean;
  /** Each member's starting parameters (in parameterShapes order), to fine-tune a trained network; else drawn from its seed. */
  start?: Float32Array[][];
  /**
   * Each member's pruning masks (parameterShapes order, 1 keeps, 0 prunes): pruned parameters
   * start at 0 and get no gradient, so they stay 0 through every step, fused or not.
   */
  masks?: Uint8Array[][];
  /**
   * Soft training targets [n, K] of a multi-class problem in place of the one-hot labels (a
   * teacher's softened outputs, for distillation): the cross-entropy −Σ t_k log softmax(z)_k
   * and its gradient softmax(z) − t hold for any distribution t.
   */
  targets?: Float32Array;
  /**
   * Quantization-aware training for every member: the training passes compute with the
   * kernels (and optionally the hidden activations) fake-quantized, the gradient goes straight
   * through to the float weights. Validation figures are of the float weights.
   */
  quantization?: FakeQuantSettings;
  /**
   * Knowledge distillation of a problem of three or more classes: the teacher's softmax at
   * temperature T on each training row ([n, K]), T and α; every step's loss is Hinton's
   * α·T²·KL(teacher ‖ softmax(z/T)) + (1 − α)·CE(z, label), as distillationLoss.
   */
  distillation?: DistillOptions & { teacher: Float32Array };
  /**
   * Each class's weight (> 0) in the training loss of a classification, as Keras' class_weight;
   * validation stays unweighted. By default those of the members' spec (training.classWeights),
   * except with soft targets.
   */
  classWeights?: number[];
}

/**
 * Trains P experiments together as one batched computation (P = 1 for a single run): weights
 * as [P, in, out] tensors, each member with its own initial weights, example order, dropout
 * masks, optimizer state and hyperparameters, each member's result the same as training it
 * alone. No `model.fit`: on the cpu and WebGPU backends each step is one fused kernel
 * ({@link FusedStep}), elsewhere a few batched operations; one read from the device per
 * epoch. A member that diverges, stops early or is pruned is frozen, and at the next epoch
 * dropped from the population (its weights kept), so the others' steps cost less.
 *
 * Seeded: every random draw of member p derives from `members[p].seed`.
 *
 * @example
 * const t = new Trainer([spec], splitDataset(generateDataset(spec.data), spec.data.trainRatio, spec.data.seed));
 * while (!t.done) { t.stepBatch(); if (t.atEpochEnd) await t.endEpoch(); }
 * t.dispose();
 */
export class Trainer {
  /** The widths of the networks' inputs and outputs, from the data. */
  readonly io: NetworkIO;
  /** What the decision picture shows; see {@link setPictureAxes}. */
  frame: PictureFrame;
  /** Each class's weight in the training loss, in class order, or null when every point weighs the same. */
  readonly classWeights: number[] | null;
  /** Epochs completed. */
  epoch = 0;
  /** Batches done in the current epoch. */
  batchInEpoch = 0;
  /** Each member's course. */
  readonly members: MemberState[];

  /** The members still in the population, on the device. */
  private readonly state: PopulationState;
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
  /** Examples seen since the epoch began. */
  private seen = 0;
  private readonly rngs: Rng[];
  private readonly batchSize: number;
  /** Each member's learning rate before any schedule. */
  private readonly baseLr: number[];
  /** Whether member p's learning rate is zero in the population's state (it no longer trains). */
  private readonly frozen: boolean[];
  /**
   * This epoch's inputs with a column of ones and its encoded targets, as flat tensors laid
   * out batch by batch, each batch's block [P, B, …] in one piece (P the members in the
   * population): a step slices one contiguous block, which on the cpu backend is a copy-free view.
   */
  private epochX: tf.Tensor | null = null;
  private epochT: tf.Tensor | null = null;
  /** The arrays of the last epoch's layout, which the next fills again while the population keeps its size. */
  private laid: EpochLayout | null = null;

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
    const drawn = seeders.map((r) => initialParameters(first.model, this.io, r.fork()));
    const masks = options.masks;
    const initial = (options.start ?? drawn).map((member, p) => (masks ? member.map((w, k) => w.map((v, i) => (masks[p][k][i] ? v : 0))) : member));
    this.kind = lossKind(data.train.problem, this.io.outputs);
    this.batchSize = Math.min(first.training.batchSize, data.train.n);
    const distill = options.distillation ? { temperature: options.distillation.temperature, alpha: options.distillation.alpha } : null;
    // Soft targets (distillation) carry their own shares of the classes: the spec's weights stay out of them.
    const soft = options.targets ?? options.distillation?.teacher;
    this.classWeights = options.classWeights ?? (soft ? null : resolveClassWeights(first.training.classWeights, data.train));
    this.state = new PopulationState(specs, this.io, initial, this.kind, this.batchSize, options.fused !== false, masks, options.quantization ?? null, distill, this.classWeights);
    this.frame = frameOf(data.train, first, [0, Math.min(1, inputs - 1)]);
    this.rngs = seeders.map((r) => createRng(r.fork()));
    this.members = specs.map(() => ({ status: 'training', history: [] }));
    this.frozen = specs.map(() => false);
    this.baseLr = specs.map((s) => resolveHypers(s.optimizer).lr as number);
    const classes = this.io.outputs;
    this.trainX = inputsOf(data.train, first);
    const weights = this.classWeights;
    if (weights && (data.train.problem !== 'classification' || weights.length !== Math.max(2, data.train.classes) || !weights.every((w) => w > 0))) {
      throw new Error('Class weights need a classification and one weight above 0 per class');
    }
    if (soft && (this.kind !== 'multiclass' || soft.length !== data.train.n * classes)) {
      throw new Error('Soft targets need a problem of three or more classes and one distribution per training row');
    }
    const labels = encodeTargets(this.kind, data.train.y, classes);
    this.trainT = options.targets ?? (options.distillation ? withTeacher(options.distillation.teacher, labels, classes) : labels);
    const width = this.kind === 'multiclass' ? [classes] : [];
    const valInputs = inputsOf(data.val, first);
    this.valX = this.own(tf.tensor3d(withOnes(valInputs, data.val.n, inputs), [1, data.val.n, inputs + 1]));
    this.valT = this.own(tf.tensor(encodeTargets(this.kind, data.val.y, classes), [data.val.n, ...width]));
    this.totals = [sumOfSquares(data.train.y), sumOfSquares(data.val.y)];
  }

  /** Number of members, in the population or not. */
  get size(): number {
    return this.specs.length;
  }

  /** The members (indices into the specs) still in the population, whose steps are computed. */
  get population(): readonly number[] {
    return this.state.rows;
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
   * One optimizer step of every member in the population on its next batch: a forward pass
   * that keeps what the backward pass needs, the loss gradient in closed form, dW_b = [h, 1]ᵀ·dz
   * per layer (no autodiff tape), the L1/L2 terms, clipping, and one optimizer update per
   * layer. The batch's loss and correct predictions are added to each member's epoch sums on
   * the device. An epoch's first step first drops the members that stopped training.
   */
  stepBatch(): void {
    if (this.atEpochEnd) throw new Error('endEpoch() is due before the next batch');
    if (this.batchInEpoch === 0) {
      this.dropStopped();
      this.shuffle();
    }
    const start = this.batchInEpoch * this.batchSize;
    const size = Math.min(this.batchSize, this.train.n - start);
    const { training } = this.specs[0];
    const factor = lrFactor(training.schedule, this.epoch, training.epochs);
    const window = { start, rows: size, fresh: this.batchInEpoch === 0 ? 1 : 0, lrFactor: factor };
    this.state.step(this.epochX!, this.epochT!, window, this.dropoutMasks(size));
    this.seen += size;
    this.batchInEpoch++;
  }

  /** The training part's size. */
  private get train(): { n: number } {
    return this.data.train;
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
    const values = await epochValues(this.state, {
      kind: this.kind, valX: this.valX, valT: this.valT, nVal: this.data.val.n, seen: this.seen, totals: this.totals,
    });
    this.seen = 0;
    const P = this.state.size;
    this.epoch++;
    this.batchInEpoch = 0;
    const improved: boolean[] = [];
    const result = this.members.map((member, p) => {
      improved.push(false);
      if (member.status !== 'training') return null;
      const r = this.state.rowOf(p);
      const [trainLoss, trainMetric, valLoss, valMetric] = [0, 1, 2, 3].map((k) => values[k * P + r]);
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
    if (improved.some(Boolean)) this.state.keepBest(this.state.rows.map((p) => improved[p]));
    this.restoreAndFreeze();
    return result;
  }

  /** Stops member p (a pruner's decision); its history so far is kept, and the population drops it at the next epoch. */
  prune(p: number): void {
    if (this.members[p].status !== 'training') return;
    this.members[p].status = 'pruned';
    this.restoreAndFreeze();
  }

  /**
   * Member p's decision grid (when gridSize > 0) and parameters in one read from the device:
   * on a GPU every read waits for the queue, so the progress picture costs one wait, not seven.
   */
  snapshot(gridSize: number, p = 0): Promise<{ grid?: Float32Array; weights: Float32Array[] }> {
    return rowSnapshot(this.state, this.rowIn(p), gridSize, this.problem, this.frame);
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
    const r = this.rowIn(p);
    const set = toDevice(data, this.specs[0], this.io);
    try {
      return await rowEvaluation(this.state, r, data, set);
    } finally {
      [set.x, set.y].forEach((t) => t.dispose());
    }
  }

  /** Member p's parameters, in parameterShapes order, whether or not it is still in the population. */
  weights(p = 0): Promise<Float32Array[]> {
    return this.state.weightsOf(p);
  }

  /** Frees every tensor the trainer holds. */
  dispose(): void {
    this.state.dispose();
    this.owned.forEach((t) => t.dispose());
    for (const t of [this.epochX, this.epochT]) t?.dispose();
  }

  private own<T extends tf.Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }

  /** Member p's row in the population; a member already dropped has its weights alone ({@link weights}). */
  private rowIn(p: number): number {
    const r = this.state.rowOf(p);
    if (r < 0) throw new Error(`Member ${p} left the population when it stopped training; only its weights are kept`);
    return r;
  }

  /** Drops the members that no longer train from the population, so that the steps compute for the others alone. */
  private dropStopped(): void {
    const training = this.state.rows.filter((p) => this.members[p].status === 'training');
    if (training.length < this.state.size) this.state.keepRows(training);
  }

  /**
   * Each member's own order of the training examples for this epoch, laid out for the steps:
   * batch after batch, each batch [P, B, inputs + 1] (a column of ones appended) and its
   * targets [P, B, …], uploaded in one piece per epoch.
   */
  private shuffle(): void {
    const orders = this.state.rows.map((p) => this.rngs[p].shuffle(indices(this.train.n)));
    // The last epoch's tensors are freed first, so that its arrays can take this one's layout.
    this.epochX?.dispose();
    this.epochT?.dispose();
    this.laid = layOutEpoch(this.trainX, this.trainT, orders, this.batchSize, this.io.inputs, this.laid ?? undefined);
    this.epochX = tf.tensor1d(this.laid.x);
    this.epochT = tf.tensor1d(this.laid.t);
  }

  /**
   * Inverted-dropout keep masks for each hidden layer, [P, B, units] scaled by 1/(1 − rate),
   * each member's drawn from its own PRNG; undefined when no member uses dropout.
   */
  private dropoutMasks(batch: number): Float32Array[] | undefined {
    // Masks as long as any member had dropout: the fused step's plan reads them.
    if (this.specs.every((s) => s.model.dropout === 0)) return undefined;
    const rows = this.state.rows;
    const rates = rows.map((p) => this.specs[p].model.dropout);
    const P = rows.length;
    return this.specs[0].model.hidden.map(({ units }) => {
      // Drawn on the host from each member's own stream and uploaded once for all members.
      const mask = new Float32Array(P * batch * units).fill(1);
      rates.forEach((rate, r) => {
        // No draw for a member without dropout: its random stream stays as when it trains alone.
        if (rate === 0) return;
        const rng = createRng(this.rngs[rows[r]].fork());
        const keep = 1 / (1 - rate);
        for (let k = r * batch * units; k < (r + 1) * batch * units; k++) mask[k] = rng.next() >= rate ? keep : 0;
      });
      return mask;
    });
  }

  /**
   * Gives early-stopped members back their best weights and sets the learning rate of every
   * member that no longer trains to zero, so the shared step leaves them as they are until
   * the population drops them.
   */
  private restoreAndFreeze(): void {
    const rows = this.state.rows;
    const newly = rows.map((p) => this.members[p].status !== 'training' && !this.frozen[p]);
    if (!newly.some(Boolean)) return;
    this.state.restoreBest(rows.map((p, r) => newly[r] && this.members[p].status === 'early-stopped'));
    rows.forEach((p, r) => newly[r] && (this.frozen[p] = true));
    this.state.setLearningRates(rows.map((p) => (this.frozen[p] ? 0 : this.baseLr[p])));
  }
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

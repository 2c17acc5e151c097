import * as tf from '@tensorflow/tfjs-core';
import '../autodiff';
import { featurize } from '../data/features';
import type { Dataset, SplitDataset } from '../data/types';
import { classificationScores, regressionScores, type Evaluation } from '../model/evaluation';
import { dataLoss, penalty, qualityMetric } from '../model/loss';
import { NetworkParams, initialParameters, networkIO, type NetworkIO } from '../model/network';
import { decisionGridTensor, generatedFrame, sliceFrame, type PictureFrame } from '../model/predict';
import { Optimizer } from '../optim/optimizer';
import { clipByGlobalNorm } from '../optim/clip';
import { resolveHypers } from '../optim/defaults';
import { lrFactor } from '../optim/schedule';
import type { OptimizerHypers } from '../optim/types';
import { createRng, type Rng } from '../random/prng';
import type { ExperimentSpec } from '../spec/experiment';
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
function inputsOf(data: Dataset, spec: ExperimentSpec): Float32Array {
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

/**
 * Trains P experiments together as one batched computation (P = 1 for a single run): weights
 * as [P, in, out] tensors, each member with its own initial weights, example order, dropout
 * masks, optimizer state and hyperparameters, each member's result the same as training it
 * alone. No `model.fit`: a few batched operations per step, and one read from the device per
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

  private readonly optimizer: Optimizer;
  private readonly owned: tf.Tensor[] = [];
  private readonly train: DeviceSet;
  private readonly val: DeviceSet;
  private readonly rngs: Rng[];
  private readonly batchSize: number;
  private readonly baseLr: number[];
  private readonly l1: number | tf.Tensor;
  private readonly l2: number | tf.Tensor;
  private readonly anyPenalty: boolean;
  /** Each member's learning rate, [P, 1, 1]; zero for members that no longer train. */
  private readonly lr: tf.Variable;
  private readonly frozen: boolean[];
  private epochX: tf.Tensor | null = null;
  private epochY: tf.Tensor | null = null;
  /** Each member's weights at its best validation loss, when early stopping is on. */
  private best: tf.Tensor[] | null = null;

  constructor(
    readonly specs: ExperimentSpec[],
    readonly data: SplitDataset,
  ) {
    const first = specs[0];
    const odd = specs.map((s) => incompatibility(first, s)).find((r) => r !== null);
    if (odd) throw new Error(`Members of a population must share their ${odd}`);
    const seeders = specs.map((s) => createRng(s.seed));
    const inputs = first.data.kind === 'table' ? data.train.dims : first.model.features.length;
    this.io = networkIO(inputs, data.train.classes);
    this.net = new NetworkParams(first.model, this.io, seeders.map((r) => initialParameters(first.model, this.io, r.fork())));
    this.frame = frameOf(data.train, first, [0, Math.min(1, inputs - 1)]);
    this.rngs = seeders.map((r) => createRng(r.fork()));
    this.members = specs.map(() => ({ status: 'training', history: [] }));

    const P = specs.length;
    const hypers = specs.map((s) => resolveHypers(s.optimizer));
    const own = <T extends number | tf.Tensor>(v: T): T => (typeof v === 'number' ? v : (this.owned.push(v), v));
    const columns = (key: keyof OptimizerHypers) => own(perMember(hypers.map((h) => h[key] as number), [P, 1, 1]));
    this.baseLr = hypers.map((h) => h.lr as number);
    this.frozen = specs.map(() => false);
    // A variable the optimizer reads at every step: freezing a member is one assign.
    this.lr = tf.tidy(() => tf.variable(tf.tensor(this.baseLr, [P, 1, 1]), false));
    this.owned.push(this.lr);
    this.optimizer = new Optimizer(first.optimizer.kind, {
      lr: this.lr, momentum: columns('momentum'), alpha: columns('alpha'), beta1: columns('beta1'),
      beta2: columns('beta2'), eps: columns('eps'), weightDecay: columns('weightDecay'),
    });
    this.l1 = own(perMember(specs.map((s) => s.model.l1), [P]));
    this.l2 = own(perMember(specs.map((s) => s.model.l2), [P]));
    this.anyPenalty = specs.some((s) => s.model.l1 > 0 || s.model.l2 > 0);
    this.train = toDevice(data.train, first, this.io);
    this.val = toDevice(data.val, first, this.io);
    this.batchSize = Math.min(first.training.batchSize, this.train.n);
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

  /** One optimizer step of every member on its next batch. */
  stepBatch(): void {
    if (this.atEpochEnd) throw new Error('endEpoch() is due before the next batch');
    if (this.batchInEpoch === 0) this.shuffle();
    const start = this.batchInEpoch * this.batchSize;
    const size = Math.min(this.batchSize, this.train.n - start);
    const { training } = this.specs[0];
    tf.tidy(() => {
      const xb = tf.slice(this.epochX!, [0, start, 0], [-1, size, -1]);
      const rest = this.epochY!.shape.slice(2).map(() => 0);
      const yb = tf.slice(this.epochY!, [0, start, ...rest], [-1, size, ...rest.map(() => -1)]);
      const masks = this.dropoutMasks(size);
      const { grads } = tf.variableGrads(() => {
        const logits = this.net.forward(xb, masks);
        const loss = dataLoss(this.problem, logits, yb);
        const reg = this.anyPenalty ? penalty(this.net.weights, this.l1, this.l2) : null;
        return tf.sum(reg ? tf.add(loss, reg) : loss) as tf.Scalar;
      }, this.net.variables);
      let list = this.net.variables.map((v) => grads[v.name]);
      if (training.clipNorm > 0) list = clipByGlobalNorm(list, training.clipNorm, true);
      this.optimizer.step(this.net.variables, list, lrFactor(training.schedule, this.epoch, training.epochs));
    });
    this.batchInEpoch++;
  }

  /**
   * Closes the epoch: measures every member's loss and metric on both parts (one read from the
   * device), freezes members that diverged or stop early, and returns this epoch's metrics of
   * the members that trained in it (null for the others).
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
    const sizes = this.net.variables.map((v) => v.size / this.size);
    const packed = tf.tidy(() => {
      const parts = this.net.variables.map((v) => tf.reshape(tf.slice(v, [p, 0, 0], [1, -1, -1]), [-1]));
      if (gridSize > 0) parts.unshift(decisionGridTensor(this.net, this.problem, this.frame, gridSize, p));
      return tf.concat(parts);
    });
    const flat = (await packed.data()) as Float32Array;
    packed.dispose();
    let offset = gridSize * gridSize;
    const weights = sizes.map((size) => flat.slice(offset, (offset += size)));
    return { grid: gridSize > 0 ? flat.slice(0, gridSize * gridSize) : undefined, weights };
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
    const set = part === 'val' ? this.val : toDevice(data, this.specs[0], this.io);
    const packed = tf.tidy(() => {
      const logits = tf.slice(this.net.forward(set.x), [p], [1]);
      const loss = dataLoss(this.problem, logits, set.y);
      const out = logits.rank === 3 ? tf.cast(tf.argMax(logits, 2), 'float32') : this.problem === 'classification' ? tf.cast(tf.greater(logits, 0), 'float32') : logits;
      return tf.concat([loss, tf.reshape(out, [-1])]);
    });
    const values = (await packed.data()) as Float32Array;
    packed.dispose();
    if (set !== this.val) [set.x, set.y].forEach((t) => t.dispose());
    const predicted = values.subarray(1);
    const scores =
      this.problem === 'classification'
        ? classificationScores(data.y, predicted, Math.max(data.classes, 2))
        : regressionScores(data.y, predicted, data.targetScale);
    return { n: data.n, loss: values[0], ...scores };
  }

  /** Member p's parameters, in parameterShapes order. */
  async weights(p = 0): Promise<Float32Array[]> {
    return (await this.net.read())[p];
  }

  /** Frees every tensor the trainer holds. */
  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
    this.owned.forEach((t) => t.dispose());
    for (const t of [this.train.x, this.train.y, this.val.x, this.val.y, this.epochX, this.epochY]) t?.dispose();
    this.best?.forEach((w) => w.dispose());
  }

  /** Each member's own order of the training examples for this epoch, gathered to [P, N, …]. */
  private shuffle(): void {
    const n = this.train.n;
    const order = new Int32Array(this.size * n);
    this.rngs.forEach((rng, p) => order.set(rng.shuffle(Array.from({ length: n }, (_, i) => i)), p * n));
    this.epochX?.dispose();
    this.epochY?.dispose();
    const idx = tf.tensor2d(order, [this.size, n], 'int32');
    this.epochX = tf.gather(this.train.x, idx);
    this.epochY = tf.gather(this.train.y, idx);
    idx.dispose();
  }

  /**
   * Inverted-dropout keep masks for each hidden layer, [P, B, units] scaled by 1/(1 − rate),
   * each member's drawn from its own PRNG; undefined when no member uses dropout.
   */
  private dropoutMasks(batch: number): tf.Tensor[] | undefined {
    const rates = this.specs.map((s) => s.model.dropout);
    if (rates.every((r) => r === 0)) return undefined;
    return this.specs[0].model.hidden.map((layer) =>
      tf.tidy(() => {
        const perMemberMask = rates.map((rate, p) => {
          // No draw for a member without dropout: its random stream stays as when it trains alone.
          if (rate === 0) return tf.ones([batch, layer.units]);
          const u = tf.randomUniform([batch, layer.units], 0, 1, 'float32', this.rngs[p].fork());
          return tf.div(tf.cast(tf.greaterEqual(u, rate), 'float32'), 1 - rate);
        });
        return tf.stack(perMemberMask);
      }),
    );
  }

  /** Keeps a copy of the weights of the members whose validation loss just improved. */
  private keepBest(improved: boolean[]): void {
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
      tf.tidy(() => {
        const mask = tf.cast(tf.tensor(restore.map(Number), [this.size, 1, 1]), 'bool');
        this.net.variables.forEach((v, k) => v.assign(tf.where(tf.broadcastTo(mask, v.shape), best[k], v)));
      });
    }
    newly.forEach((n, p) => n && (this.frozen[p] = true));
    tf.tidy(() => this.lr.assign(tf.tensor(this.baseLr.map((v, p) => (this.frozen[p] ? 0 : v)), [this.size, 1, 1])));
  }

  private async evaluate(): Promise<number[]> {
    const packed = tf.tidy(() => {
      const parts = [this.train, this.val].flatMap((set) => {
        const logits = this.net.forward(set.x);
        return [dataLoss(this.problem, logits, set.y), qualityMetric(this.problem, logits, set.y)];
      });
      return tf.concat(parts);
    });
    const values = Array.from(await packed.data());
    packed.dispose();
    return values;
  }
}

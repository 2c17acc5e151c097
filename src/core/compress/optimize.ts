/**
 * The optimize stage on a trained network: prune (one-shot or in rounds, fine-tuning in
 * between with the masks inside the training engine), quantize, and distill into a smaller
 * student; each result scored on the held-out data by the training engine's own evaluation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SplitDataset } from '../data/types';
import type { Evaluation } from '../model/evaluation';
import { NetworkParams, networkIO } from '../model/network';
import { BYTES_PER_VALUE, WEIGHT_DTYPES, type KnownLevels, type WeightDtype } from '../model/weight-encoding';
import type { LayerSpec } from '../model/types';
import type { ExperimentSpec } from '../spec/experiment';
import { Trainer, type TrainerOptions } from '../train/trainer';
import { iterativeAmount, masked, packedBytes, pruneMasks, quantizeWeights, type PruneMethod, type QuantizeSettings } from './model';
import { decisionComparison, type DecisionComparison } from './picture';
import { sparsity } from './prune';

/** Pruning as the optimize stage runs it: the method, the final share, rounds, and fine-tuning epochs after each round. */
export interface PruneStage {
  method: PruneMethod;
  amount: number;
  /** 1 for one-shot; more prunes a share of the survivors each round, fine-tuning in between. */
  rounds: number;
  fineTuneEpochs: number;
  /**
   * Lottery-ticket rewinding (Frankle & Carbin 2019): after each cut the survivors go back to
   * the run's initial values (drawn again from its seed) and retrain, rather than fine-tune
   * from where they were.
   */
  rewind: boolean;
}

/**
 * Quantization as the optimize stage runs it: the levels, and quantization-aware training
 * before the weights are rounded (0 epochs for none), optionally with activations fake-quantized.
 */
export interface QuantizeStage extends QuantizeSettings {
  awareEpochs: number;
  activations: boolean;
}

/** What the optimize stage does to a trained network: prune, quantize, or both (pruning first). */
export interface OptimizeSettings {
  prune: PruneStage | null;
  quantize: QuantizeStage | null;
}

/** A network's quality on held-out data and what it weighs. */
export interface ModelScore {
  /** The test part's evaluation (the validation part's when the data has no test part). */
  evaluation: Evaluation;
  /** Share of kernel weights at 0. */
  sparsity: number;
  /** Bytes stored compactly: see packedBytes. */
  packedBytes: number;
  /** Bytes of the tf.io weight file in each dtype. */
  fileBytes: Record<WeightDtype, number>;
}

/** The optimized network and both scores. */
export interface OptimizeResult {
  weights: Float32Array[];
  masks: Uint8Array[] | null;
  /** Each kernel's levels when quantized per tensor, for an exact uint8/uint16 export. */
  known: (KnownLevels | undefined)[];
  before: ModelScore;
  after: ModelScore;
  /** The decision picture before and after, with the held-out points whose prediction changed. */
  picture: DecisionComparison;
}

const kernelOnly = (shapes: number[][], masks: Uint8Array[]) => masks.filter((_, k) => shapes[k].length === 2);

/** The held-out evaluation of one network's weights, through the training engine's own evaluation. */
export async function evaluateWeights(spec: ExperimentSpec, data: SplitDataset, weights: Float32Array[]): Promise<Evaluation> {
  const trainer = new Trainer([spec], data, { start: [weights] });
  try {
    return await trainer.evaluation(data.test ? 'test' : 'val');
  } finally {
    trainer.dispose();
  }
}

/** Scores weights: held-out evaluation, the pruning's sparsity and sizes. */
export async function scoreModel(
  spec: ExperimentSpec,
  data: SplitDataset,
  weights: Float32Array[],
  shapes: number[][],
  masks: Uint8Array[] | null,
  quantization: QuantizeSettings | null,
): Promise<ModelScore> {
  const count = weights.reduce((n, w) => n + w.length, 0);
  return {
    evaluation: await evaluateWeights(spec, data, weights),
    sparsity: masks ? sparsity(kernelOnly(shapes, masks)) : 0,
    packedBytes: packedBytes(shapes, masks, quantization),
    fileBytes: Object.fromEntries(WEIGHT_DTYPES.map((d) => [d, count * BYTES_PER_VALUE[d]])) as Record<WeightDtype, number>,
  };
}

/**
 * Trains for `epochs` with pruned weights held at 0 (without masks, none pruned), from `start`
 * or (null) from the run's initial values drawn again from its seed: the run's own optimizer
 * and batch size, no early stopping; with `quantization`, quantization-aware; with
 * `distillation`, on Hinton's loss. With 0 epochs, the masked starting weights.
 */
export async function fineTune(
  spec: ExperimentSpec,
  data: SplitDataset,
  start: Float32Array[] | null,
  masks: Uint8Array[] | null,
  epochs: number,
  options: Pick<TrainerOptions, 'quantization' | 'distillation'> = {},
): Promise<Float32Array[]> {
  const tuned: ExperimentSpec = { ...spec, training: { ...spec.training, epochs: Math.max(1, epochs), patience: 0 } };
  const trainer = new Trainer([tuned], data, { start: start ? [start] : undefined, masks: masks ? [masks] : undefined, ...options });
  try {
    while (epochs > 0 && !trainer.done) {
      trainer.stepBatch();
      if (trainer.atEpochEnd) await trainer.endEpoch();
    }
    return await trainer.weights();
  } finally {
    trainer.dispose();
  }
}

/**
 * Runs the optimize stage on a trained network: pruning in `rounds` (each cutting the same share
 * of the survivors, then fine-tuning), then quantization (after quantization-aware training
 * when asked); scores before and after. `onRound`
 * hears each pruning round's sparsity.
 */
export async function optimizeModel(
  spec: ExperimentSpec,
  data: SplitDataset,
  weights: Float32Array[],
  shapes: number[][],
  settings: OptimizeSettings,
  onRound?: (round: number, sparsity: number) => void,
): Promise<OptimizeResult> {
  const before = await scoreModel(spec, data, weights, shapes, null, null);
  let current = weights;
  let masks: Uint8Array[] | null = null;
  const prune = settings.prune;
  if (prune) {
    for (let round = 1; round <= prune.rounds; round++) {
      masks = pruneMasks(current, shapes, { method: prune.method, amount: iterativeAmount(prune.amount, round, prune.rounds) });
      current = await fineTune(spec, data, prune.rewind ? null : current, masks, prune.fineTuneEpochs);
      onRound?.(round, sparsity(kernelOnly(shapes, masks)));
    }
  }
  let known: (KnownLevels | undefined)[] = shapes.map(() => undefined);
  const quantize = settings.quantize;
  if (quantize) {
    // Quantization-aware training: the network learns with its kernels on the levels they will take.
    if (quantize.awareEpochs > 0) current = await fineTune(spec, data, current, masks, quantize.awareEpochs, { quantization: quantize });
    ({ weights: current, known } = quantizeWeights(current, shapes, quantize));
  }
  const after = await scoreModel(spec, data, current, shapes, masks, settings.quantize);
  return { weights: current, masks, known, before, after, picture: await decisionComparison(spec, data, weights, current) };
}

/** Distillation settings: the student's hidden layers, temperature, α, epochs and seeds. */
export interface DistillSettings {
  hidden: LayerSpec[];
  temperature: number;
  alpha: number;
  epochs: number;
  seeds: number[];
}

/** Test scores of the student trained alone and distilled, one per seed. */
export interface DistillResult {
  alone: number[];
  distilled: number[];
}

/** softmax(logits/T) of each row of logits [n, K], in float64, stored as float32: the teacher's softened distribution. */
export function teacherProbabilities(logits: Float32Array, classes: number, temperature: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / classes; r++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[r * classes + c] / temperature);
    let total = 0;
    for (let c = 0; c < classes; c++) total += Math.exp(logits[r * classes + c] / temperature - max);
    for (let c = 0; c < classes; c++) out[r * classes + c] = Math.exp(logits[r * classes + c] / temperature - max) / total;
  }
  return out;
}

/** The teacher's logits on the training rows, [n, K]. */
export async function teacherLogits(spec: ExperimentSpec, data: SplitDataset, weights: Float32Array[]): Promise<Float32Array> {
  const inputs = spec.data.kind === 'table' ? data.train.dims : spec.model.features.length;
  const net = new NetworkParams(spec.model, networkIO(inputs, data.train.classes), [weights]);
  const x = tf.tensor2d(data.train.x, [data.train.n, data.train.dims]);
  try {
    const logits = net.forward(x);
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    return values;
  } finally {
    x.dispose();
    net.dispose();
  }
}

/**
 * Trains a smaller student twice per seed, as two populations: alone on the labels, and
 * distilled from the teacher with Hinton's loss (α·T²·KL + (1 − α)·CE, as distillationLoss);
 * returns each member's held-out score (accuracy).
 * A table of three or more classes: the soft targets are class distributions.
 */
export async function distill(teacher: ExperimentSpec, data: SplitDataset, weights: Float32Array[], settings: DistillSettings): Promise<DistillResult> {
  if (teacher.data.kind !== 'table' || data.train.classes < 3) throw new Error('Distillation needs a table of three or more classes.');
  const classes = data.train.classes;
  const logits = await teacherLogits(teacher, data, weights);
  const distillation = { teacher: teacherProbabilities(logits, classes, settings.temperature), temperature: settings.temperature, alpha: settings.alpha };
  const students = settings.seeds.map((seed) => ({
    ...teacher,
    seed,
    model: { ...teacher.model, hidden: settings.hidden },
    training: { ...teacher.training, epochs: settings.epochs, patience: 0 },
  }));
  const score = async (options: TrainerOptions) => {
    const trainer = new Trainer(students, data, options);
    try {
      while (!trainer.done) {
        trainer.stepBatch();
        if (trainer.atEpochEnd) await trainer.endEpoch();
      }
      const part = data.test ? 'test' : 'val';
      return await Promise.all(students.map(async (_, p) => (await trainer.evaluation(part, p)).accuracy ?? 0));
    } finally {
      trainer.dispose();
    }
  };
  return { alone: await score({}), distilled: await score({ distillation }) };
}

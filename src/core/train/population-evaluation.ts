import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, ProblemType } from '../data/types';
import { classificationScores, regressionScores, type Evaluation } from '../model/evaluation';
import { dataLoss, pointLosses, type LossKind } from '../model/loss';
import { splitLayers } from '../model/network';
import { decisionGridTensor, type PictureFrame } from '../model/predict';
import type { PopulationState } from './population-state';

/** What an epoch's end measures over: the validation rows and the epoch's training examples. */
export interface EpochValidation {
  kind: LossKind;
  /** Validation inputs with a column of ones, [1, n, inputs + 1], and encoded targets, on the device. */
  valX: tf.Tensor;
  valT: tf.Tensor;
  /** Validation rows. */
  nVal: number;
  /** Training examples the epoch's sums cover. */
  seen: number;
  /** Σ(y − ȳ)² of the training and validation targets, for R². */
  totals: [number, number];
}

/**
 * [trainLoss…, trainMetric…, valLoss…, valMetric…] of every row of the population: the epoch's
 * sums turned into means, and the current weights on the validation part; one read. Resets
 * the batched path's sums.
 */
export async function epochValues(state: PopulationState, v: EpochValidation): Promise<number[]> {
  const P = state.size;
  const classification = v.kind !== 'regression';
  // at(k, r): row r's train loss sum (k = 0), train right (1), validation loss sum (2) and validation right (3).
  let at: (k: number, r: number) => number;
  if (state.fused) {
    const packed = state.fused.evaluate(v.valX, v.valT, v.nVal);
    const values = await packed.data();
    packed.dispose();
    at = (k, r) => values[r * 4 + k];
  } else {
    const { sums } = state.operations!;
    // A population is evaluated with overflowed members zeroed (see finiteLayers), their flags read too.
    const guarded = P > 1;
    const packed = tf.tidy(() => {
      const safe = guarded ? state.net.finiteLayers() : null;
      const { loss, correct } = pointLosses(v.kind, state.net.forwardAugmented(v.valX, undefined, undefined, safe?.layers), v.valT);
      const rows = [...tf.unstack(tf.sum(sums, 2)), tf.sum(loss, 1), ...(correct ? [tf.sum(correct, 1)] : [])];
      return tf.concat([...rows, ...(safe ? [safe.finite] : [])]);
    });
    const values = await packed.data();
    packed.dispose();
    tf.tidy(() => sums.assign(tf.zerosLike(sums)));
    // Rows as stacked: regression has no right-prediction rows.
    const row = classification ? [0, 1, 2, 3] : [0, -1, 1, -1];
    const finite = (r: number) => !guarded || values[(classification ? 4 : 2) * P + r] === 1;
    at = (k, r) => (row[k] < 0 ? 0 : k === 2 && !finite(r) ? Infinity : values[row[k] * P + r]);
  }
  const metric = (lossSum: number, correct: number, n: number, total: number) =>
    classification ? correct / n : 1 - lossSum / Math.max(total, 1e-12);
  const rows = Array.from({ length: P }, (_, r) => r);
  return [
    ...rows.map((r) => at(0, r) / v.seen),
    ...rows.map((r) => metric(at(0, r), at(1, r), v.seen, v.totals[0])),
    ...rows.map((r) => at(2, r) / v.nVal),
    ...rows.map((r) => metric(at(2, r), at(3, r), v.nVal, v.totals[1])),
  ];
}

/**
 * Row r's decision grid (when gridSize > 0) and parameters in one read from the device: on a
 * GPU every read waits for the queue, so the progress picture costs one wait, not seven.
 */
export async function rowSnapshot(
  state: PopulationState,
  r: number,
  gridSize: number,
  problem: ProblemType,
  frame: PictureFrame,
): Promise<{ grid?: Float32Array; weights: Float32Array[] }> {
  state.syncNetwork();
  const { net } = state;
  const packed = tf.tidy(() => {
    const parts = net.variables.map((v) => tf.reshape(tf.slice(v, [r, 0, 0], [1, -1, -1]), [-1]));
    if (gridSize > 0) parts.unshift(decisionGridTensor(net, problem, frame, gridSize, r));
    return tf.concat(parts);
  });
  const flat = (await packed.data()) as Float32Array;
  packed.dispose();
  let offset = gridSize * gridSize;
  const layers = net.widths.map(([i, o]) => flat.subarray(offset, (offset += (i + 1) * o)));
  return { grid: gridSize > 0 ? flat.slice(0, gridSize * gridSize) : undefined, weights: splitLayers(net.widths, layers) };
}

/**
 * Row r on a dataset given as network inputs `x` [n, inputs] and targets `y` on the device:
 * loss, and accuracy with confusion matrix and per-class precision and recall, or R² and MAE
 * in the target's units. One read.
 */
export async function rowEvaluation(
  state: PopulationState,
  r: number,
  data: Dataset,
  set: { x: tf.Tensor2D; y: tf.Tensor },
): Promise<Evaluation> {
  state.syncNetwork();
  const { problem } = data;
  const packed = tf.tidy(() => {
    const logits = tf.slice(state.net.forward(set.x), [r], [1]);
    const loss = dataLoss(problem, logits, set.y);
    const out = logits.rank === 3 ? tf.cast(tf.argMax(logits, 2), 'float32') : problem === 'classification' ? tf.cast(tf.greater(logits, 0), 'float32') : logits;
    return tf.concat([loss, tf.reshape(out, [-1])]);
  });
  const values = (await packed.data()) as Float32Array;
  packed.dispose();
  const predicted = values.subarray(1);
  const scores =
    problem === 'classification'
      ? classificationScores(data.y, predicted, Math.max(data.classes, 2))
      : regressionScores(data.y, predicted, data.targetScale);
  return { n: data.n, loss: values[0], ...scores };
}

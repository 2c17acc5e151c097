/**
 * Augmentation of a split's training part, and the comparison the optimize screen shows: the
 * same network trained on the plain and on the augmented rows, so the gap between training
 * and validation loss can be read off.
 */
import type { Dataset, SplitDataset } from '../data/types';
import { createRng } from '../random/prng';
import type { ExperimentSpec } from '../spec/experiment';
import { Trainer } from '../train/trainer';
import { gaussianJitter, mixup, smote } from './augment';

/** How to augment: Gaussian jitter copies (std 0 for none), mixup (α 0 for none), SMOTE up to the largest class, and a small-data cut. */
export interface AugmentSettings {
  /** Standard deviation of the noise of each jittered copy, in the inputs' units; 0 for none. */
  jitter: number;
  /** Jittered copies of every training row. */
  copies: number;
  /** mixup's α (λ ~ Beta(α, α)); 0 for none. Needs three or more classes: its labels are mixed distributions. */
  mixupAlpha: number;
  /** Whether SMOTE adds rows to every class smaller than the largest, until they are as large (k = 5). */
  smote: boolean;
  /** Keep only this many training rows (0 for all): the small-data case, where augmentation matters. */
  trainRows: number;
}

/** The augmented training rows, and the soft targets mixup made (else undefined). */
export interface Augmented {
  train: Dataset;
  targets?: Float32Array;
}

/** The first `rows` training rows (all when 0), the rest of the split as it is. */
export function smallData(data: SplitDataset, rows: number): SplitDataset {
  if (rows <= 0 || rows >= data.train.n) return data;
  const t = data.train;
  return { ...data, train: { ...t, n: rows, x: t.x.slice(0, rows * t.dims), y: t.y.slice(0, rows) } };
}

/** Rows of several parts one after another. */
function joined(base: Dataset, parts: { x: Float32Array; y: Float32Array }[]): Dataset {
  const x = new Float32Array(parts.reduce((n, p) => n + p.x.length, 0));
  const y = new Float32Array(parts.reduce((n, p) => n + p.y.length, 0));
  parts.reduce(([ox, oy], p) => (x.set(p.x, ox), y.set(p.y, oy), [ox + p.x.length, oy + p.y.length]), [0, 0]);
  return { ...base, n: y.length, x, y };
}

/**
 * The training part augmented: SMOTE rows for the smaller classes, then `copies` jittered copies
 * of every row, then (with mixup) every row mixed with a random partner, its label a mixed
 * distribution over the classes. Seeded.
 */
export function augmentTrain(train: Dataset, settings: AugmentSettings, seed: number): Augmented {
  const rng = createRng(seed);
  const parts = [{ x: train.x, y: train.y }];
  if (settings.smote && train.problem === 'classification') {
    const byClass = Array.from({ length: Math.max(train.classes, 2) }, (_, c) => Array.from(train.y.keys()).filter((i) => train.y[i] === c));
    const largest = Math.max(...byClass.map((rows) => rows.length));
    byClass.forEach((rows, c) => {
      if (rows.length < 2 || rows.length === largest) return;
      const x = new Float32Array(rows.length * train.dims);
      rows.forEach((i, r) => x.set(train.x.subarray(i * train.dims, (i + 1) * train.dims), r * train.dims));
      const made = smote(x, rows.length, largest - rows.length, rng);
      parts.push({ x: made, y: new Float32Array(largest - rows.length).fill(c) });
    });
  }
  let out = joined(train, parts);
  if (settings.jitter > 0 && settings.copies > 0) {
    const copies = Array.from({ length: settings.copies }, () => ({ x: gaussianJitter(out.x, settings.jitter, rng), y: out.y }));
    out = joined(out, [{ x: out.x, y: out.y }, ...copies]);
  }
  if (settings.mixupAlpha <= 0) return { train: out };
  if (train.classes < 3) throw new Error('mixup needs three or more classes: its labels are mixed class distributions.');
  const K = train.classes;
  const oneHot = new Float32Array(out.n * K);
  out.y.forEach((c, i) => (oneHot[i * K + c] = 1));
  const mixed = mixup(out.x, oneHot, out.n, settings.mixupAlpha, rng);
  const y = Float32Array.from({ length: out.n }, (_, i) => {
    let top = 0;
    for (let c = 1; c < K; c++) if (mixed.y[i * K + c] > mixed.y[i * K + top]) top = c;
    return top;
  });
  return { train: { ...out, x: mixed.x, y }, targets: mixed.y };
}

/** One side of the comparison: the last epoch's losses, each epoch's, and the held-out accuracy (or R²). */
export interface AugmentOutcome {
  rows: number;
  trainLoss: number;
  valLoss: number;
  score: number;
  /** Each epoch's training and validation loss: the loss-gap chart's curves. */
  curve: { train: number[]; val: number[] };
}

/**
 * Trains the run's network from scratch on the (small) plain training rows and on the same rows
 * augmented, with the run's settings: the losses at the end and the held-out score of each.
 */
export async function compareAugmentation(spec: ExperimentSpec, data: SplitDataset, settings: AugmentSettings): Promise<{ plain: AugmentOutcome; augmented: AugmentOutcome }> {
  const small = smallData(data, settings.trainRows);
  const augmented = augmentTrain(small.train, settings, spec.seed);
  const train = async (split: SplitDataset, targets?: Float32Array): Promise<AugmentOutcome> => {
    const run: ExperimentSpec = { ...spec, training: { ...spec.training, patience: 0 } };
    const trainer = new Trainer([run], split, { targets });
    try {
      while (!trainer.done) {
        trainer.stepBatch();
        if (trainer.atEpochEnd) await trainer.endEpoch();
      }
      const history = trainer.members[0].history;
      const last = history.at(-1)!;
      const evaluation = await trainer.evaluation(split.test ? 'test' : 'val');
      return {
        rows: split.train.n, trainLoss: last.trainLoss, valLoss: last.valLoss, score: evaluation.accuracy ?? evaluation.r2 ?? 0,
        curve: { train: history.map((e) => e.trainLoss), val: history.map((e) => e.valLoss) },
      };
    } finally {
      trainer.dispose();
    }
  };
  return { plain: await train(small), augmented: await train({ ...small, train: augmented.train }, augmented.targets) };
}

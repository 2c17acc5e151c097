/**
 * Size against accuracy: a saved network pruned to several sparsities and quantized to several
 * bit widths, each point fine-tuned quantization-aware with its mask in the training engine,
 * every sparsity of one bit width trained together as one population; accuracy against packed
 * bytes, with the Pareto front and the dense float network as the reference.
 */
import type { SplitDataset } from '../data/types';
import { paretoFront } from '../search/multi/pareto';
import type { ExperimentSpec } from '../spec/experiment';
import { Trainer } from '../train/trainer';
import { packedBytes, pruneMasks, quantizeWeights, type PruneMethod } from './model';
import { evaluateWeights } from './optimize';

/** What to sweep: sparsities (each 0 ≤ s < 1) × bit widths, the pruning method and the fine-tuning epochs of every point. */
export interface SweepSettings {
  sparsities: number[];
  bits: number[];
  method: PruneMethod;
  epochs: number;
}

/** One point of the sweep: its settings, held-out accuracy (or R²), packed bytes and weights. */
export interface SweepPoint {
  sparsity: number;
  /** 32 for the dense float reference. */
  bits: number;
  score: number;
  bytes: number;
  weights: Float32Array[];
}

/** The sweep's points (bit width after bit width, sparsities in order), the dense reference, and the indices of the Pareto front (higher score, fewer bytes). */
export interface SweepResult {
  points: SweepPoint[];
  dense: SweepPoint;
  front: number[];
}

const scoreOf = (e: { accuracy?: number; r2?: number }) => e.accuracy ?? e.r2 ?? 0;

/**
 * Runs the sweep from trained `weights`: per bit width, one population of one member per
 * sparsity (its own magnitude masks), fine-tuned `epochs` with the kernels fake-quantized to
 * that width per tensor, then quantized and scored on the held-out part. `onPoints` hears each
 * bit width's points as they finish.
 */
export async function sizeAccuracySweep(
  spec: ExperimentSpec,
  data: SplitDataset,
  weights: Float32Array[],
  shapes: number[][],
  settings: SweepSettings,
  onPoints?: (points: SweepPoint[]) => void,
): Promise<SweepResult> {
  const dense: SweepPoint = { sparsity: 0, bits: 32, score: scoreOf(await evaluateWeights(spec, data, weights)), bytes: packedBytes(shapes, null, null), weights };
  const tuned: ExperimentSpec = { ...spec, training: { ...spec.training, epochs: Math.max(1, settings.epochs), patience: 0 } };
  const points: SweepPoint[] = [];
  for (const bits of settings.bits) {
    const quantization = { bits, symmetric: false, perNeuron: false, activations: false };
    const masks = settings.sparsities.map((amount) => pruneMasks(weights, shapes, { method: settings.method, amount }));
    const trainer = new Trainer(settings.sparsities.map(() => tuned), data, { start: masks.map(() => weights), masks, quantization });
    const done: SweepPoint[] = [];
    try {
      while (settings.epochs > 0 && !trainer.done) {
        trainer.stepBatch();
        if (trainer.atEpochEnd) await trainer.endEpoch();
      }
      const trained = await Promise.all(settings.sparsities.map((_, p) => trainer.weights(p)));
      for (const [p, sparsity] of settings.sparsities.entries()) {
        const rounded = quantizeWeights(trained[p], shapes, quantization).weights;
        done.push({ sparsity, bits, score: scoreOf(await evaluateWeights(spec, data, rounded)), bytes: packedBytes(shapes, masks[p], quantization), weights: rounded });
      }
    } finally {
      trainer.dispose();
    }
    points.push(...done);
    onPoints?.(done);
  }
  return { points, dense, front: paretoFront(points.map((q) => [-q.score, q.bytes])) };
}

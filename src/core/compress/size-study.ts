/**
 * Size against accuracy as a study: a grid over sparsity × bits (× distilled or not) of a
 * saved run's trained network, weighed by validation accuracy and packed bytes. Every trial is
 * an experiment whose `compress` says what it does; the study engine asks the grid, trains the
 * trials of one bit width (and student or not) as one population, keeps their compressed
 * networks and draws the Pareto front like any other study's.
 */
import type { Evaluation } from '../model/evaluation';
import type { SearchSpace } from '../search';
import { paretoFront } from '../search/multi/pareto';
import type { CompressionSpec, ExperimentSpec } from '../spec/experiment';
import type { StudySpec, TrialRecord } from '../study/types';
import type { EpochMetrics } from '../train/types';

/** What a size-against-accuracy study varies and how each trial trains. */
export interface SizeStudySettings {
  sparsities: number[];
  bits: number[];
  /** Whether the grid also holds every point as a distilled student. */
  distilled: boolean;
  /** Fine-tuning epochs of every point, with its mask and its kernels fake-quantized. */
  epochs: number;
  distill: CompressionSpec['distill'];
}

/**
 * The study of a saved run (its id and experiment): every sparsity × bit width (× student or
 * not) once, by grid search, two objectives (validation accuracy or R² up, packed bytes down),
 * one worker so that each bit width's points train as one population, every trained network
 * kept so that each point opens its model.
 */
export function sizeAccuracyStudy(run: { id: string; spec: ExperimentSpec }, settings: SizeStudySettings): StudySpec {
  const { compress: _, ...source } = run.spec;
  const base: ExperimentSpec = {
    ...structuredClone(source),
    training: { ...source.training, epochs: settings.epochs, patience: 0 },
    compress: { run: run.id, sparsity: settings.sparsities[0], bits: settings.bits[0], distilled: false, distill: { ...settings.distill } },
  };
  const space: SearchSpace = {
    'compress.sparsity': { type: 'categorical', choices: [...settings.sparsities] },
    'compress.bits': { type: 'categorical', choices: [...settings.bits] },
    ...(settings.distilled ? { 'compress.distilled': { type: 'categorical', choices: [false, true] } } : {}),
  };
  const points = settings.sparsities.length * settings.bits.length * (settings.distilled ? 2 : 1);
  return {
    version: 1,
    name: `Size against accuracy: ${settings.sparsities.length} sparsities × ${settings.bits.length} bit widths${settings.distilled ? ' × distilled' : ''}`,
    base,
    space,
    sampler: { kind: 'grid' },
    pruner: { kind: 'none' },
    objective: { metric: 'valMetric', direction: 'maximize' },
    objectives: [{ metric: 'valMetric', direction: 'maximize' }, { metric: 'modelBytes', direction: 'minimize' }],
    nTrials: points,
    workers: 1,
    seed: run.spec.seed,
    folds: 1,
    keep: points,
  };
}

/** One trained point of the study, as the size-against-accuracy chart draws it. */
export interface SizePoint {
  /** The trial's number, to open its model. */
  trial: number;
  sparsity: number;
  bits: number;
  distilled: boolean;
  /** Validation accuracy (or R²) of the network as compressed. */
  score: number;
  /** Packed bytes. */
  bytes: number;
}

/** The study's completed trials as points, in trial order, and the indices of those on the Pareto front (higher score, fewer bytes). */
export function sizePoints(trials: readonly TrialRecord[]): { points: SizePoint[]; front: number[] } {
  const points = trials.flatMap((t) => {
    const c = t.spec.compress;
    return t.state === 'complete' && t.values && c ? [{ trial: t.number, sparsity: c.sparsity, bits: c.bits, distilled: c.distilled, score: t.values[0], bytes: t.values[1] }] : [];
  });
  return { points, front: paretoFront(points.map((p) => [-p.score, p.bytes])) };
}

/**
 * The dense float network the study starts from, as the chart's reference: its validation
 * accuracy (or R²; the last epoch's when the run kept no evaluation) and its float32 bytes.
 */
export function denseReference(run: { weights: Float32Array[]; evaluation?: { val: Evaluation }; epochs: EpochMetrics[] }): { score: number; bytes: number } {
  const val = run.evaluation?.val;
  return { score: val?.accuracy ?? val?.r2 ?? run.epochs.at(-1)?.valMetric ?? 0, bytes: run.weights.reduce((n, w) => n + 4 * w.length, 0) };
}

/**
 * What a network from a size-against-accuracy point is, said where its run opens for training
 * again: `from` names the saved run it was compressed from. Training again trains the
 * experiment anew; the compression belongs to the point, not to the experiment.
 */
export function compressionNote(compress: CompressionSpec, from: string): string {
  const student = compress.distilled ? `, as a student ${compress.distill.widthFactor} times as wide distilled from it first` : '';
  return `This network was compressed from ${from}: ${Math.round(compress.sparsity * 100)} % of its kernel weights pruned and its kernels at ${compress.bits} bits${student}. Training again trains this experiment anew, without compression.`;
}

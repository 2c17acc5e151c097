import * as Comlink from 'comlink';
import { exportDtypes } from '../core/compress/model';
import type { AugmentOutcome, AugmentSettings } from '../core/compress/augment-data';
import type { DistillResult, DistillSettings, OptimizeResult, OptimizeSettings } from '../core/compress/optimize';
import type { RebalanceResult } from '../core/compress/rebalance';
import type { WeightDtype } from '../core/model/weight-encoding';
import type { BackendPreference } from './backend-types';
import type { TrainWorkerApi } from '../workers/train.worker';
import type { RunRecord } from './store';
import { tensorWorker } from './tensor-worker';

/**
 * The page's side of the optimize screen: one training worker, started on first use, that
 * prunes, fine-tunes, quantizes and distills saved runs off the page.
 */
export class OptimizeClient {
  private api: Comlink.Remote<TrainWorkerApi> | null = null;
  private preference: BackendPreference | null = null;

  /** The worker, on the backend the run asked for when it trained (the best available for an imported one). */
  private async connect(run: RunRecord): Promise<Comlink.Remote<TrainWorkerApi>> {
    this.api ??= Comlink.wrap<TrainWorkerApi>(tensorWorker('train'));
    const preference = run.backend?.requested ?? 'auto';
    if (this.preference !== preference) {
      await this.api.prepare(preference);
      this.preference = preference;
    }
    return this.api;
  }

  /** Optimizes a saved run's network; `onRound` hears each pruning round's sparsity. */
  async optimize(run: RunRecord, settings: OptimizeSettings, onRound: (round: number, sparsity: number) => void): Promise<OptimizeResult> {
    if (!run.weights || !run.weightShapes) throw new Error('This run has no saved weights.');
    return (await this.connect(run)).optimize(run.spec, run.weights, run.weightShapes, settings, Comlink.proxy(onRound));
  }

  /** Trains the run's network on a few plain rows and on the same rows augmented, for comparison. */
  async augment(run: RunRecord, settings: AugmentSettings): Promise<{ plain: AugmentOutcome; augmented: AugmentOutcome }> {
    return (await this.connect(run)).augment(run.spec, settings);
  }

  /** Retrains a saved run's network with class weights (balanced when null), for per-class recall before and after. */
  async rebalance(run: RunRecord, classWeights: number[] | null, epochs: number): Promise<RebalanceResult> {
    if (!run.weights) throw new Error('This run has no saved weights.');
    return (await this.connect(run)).rebalance(run.spec, run.weights, classWeights, epochs);
  }

  /** Distills a saved teacher into a smaller student, beside the student trained alone. */
  async distill(teacher: RunRecord, settings: DistillSettings): Promise<DistillResult> {
    if (!teacher.weights) throw new Error('The teacher has no saved weights.');
    return (await this.connect(teacher)).distill(teacher.spec, teacher.weights, settings);
  }
}

/** Downloads an optimized network as tf.io files, in `dtype` or, when quantized per tensor, exactly on its levels (see exportDtypes); gives the names of the files saved. */
export async function downloadOptimized(run: RunRecord, result: OptimizeResult, dtype: WeightDtype, name = 'tunelab-optimized'): Promise<string[]> {
  // Loaded when first used, as the training screen loads it: the page's first load goes without it.
  const { downloadModel } = await import('./model-files');
  return downloadModel({ ...run, weights: result.weights }, name, { dtype: exportDtypes(result.known, dtype), known: result.known });
}

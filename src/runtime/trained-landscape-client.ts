import * as Comlink from 'comlink';
import type { Interpolation } from '../core/landscape/trained';
import type { SavedNetwork } from '../core/landscape/trained-request';
import type { SliceResult, TrainedLandscapeWorkerApi } from '../workers/trained-landscape.worker';
import type { BackendInfo, BackendPreference } from './backend-types';
import type { RunRecord } from './store';
import { tensorWorker } from './tensor-worker';

/** The part of a saved run the worker needs: no metrics, no evaluation. */
function networkOf(run: RunRecord): SavedNetwork {
  const { spec, weights, weightShapes, initialWeights, path } = run;
  return { spec, weights, weightShapes, initialWeights, path };
}

/**
 * The page's side of a saved run's landscape: one worker, started on first use and kept
 * while the screen is open, computing one figure after another.
 */
export class TrainedLandscapeClient {
  private worker: Worker | null = null;
  private api: Comlink.Remote<TrainedLandscapeWorkerApi> | null = null;
  private backend: Promise<BackendInfo> | null = null;

  constructor(private readonly preference: BackendPreference = 'auto') {}

  /** The backend the worker runs on, selected at the first call. */
  backendInfo(): Promise<BackendInfo> {
    this.backend ??= this.connect().prepare(this.preference);
    return this.backend;
  }

  /** Losses along the line from `other`'s minimum (or the run's initial weights, for null) to the run's. */
  async interpolation(run: RunRecord, other: RunRecord | null): Promise<Interpolation> {
    await this.backendInfo();
    return this.connect().interpolation(networkOf(run), other && networkOf(other));
  }

  /** The slice through the run's minimum. */
  async slice(run: RunRecord, directions: 'random' | 'pca', seed: number, res: number): Promise<SliceResult> {
    await this.backendInfo();
    return this.connect().slice(networkOf(run), directions, seed, res);
  }

  /** The largest Hessian eigenvalue at the run's minimum. */
  async sharpness(run: RunRecord): Promise<{ value: number; iterations: number }> {
    await this.backendInfo();
    return this.connect().sharpness(networkOf(run));
  }

  /** Ends the worker (the screen is leaving). */
  dispose(): void {
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.backend = null;
  }

  private connect(): Comlink.Remote<TrainedLandscapeWorkerApi> {
    if (!this.api) {
      this.worker = tensorWorker('trained');
      this.api = Comlink.wrap<TrainedLandscapeWorkerApi>(this.worker);
    }
    return this.api;
  }
}

import type { Interpolation } from '../core/landscape/trained';
import type { SavedNetwork } from '../core/landscape/trained-request';
import type { SliceResult, TrainedLandscapeWorkerApi } from '../workers/trained-landscape.worker';
import type { BackendInfo, BackendPreference } from './backend-types';
import type { RunRecord } from './store';
import { tensorWorker } from './tensor-worker';
import { WatchedWorker, type HeartbeatOptions } from './worker-watch';

/** The part of a saved run the worker needs: no metrics, no evaluation. */
function networkOf(run: RunRecord): SavedNetwork {
  const { spec, weights, weightShapes, initialWeights, path } = run;
  return { spec, weights, weightShapes, initialWeights, path };
}

/**
 * The page's side of a saved run's landscape: one worker, started on first use and kept
 * while the screen is open, computing one figure after another. A worker that dies (an
 * uncaught error, no answer to its heartbeat) fails the figure with a WorkerDied; the next
 * figure starts a fresh worker.
 */
export class TrainedLandscapeClient {
  private readonly worker: WatchedWorker<TrainedLandscapeWorkerApi>;
  private backend: Promise<BackendInfo> | null = null;

  /** `heartbeat` says how a dead worker is noticed (tests shorten it). */
  constructor(
    private readonly preference: BackendPreference = 'auto',
    heartbeat?: HeartbeatOptions,
  ) {
    this.worker = new WatchedWorker(() => tensorWorker('trained'), heartbeat, () => (this.backend = null));
  }

  /** The backend the worker runs on, selected at the first call. */
  backendInfo(): Promise<BackendInfo> {
    this.backend ??= this.worker.call((api) => api.prepare(this.preference));
    return this.backend;
  }

  /** Losses along the line from `other`'s minimum (or the run's initial weights, for null) to the run's. */
  async interpolation(run: RunRecord, other: RunRecord | null): Promise<Interpolation> {
    await this.backendInfo();
    return this.worker.call((api) => api.interpolation(networkOf(run), other && networkOf(other)));
  }

  /** The slice through the run's minimum. */
  async slice(run: RunRecord, directions: 'random' | 'pca', seed: number, res: number): Promise<SliceResult> {
    await this.backendInfo();
    return this.worker.call((api) => api.slice(networkOf(run), directions, seed, res));
  }

  /** The largest Hessian eigenvalue at the run's minimum. */
  async sharpness(run: RunRecord): Promise<{ value: number; iterations: number }> {
    await this.backendInfo();
    return this.worker.call((api) => api.sharpness(networkOf(run)));
  }

  /** Ends the worker (the screen is leaving). */
  dispose(): void {
    this.worker.end();
  }
}

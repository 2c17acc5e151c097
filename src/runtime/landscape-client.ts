import * as Comlink from 'comlink';
import type { BasinMap, BasinMapSpec, SurfaceSpec, Trajectory, TrajectorySpec } from '../core/landscape';
import type { LandscapeWorkerApi, SweepWithRuns } from '../workers/landscape.worker';
import { LAB_CALIBRATION_SHAPE } from '../core/landscape/calibration-shape';
import { chooseBackend } from './backend-choice';
import { tensorWorker } from './tensor-worker';
import type { BackendInfo, BackendPreference } from './backend-types';
import { WatchedWorker, type HeartbeatOptions } from './worker-watch';

/** Told how many steps of the running computation are done. */
export type ProgressListener = (stepsDone: number) => void;

/** Raised by a computation that a newer one, or {@link LandscapeClient.cancel}, replaced. */
export class CancelledError extends Error {
  constructor() {
    super('The computation was replaced by a newer one.');
    this.name = 'CancelledError';
  }
}

/**
 * The page's side of the landscape lab: one worker, kept while the screen is open, running
 * one computation at a time. Starting a computation cancels the one before (a newer setup
 * makes it worthless) and waits until it has stopped, so the two never share the device.
 * A worker that dies (an uncaught error, no answer to its heartbeat) fails the computation
 * with a WorkerDied; the next one starts a fresh worker.
 */
export class LandscapeClient {
  private readonly worker: WatchedWorker<LandscapeWorkerApi>;
  private backend: Promise<BackendInfo> | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private generation = 0;

  /** `heartbeat` says how a dead worker is noticed (tests shorten it). */
  constructor(
    private readonly preference: BackendPreference = 'auto',
    heartbeat?: HeartbeatOptions,
  ) {
    this.worker = new WatchedWorker(() => tensorWorker('landscape'), heartbeat, () => (this.backend = null));
  }

  /** The backend the worker runs on, selected at the first call (by measurement for 'auto', remembered on this device). */
  backendInfo(): Promise<BackendInfo> {
    this.backend ??= this.worker.call((api) => chooseBackend(api, this.preference, LAB_CALIBRATION_SHAPE));
    return this.backend;
  }

  /**
   * Milliseconds of the lab's calibration map on the worker's backend: what the calibration
   * measured when it chose the backend, else timed now (a forced backend).
   */
  async calibrationMs(): Promise<number> {
    const info = await this.backendInfo();
    return info.measured?.milliseconds[info.name] ?? this.worker.call((api) => api.timeMap());
  }

  /** f on a res × res grid of the surface, rows from the lowest y (core's layout). */
  surfaceGrid(surface: SurfaceSpec, res: number): Promise<Float32Array> {
    return this.exclusive((api) => api.surfaceGrid(surface, res));
  }

  /** The optimizers' paths from one start, all computed before any is shown. */
  trajectories(specs: (TrajectorySpec & { surface: SurfaceSpec })[], onProgress?: ProgressListener): Promise<Trajectory[]> {
    return this.exclusive((api) => api.trajectories(specs, onProgress && Comlink.proxy(onProgress)));
  }

  /** One optimizer's basin map: every start of the grid in one batch. */
  basinMap(spec: BasinMapSpec & { surface: SurfaceSpec }, onProgress?: ProgressListener): Promise<BasinMap> {
    return this.exclusive((api) => api.basinMap(spec, onProgress && Comlink.proxy(onProgress)));
  }

  /** A learning-rate sweep with every run step by step. */
  sweep(spec: Parameters<LandscapeWorkerApi['sweepWithRuns']>[0], onProgress?: ProgressListener): Promise<SweepWithRuns> {
    return this.exclusive((api) => api.sweepWithRuns(spec, onProgress && Comlink.proxy(onProgress)));
  }

  /** Stops the running computation at its next chunk of steps; its promise rejects with {@link CancelledError}. */
  cancel(): void {
    this.generation++;
    this.worker.tell((api) => api.cancel());
  }

  /** Ends the worker (the screen is leaving). */
  dispose(): void {
    this.generation++;
    this.worker.end();
  }

  private async exclusive<T>(work: (api: Comlink.Remote<LandscapeWorkerApi>) => Promise<T>): Promise<T> {
    this.cancel();
    const generation = this.generation;
    const previous = this.running;
    const next = (async () => {
      await previous.catch(() => undefined);
      await this.backendInfo();
      if (generation !== this.generation) throw new CancelledError();
      try {
        return await this.worker.call(work);
      } catch (error) {
        throw generation !== this.generation ? new CancelledError() : error;
      }
    })();
    this.running = next;
    const result = await next;
    if (generation !== this.generation) throw new CancelledError();
    return result;
  }
}

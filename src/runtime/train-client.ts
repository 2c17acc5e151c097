import type { Recipe } from '../core/data/table/types';
import * as Comlink from 'comlink';
import type { ExperimentSpec } from '../core/spec/experiment';
import type { RunRequest, StepUnit } from '../core/train/controller';
import type { RunOutcome, RunProgress } from '../core/train/run';
import type { EpochMetrics } from '../core/train/types';
import type { TrainWorkerApi } from '../workers/train.worker';
import { runLock, tryLock } from './locks';
import { tensorWorker } from './tensor-worker';
import { chooseBackend } from './backend-choice';
import { trainingShape } from '../core/train/training-shape';
import type { BackendInfo, BackendMeasurement, BackendPreference } from './backend-types';
import type { RunRecord, RunStore } from './store';
import type { LoadedData } from './experiment-data';
import { problemOfData } from '../core/train/training-data';
import { ioOfShapes } from '../core/model/network';
import { WatchedWorker, WorkerDied, type HeartbeatOptions } from './worker-watch';

/** What the screen hears from a run: progress snapshots, the backend, and the record as saved. */
export interface RunListener {
  onBackend?(info: BackendInfo): void;
  onProgress?(progress: RunProgress): void;
  onSaved?(record: RunRecord): void;
}

/**
 * The page's side of training: one worker, kept between runs, and the store that every epoch
 * is written to as it ends, so a reload loses at most the epoch in flight.
 */
export class TrainClient {
  private readonly worker: WatchedWorker<TrainWorkerApi>;
  /** The worker's backend, and what it was chosen for: a forced one, or 'auto' for work of one shape. */
  private backend: { preference: BackendPreference; shape?: string; info: BackendInfo } | null = null;
  /** The pace runs keep (see {@link TrainClient.setPace}). */
  private pace: number | null = null;

  /** `heartbeat` says how a dead worker is noticed (tests shorten it). */
  constructor(
    private readonly store: RunStore,
    heartbeat?: HeartbeatOptions,
  ) {
    // A crashed worker cannot be trusted with the next run: the next call starts another.
    this.worker = new WatchedWorker(() => tensorWorker('train'), heartbeat, () => (this.backend = null));
  }

  /** Trains `spec` in the worker, saving the run as it goes; resolves with the final record. */
  async run(
    spec: ExperimentSpec,
    preference: BackendPreference,
    options: Omit<RunRequest, 'pace'>,
    listener: RunListener = {},
  ): Promise<RunRecord> {
    // 'auto' is chosen by timing a few steps of this experiment's shape, remembered per device.
    const shape = preference === 'auto' ? trainingShape(spec) : undefined;
    if (this.backend?.preference !== preference || this.backend.shape !== shape) {
      const info = await this.worker.call((api) => {
        const worker = { device: () => api.device(), prepare: (p: BackendPreference, remembered?: BackendMeasurement | null) => api.prepare(p, remembered, spec) };
        return chooseBackend(worker, preference, shape ?? '');
      });
      this.backend = { preference, shape, info };
    }
    const backend = this.backend.info;
    listener.onBackend?.(backend);
    const record = await this.store.createRun(spec, backend);
    // Held while the run trains, so that another tab starting up leaves it running.
    const release = await tryLock(runLock(record.id));
    try {
      return await this.train(record, spec, options, listener);
    } finally {
      await release?.();
    }
  }

  /** Trains a created run to its end, or until the worker dies. */
  private async train(
    record: RunRecord,
    spec: ExperimentSpec,
    options: Omit<RunRequest, 'pace'>,
    listener: RunListener,
  ): Promise<RunRecord> {
    listener.onSaved?.(record);
    let outcome: RunOutcome & { recipe?: Recipe };
    try {
      outcome = await this.worker.call((api) =>
        api.train(
          spec,
          // The pace as it is when training starts: one set while the backend was being chosen counts.
          { ...options, pace: this.pace },
          Comlink.proxy((p: RunProgress) => listener.onProgress?.(p)),
          Comlink.proxy((m: EpochMetrics) => void this.store.appendEpochs(record.id, [m])),
        ),
      );
    } catch (error) {
      // A crashed worker cannot be trusted with the next run.
      this.reset();
      const died = error instanceof WorkerDied;
      // A dead worker's run keeps its finished epochs as an interrupted run, as a reload would.
      const failed = await this.store.finishRun(record.id, {
        status: died ? 'interrupted' : 'cancelled',
        message: `The training worker ${died ? 'stopped' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`,
      });
      if (failed) listener.onSaved?.(failed);
      throw error;
    }
    // Each epoch's callback comes through its own message port, which keeps no order with the
    // call's answer: the last epochs of a short run can arrive after it, so the whole history
    // is saved first (epochs already saved are skipped) and a late callback finds them there.
    await this.store.appendEpochs(record.id, outcome.history);
    const saved = await this.store.finishRun(record.id, {
      status: outcome.status,
      divergedAt: outcome.divergedAt,
      message: outcome.bestEpoch ? `Weights restored from epoch ${outcome.bestEpoch}.` : undefined,
      weights: outcome.weights,
      weightShapes: outcome.weightShapes,
      initialWeights: outcome.initialWeights,
      path: outcome.path,
      recipe: outcome.recipe,
      evaluation: outcome.evaluation,
      classWeights: outcome.classWeights,
    });
    if (saved) listener.onSaved?.(saved);
    return saved ?? { ...record, status: outcome.status, epochs: outcome.history };
  }

  /** An experiment's data and, for a table, its recipe, prepared in the worker: the page stays responsive. */
  prepareData(spec: ExperimentSpec): Promise<LoadedData> {
    return this.worker.call((api) => api.prepareData(spec));
  }

  /** The decision grid of a saved run's final weights, computed in the worker. */
  async predict(record: RunRecord, gridSize: number, axes?: [number, number]): Promise<Float32Array | null> {
    const shapes = record.weightShapes;
    if (!record.weights || !shapes) return null;
    const weights = record.weights;
    await this.ready();
    return this.worker.call((api) => api.predict(record.spec, weights, ioOfShapes(shapes), gridSize, axes));
  }

  /**
   * A saved run's model on rows of network inputs: per row the class-1 probability, the K
   * class probabilities, or the value (in the model's units).
   */
  async predictRows(record: RunRecord, x: Float32Array): Promise<Float32Array> {
    const shapes = record.weightShapes;
    if (!record.weights || !shapes) throw new Error('This run has no saved model');
    const weights = record.weights;
    await this.ready();
    return this.worker.call((api) => api.predictRows(record.spec, weights, ioOfShapes(shapes), problemOfData(record.spec.data), x));
  }

  /** Selects a backend in the worker when none is yet: the best available. */
  private async ready(): Promise<void> {
    if (!this.backend) this.backend = { preference: 'auto', info: await this.worker.call((api) => api.prepare('auto')) };
  }

  /** Shows the running table's decision picture through inputs `axes`. */
  setAxes(axes: [number, number]): void {
    this.worker.tell((api) => api.setAxes(axes));
  }

  /** Pauses the running run before its next batch. */
  pause(): void {
    this.worker.tell((api) => api.pause());
  }
  /** Resumes a paused run. */
  resume(): void {
    this.worker.tell((api) => api.resume());
  }
  /** Holds the running run, and the runs after it, to `epochsPerSecond` (null: full speed). */
  setPace(epochsPerSecond: number | null): void {
    this.pace = epochsPerSecond;
    this.worker.tell((api) => api.setPace(epochsPerSecond));
  }
  /** Runs one batch or the rest of the epoch of a paused run. */
  step(unit: StepUnit): void {
    this.worker.tell((api) => api.step(unit));
  }
  /** Ends the running run; its record keeps the epochs done. */
  cancel(): void {
    this.worker.tell((api) => api.cancel());
  }

  /** Stops the worker for good (the page is leaving). */
  reset(): void {
    this.worker.end();
  }
}

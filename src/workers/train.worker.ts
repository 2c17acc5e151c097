// Comlink adapter for one training run: picks the backend, runs core/train, streams progress
// and honours pause, step and cancel. No training logic lives here.
import * as Comlink from 'comlink';
import { selectBackend } from '../runtime/backend';
import type { BackendInfo, BackendPreference } from '../runtime/backend-types';
import { RunController, type StepUnit } from '../core/train/controller';
import { runTraining, type RunOutcome, type RunProgress } from '../core/train/run';
import type { EpochMetrics } from '../core/train/types';
import type { ExperimentSpec } from '../core/spec/experiment';
import { NetworkParams } from '../core/model/network';
import { decisionGrid } from '../core/model/predict';
import { GENERATED_DOMAIN, problemOf } from '../core/data/generators';

let controller: RunController | null = null;

const api = {
  /** Selects the backend for this worker and says which one runs, and why if it fell back. */
  prepare(preference: BackendPreference): Promise<BackendInfo> {
    return selectBackend(preference);
  },

  /** Trains `spec` to its end; progress and each epoch's metrics stream through the callbacks. */
  async train(
    spec: ExperimentSpec,
    options: { gridSize: number; startPaused: boolean; firstStep?: StepUnit },
    onProgress: (progress: RunProgress) => void,
    onEpoch: (metrics: EpochMetrics) => void,
  ): Promise<RunOutcome> {
    controller?.cancel();
    const own = new RunController(options.startPaused);
    if (options.firstStep) own.step(options.firstStep);
    controller = own;
    try {
      return await runTraining(spec, {
        controller: own,
        gridSize: options.gridSize,
        // Ten pictures a second keep the screen live; each costs a prediction and a read-back.
        progressInterval: 100,
        onEpoch,
        onProgress: (p) => onProgress(Comlink.transfer(p, p.grid ? [p.grid.buffer] : [])),
      });
    } finally {
      if (controller === own) controller = null;
    }
  },

  /** The decision grid of a saved model: the picture of a finished run, without training. */
  async predict(spec: ExperimentSpec, weights: Float32Array[], gridSize: number): Promise<Float32Array> {
    const net = new NetworkParams(spec.model, [weights]);
    try {
      const grid = await decisionGrid(net, problemOf(spec.data.kind), GENERATED_DOMAIN, gridSize);
      return Comlink.transfer(grid, [grid.buffer]);
    } finally {
      net.dispose();
    }
  },

  pause(): void {
    controller?.pause();
  },
  resume(): void {
    controller?.resume();
  },
  step(unit: StepUnit): void {
    controller?.step(unit);
  },
  cancel(): void {
    controller?.cancel();
  },
};

/** The training worker's interface, as the page sees it through Comlink. */
export type TrainWorkerApi = typeof api;

Comlink.expose(api);

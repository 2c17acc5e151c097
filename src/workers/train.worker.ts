// Comlink adapter for one training run: picks the backend, runs core/train, streams progress
// and honours pause, step and cancel. No training logic lives here.
import * as Comlink from 'comlink';
import { describeDevice } from '../runtime/backend';
import { selectForTraining } from '../runtime/training-backend';
import type { BackendInfo, BackendMeasurement, BackendPreference } from '../runtime/backend-types';
import { RunController, type RunRequest, type StepUnit } from '../core/train/controller';
import { runTraining, type RunOutcome, type RunProgress } from '../core/train/run';
import type { EpochMetrics } from '../core/train/types';
import type { ExperimentSpec } from '../core/spec/experiment';
import type { Recipe } from '../core/data/table/types';
import { NetworkParams, type NetworkIO } from '../core/model/network';
import { decisionGrid, generatedFrame, predictTensor, sliceFrame } from '../core/model/predict';
import * as tf from '@tensorflow/tfjs-core';
import { loadExperimentData, type LoadedData } from '../runtime/experiment-data';
import {
  balancedClassWeights, compareAugmentation, distill, optimizeModel, rebalance, type RebalanceResult, type AugmentOutcome, type AugmentSettings, type DistillResult, type DistillSettings, type OptimizeResult, type OptimizeSettings,
} from '../core/compress';

let controller: RunController | null = null;

const api = {
  /**
   * Selects the backend for this worker and says which one runs, and why if it fell back. For
   * 'auto' with an experiment, the backends that start here are timed on a few of its own
   * training steps (or `remembered` says how they did on this device) and the fastest runs.
   */
  prepare(preference: BackendPreference, remembered?: BackendMeasurement | null, spec?: ExperimentSpec): Promise<BackendInfo> {
    return selectForTraining(preference, remembered, spec);
  },

  /** This device in a few words: the key a backend calibration is remembered under. */
  device: describeDevice,

  /**
   * Trains `spec` to its end; progress and each epoch's metrics stream through the callbacks.
   * A table is read from the library and prepared here, off the page; its recipe comes back
   * with the outcome.
   */
  async train(
    spec: ExperimentSpec,
    options: RunRequest,
    onProgress: (progress: RunProgress) => void,
    onEpoch: (metrics: EpochMetrics) => void,
  ): Promise<RunOutcome & { recipe?: Recipe }> {
    controller?.cancel();
    const own = new RunController(options.startPaused);
    if (options.firstStep) own.step(options.firstStep);
    own.setPace(options.pace ?? null);
    controller = own;
    try {
      const { data, recipe } = await loadExperimentData(spec);
      const outcome = await runTraining(spec, {
        data,
        axes: options.axes,
        controller: own,
        gridSize: options.gridSize,
        // Ten pictures a second keep the screen live; each costs a prediction and a read-back.
        progressInterval: 100,
        onEpoch,
        onProgress: (p) => onProgress(Comlink.transfer(p, p.grid ? [p.grid.buffer] : [])),
      });
      return { ...outcome, recipe };
    } finally {
      if (controller === own) controller = null;
    }
  },

  /**
   * An experiment's data and recipe, for the page's picture and prediction form: a large
   * table is read and prepared here, so the page never freezes on it. The arrays move to the
   * page rather than being copied.
   */
  async prepareData(spec: ExperimentSpec): Promise<LoadedData> {
    const loaded = await loadExperimentData(spec);
    const { train, val, test } = loaded.data;
    const buffers = new Set([train, val, ...(test ? [test] : [])].flatMap((part) => [part.x.buffer, part.y.buffer]));
    return Comlink.transfer(loaded, [...buffers] as ArrayBuffer[]);
  },

  /** The decision grid of a saved model: the picture of a finished run, without training. */
  async predict(
    spec: ExperimentSpec,
    weights: Float32Array[],
    io: NetworkIO,
    gridSize: number,
    axes: [number, number] = [0, 1],
  ): Promise<Float32Array> {
    const { data } = await loadExperimentData(spec);
    const frame = data.train.domain ? generatedFrame(data.train.domain, spec.model.features) : sliceFrame(data.train, axes);
    const net = new NetworkParams(spec.model, io, [weights]);
    try {
      const grid = await decisionGrid(net, data.train.problem, frame, gridSize);
      return Comlink.transfer(grid, [grid.buffer]);
    } finally {
      net.dispose();
    }
  },

  /**
   * A saved model's outputs for rows of network inputs (a recipe already applied): the
   * class-1 probability, the class probabilities, or the value, row after row.
   */
  async predictRows(spec: ExperimentSpec, weights: Float32Array[], io: NetworkIO, problem: 'classification' | 'regression', x: Float32Array): Promise<Float32Array> {
    const net = new NetworkParams(spec.model, io, [weights]);
    try {
      const out = tf.tidy(() => predictTensor(net, problem, tf.tensor2d(x, [x.length / io.inputs, io.inputs])));
      const values = (await out.data()) as Float32Array;
      out.dispose();
      return values;
    } finally {
      net.dispose();
    }
  },

  /** Prunes (fine-tuning with the masks in the engine) and quantizes a saved network; both scores come back. */
  async optimize(
    spec: ExperimentSpec,
    weights: Float32Array[],
    shapes: number[][],
    settings: OptimizeSettings,
    onRound: (round: number, sparsity: number) => void,
  ): Promise<OptimizeResult> {
    const { data } = await loadExperimentData(spec);
    return optimizeModel(spec, data, weights, shapes, settings, onRound);
  },

  /** Trains a smaller student alone and distilled from a saved teacher, each over several seeds as one population. */
  async distill(teacher: ExperimentSpec, weights: Float32Array[], settings: DistillSettings): Promise<DistillResult> {
    const { data } = await loadExperimentData(teacher);
    return distill(teacher, data, weights, settings);
  },

  /** Retrains a saved network with class weights (balanced from its training labels when null); recall before and after comes back. */
  async rebalance(spec: ExperimentSpec, weights: Float32Array[], classWeights: number[] | null, epochs: number): Promise<RebalanceResult> {
    const { data } = await loadExperimentData(spec);
    return rebalance(spec, data, weights, classWeights ?? balancedClassWeights(data.train.y, Math.max(2, data.train.classes)), epochs);
  },

  /** Trains a run's network from scratch on a few plain training rows and on the same rows augmented. */
  async augment(spec: ExperimentSpec, settings: AugmentSettings): Promise<{ plain: AugmentOutcome; augmented: AugmentOutcome }> {
    const { data } = await loadExperimentData(spec);
    return compareAugmentation(spec, data, settings);
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
  /** Shows the running table's decision picture through inputs `axes`. */
  setAxes(axes: [number, number]): void {
    controller?.setAxes(axes);
  },
  /** Holds the running run to `epochsPerSecond` (null: full speed). */
  setPace(epochsPerSecond: number | null): void {
    controller?.setPace(epochsPerSecond);
  },
};

/** The training worker's interface, as the page sees it through Comlink. */
export type TrainWorkerApi = typeof api;

/** The adapter, as workers/tensor.worker exposes it to a worker named 'train'. */
export { api as trainApi };

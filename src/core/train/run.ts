import type { SplitDataset } from '../data/types';
import type { Evaluation } from '../model/evaluation';
import { parameterShapes } from '../model/network';
import type { ExperimentSpec } from '../spec/experiment';
import { RunController } from './controller';
import { Trainer } from './trainer';
import { trainingData } from './training-data';
import type { EpochMetrics, RunStatus } from './types';
import { addSnapshot, emptyPath, flattenWeights, wantsSnapshot, type WeightPath } from './weight-path';

/** A snapshot of a run in progress, as the screen draws it. */
export interface RunProgress {
  status: RunStatus;
  epoch: number;
  batchInEpoch: number;
  batchesPerEpoch: number;
  /** Metrics of the epochs completed since the previous progress report. */
  newEpochs: EpochMetrics[];
  /** Predictions on the decision grid (see decisionGrid), when one was asked for. */
  grid?: Float32Array;
  /** The current parameters, for the network drawing. */
  weights?: Float32Array[];
}

/** How a run ended. */
export interface RunOutcome {
  status: Extract<RunStatus, 'complete' | 'early-stopped' | 'diverged' | 'cancelled'>;
  /** The epoch whose loss was not finite, for 'diverged'. */
  divergedAt?: number;
  /** The epoch whose weights were restored, for 'early-stopped'. */
  bestEpoch?: number;
  history: EpochMetrics[];
  weights: Float32Array[];
  /** The shape of each array in `weights`. */
  weightShapes: number[][];
  /** The weights before the first step, as `weights`. */
  initialWeights: Float32Array[];
  /** Snapshots after the epochs, at most MAX_SNAPSHOTS of them: the training path. */
  path: WeightPath;
  /** The trained model on the validation part and, for tables, on the held-out test part. */
  evaluation?: { val: Evaluation; test?: Evaluation };
  /** Each class's weight in the training loss, when the spec asked for class weights (balanced ones as worked out). */
  classWeights?: number[];
}

/** Options of {@link runTraining}. */
export interface RunOptions {
  /** The data, when it is not the experiment's generated set (a prepared table). */
  data?: SplitDataset;
  /** Inputs on the axes of a table's decision picture (the others at their mean); the first two by default. */
  axes?: [number, number];
  controller?: RunController;
  /** Side of the decision grid sent with progress; 0 for none. */
  gridSize?: number;
  /** Least time between two progress reports, in ms (30 a second by default). */
  progressInterval?: number;
  onProgress?: (progress: RunProgress) => void;
  /** Called with each epoch's metrics as soon as it ends (for storage), before progress. */
  onEpoch?: (metrics: EpochMetrics) => void;
}

const YIELD_EVERY_MS = 12;

const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Trains an experiment to its end, honouring pause, step and cancel from the controller, and
 * reporting progress at most every `progressInterval` ms (and whenever it pauses or ends).
 * Never throws for a diverging run: that ends with status 'diverged' and the epoch.
 */
export async function runTraining(spec: ExperimentSpec, options: RunOptions = {}): Promise<RunOutcome> {
  const { controller = new RunController(), gridSize = 0, progressInterval = 33 } = options;
  const data = trainingData(spec, options.data);
  const trainer = new Trainer([spec], data);
  if (options.axes) trainer.setPictureAxes(options.axes);
  const member = trainer.members[0];
  const initialWeights = await trainer.weights();
  const path = emptyPath();
  let unreported: EpochMetrics[] = [];
  let lastReport = -Infinity;
  // Batches ran since the last report, or the last report said 'running': a pause then owes
  // the screen one fresh picture.
  let stale = false;
  let reported: RunStatus | null = null;
  let lastYield = performance.now();
  let epochStarted = lastYield;

  const report = async (status: RunStatus) => {
    lastReport = performance.now();
    stale = false;
    reported = status;
    const newEpochs = unreported;
    unreported = [];
    const { grid, weights } = await trainer.snapshot(gridSize);
    options.onProgress?.({
      status, epoch: trainer.epoch, batchInEpoch: trainer.batchInEpoch,
      batchesPerEpoch: trainer.batchesPerEpoch, newEpochs, grid, weights,
    });
  };

  try {
    await report(controller.isPaused ? 'paused' : 'running');
    for (;;) {
      if (controller.isPaused && (stale || reported !== 'paused')) await report('paused');
      const go = await controller.next();
      if (go === 'cancel') return await finish('cancelled');
      const axes = controller.takeAxes();
      if (axes) trainer.setPictureAxes(axes);
      if (go === 'redraw') {
        await report('paused');
        continue;
      }
      trainer.stepBatch();
      stale = true;
      if (go === 'batch') controller.completeStep();
      if (trainer.atEpochEnd) {
        const [metrics] = await trainer.endEpoch();
        if (wantsSnapshot(path, trainer.epoch)) addSnapshot(path, trainer.epoch, flattenWeights(await trainer.weights()));
        options.onEpoch?.(metrics!);
        unreported.push(metrics!);
        if (go === 'epoch') controller.completeStep();
        if (member.status !== 'training') return await finish(member.status as RunOutcome['status']);
        const wait = controller.epochWait(performance.now() - epochStarted);
        if (wait > 0) {
          // A paced run shows every epoch's picture, then holds it.
          await report('running');
          await new Promise<void>((resolve) => setTimeout(resolve, wait));
        }
        epochStarted = performance.now();
      }
      const now = performance.now();
      if (go !== 'run' || now - lastReport >= progressInterval) await report(controller.isPaused ? 'paused' : 'running');
      if (now - lastYield >= YIELD_EVERY_MS) {
        await yieldToEvents();
        lastYield = performance.now();
      }
    }
  } finally {
    trainer.dispose();
  }

  async function finish(status: RunOutcome['status']): Promise<RunOutcome> {
    await report(status);
    const evaluation =
      status === 'cancelled' || status === 'diverged'
        ? undefined
        : { val: await trainer.evaluation('val'), test: data.test ? await trainer.evaluation('test') : undefined };
    return {
      evaluation,
      status,
      divergedAt: member.divergedAt,
      bestEpoch: status === 'early-stopped' ? member.bestEpoch : undefined,
      history: member.history,
      weights: await trainer.weights(),
      weightShapes: parameterShapes(spec.model, trainer.io),
      initialWeights,
      path,
      ...(trainer.classWeights ? { classWeights: trainer.classWeights } : {}),
    };
  }
}

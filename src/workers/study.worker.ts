// Comlink adapter for a study's trials: trains a group of trials as one population (one per
// fold under cross-validation) on the chosen backend, asks the page which members to prune
// after every epoch, and can be cancelled.
import * as Comlink from 'comlink';
import type { ExperimentSpec } from '../core/spec/experiment';
import { trainCompressed } from '../core/compress/compressed-training';
import { trainCrossValidated, type CrossValidationOutcome } from '../core/study/cross-validate';
import { ASSUMED_DEVICE_GB, groupCap } from '../core/study/group-cap';
import { measureCost } from '../core/study/inference-time';
import type { TrialCost } from '../core/study/objectives';
import type { Objective } from '../core/study/types';
import type { EpochMetrics } from '../core/train/types';
import { describeDevice } from '../runtime/backend';
import { selectForTraining } from '../runtime/training-backend';
import { loadCompressionSource } from '../runtime/compression-source';
import { loadExperimentData } from '../runtime/experiment-data';
import type { BackendInfo, BackendMeasurement, BackendPreference } from '../runtime/backend-types';

let cancelled = false;

const api = {
  /**
   * Selects the backend for this worker and says which one runs. For 'auto' with the study's
   * base experiment, the backends that start here are timed on a population of `members`
   * copies of it (or `remembered` says how they did on this device) and the fastest runs.
   */
  prepare(preference: BackendPreference, remembered?: BackendMeasurement | null, base?: ExperimentSpec, members?: number): Promise<BackendInfo> {
    return selectForTraining(preference, remembered, base, members);
  },

  /** This device in a few words: the key a backend calibration is remembered under. */
  device: describeDevice,

  /**
   * Trains the trials' specs as one population, over `folds.k` folds cut with `folds.seed`
   * (k = 1: the plain validation split); `onEpoch` hears the metrics (averaged over the folds)
   * and answers with the members to prune. With `keep`, the best members' trained networks
   * come back too, evaluated on the experiment's own split. Trials that compress a saved run
   * (`compress`) start from its network, read here from the store (see trainCompressed).
   */
  async run(
    specs: ExperimentSpec[],
    folds: { k: number; seed: number },
    onEpoch: (epoch: number, metrics: (EpochMetrics | null)[]) => Promise<number[]>,
    keep?: { count: number; objective: Objective },
  ): Promise<CrossValidationOutcome> {
    cancelled = false;
    // A table comes from the library in IndexedDB (its loading code is in the training screen's worker script anyway).
    const data = specs[0].data.kind === 'table' ? (await loadExperimentData(specs[0])).data : undefined;
    const options = { data, onEpoch, cancelled: () => cancelled, keep };
    const compress = specs[0].compress;
    if (compress && folds.k > 1) throw new Error('A compression study validates on the run\'s own split, without folds.');
    const outcome = compress ? await trainCompressed(specs, await loadCompressionSource(compress.run), options) : await trainCrossValidated(specs, folds, options);
    // The weights move to the page rather than being copied.
    return Comlink.transfer(outcome, outcome.kept.flatMap((m) => m.weights.map((w) => w.buffer)));
  },

  /**
   * What a trial's network costs, for studies that weigh size or speed: its parameter count
   * and, with `time`, its inference time per row on this worker's backend (see measureCost).
   */
  async measure(spec: ExperimentSpec, time: boolean): Promise<TrialCost> {
    return measureCost(spec, (await loadExperimentData(spec)).data, time);
  },

  /**
   * Most members of `base`'s shape this worker may train at once when the study runs `workers`
   * workers (see groupCap): the data is read and prepared here, off the page.
   */
  async groupCap(base: ExperimentSpec, workers: number): Promise<number> {
    const deviceGb = (navigator as { deviceMemory?: number }).deviceMemory ?? ASSUMED_DEVICE_GB;
    return groupCap(base, (await loadExperimentData(base)).data, workers, deviceGb);
  },

  /** Stops the running group before its next batch. */
  cancel(): void {
    cancelled = true;
  },
};

/** The study worker's interface, as the page sees it through Comlink. */
export type StudyWorkerApi = typeof api;

/** The adapter, as workers/tensor.worker exposes it to a worker named 'study'. */
export { api as studyApi };

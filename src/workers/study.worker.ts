// Comlink adapter for a study's trials: trains a group of trials as one population on the
// chosen backend, asks the page which members to prune after every epoch, and can be cancelled.
import * as Comlink from 'comlink';
import type { ExperimentSpec } from '../core/spec/experiment';
import { trainPopulation, type PopulationOutcome } from '../core/train/population-run';
import type { EpochMetrics } from '../core/train/types';
import { selectBackend } from '../runtime/backend';
import type { BackendInfo, BackendPreference } from '../runtime/backend-types';

let cancelled = false;

const api = {
  /** Selects the backend for this worker and says which one runs. */
  prepare(preference: BackendPreference): Promise<BackendInfo> {
    return selectBackend(preference);
  },

  /** Trains the trials' specs as one population; `onEpoch` answers with the members to prune. */
  run(
    specs: ExperimentSpec[],
    onEpoch: (epoch: number, metrics: (EpochMetrics | null)[]) => Promise<number[]>,
  ): Promise<PopulationOutcome> {
    cancelled = false;
    return trainPopulation(specs, { onEpoch, cancelled: () => cancelled });
  },

  /** Stops the running group before its next batch. */
  cancel(): void {
    cancelled = true;
  },
};

/** The study worker's interface, as the page sees it through Comlink. */
export type StudyWorkerApi = typeof api;

Comlink.expose(api);

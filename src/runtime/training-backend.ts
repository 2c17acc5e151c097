// How a worker that trains (a run's or a study's) picks its backend for 'best available': by
// timing the work it is about to do on every backend that starts, since which is fastest
// depends on the network, the data and how many members train at once.
import { CALIBRATION_STEPS, timeTrainingStep } from '../core/train/calibrate';
import type { ExperimentSpec } from '../core/spec/experiment';
import { selectBackend, selectMeasured } from './backend';
import { BACKENDS, type BackendInfo, type BackendMeasurement, type BackendPreference } from './backend-types';
import { loadExperimentData, type LoadedData } from './experiment-data';

/**
 * Selects this worker's backend: a forced one as forced (or with no experiment to time); for
 * 'auto', the fastest of those that start here on a few training steps of `spec` with
 * `members` members at once, or as `remembered` says they did on this device. A single run
 * short enough on the CPU (see SHORT_WORK_MS) runs there, the GPUs neither started nor timed:
 * the playground's small networks then start at once.
 */
export function selectForTraining(preference: BackendPreference, remembered?: BackendMeasurement | null, spec?: ExperimentSpec, members = 1): Promise<BackendInfo> {
  if (preference !== 'auto' || !spec) return selectBackend(preference);
  let data: Promise<LoadedData> | null = null;
  const loaded = () => (data ??= loadExperimentData(spec));
  return selectMeasured(BACKENDS, {
    unit: members === 1 ? 'step' : `${members}-trial step`,
    time: async () => timeTrainingStep(spec, (await loaded()).data, CALIBRATION_STEPS, members),
    // A study's populations are many and long: this is for the single run a person waits on.
    ...(members === 1 ? { units: async () => spec.training.epochs * Math.ceil((await loaded()).data.train.n / spec.training.batchSize) } : {}),
  }, remembered);
}

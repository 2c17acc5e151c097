import { networkIO } from '../model/network';
import type { SplitDataset } from '../data/types';
import type { ExperimentSpec } from '../spec/experiment';
import { memberBytes, membersPerState, membersThatFit, stepValues } from '../train/population-memory';
import { parameterCount } from './objectives';
import type { StudySpec } from './types';

/** Largest population one study worker trains at once. */
export const MAX_GROUP = 64;
/**
 * How many of `share` trials one worker takes at a time, before memory caps it: all of them
 * for grid and random, at most 8 for samplers that learn from every result. NSGA-II learns
 * too, but from whole generations: one generation is one population.
 */
export function plannedGroup(spec: StudySpec, share: number): number {
  const learns = ['tpe', 'genetic'].includes(spec.sampler.kind);
  return Math.max(1, Math.min(MAX_GROUP, learns ? Math.min(8, share) : share));
}

/** Share of the device's memory the populations of a study may take, split among its workers. */
const MEMORY_SHARE = 1 / 8;
/** What navigator.deviceMemory says when the browser does not (GB; Chrome reports at most 8). */
export const ASSUMED_DEVICE_GB = 4;

/**
 * Most members of `base`'s shape that one of `workers` study workers may train at once on a
 * device of `deviceGb`: the population's memory (training and validation rows together, as
 * folds train on both) within its share of the device, and what one state can hold.
 */
export function groupCap(base: ExperimentSpec, data: SplitDataset, workers: number, deviceGb: number): number {
  const io = networkIO(base.data.kind === 'table' ? data.train.dims : base.model.features.length, data.train.classes);
  const parameters = parameterCount(base, io);
  const hiddenUnits = base.model.hidden.reduce((n, layer) => n + layer.units, 0);
  const working = stepValues(base.training.batchSize, hiddenUnits, io.outputs, parameters);
  const perMember = memberBytes(data.train.n + data.val.n, io, parameters, working);
  return Math.min(membersThatFit(perMember, (deviceGb * 2 ** 30 * MEMORY_SHARE) / workers, MAX_GROUP), membersPerState(parameters, working));
}

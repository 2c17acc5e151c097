import { generatedSplit } from '../data/split';
import { problemOf } from '../data/generators';
import type { ExperimentData, ProblemType, SplitDataset } from '../data/types';
import type { ExperimentSpec } from '../spec/experiment';

/**
 * The data an experiment trains on: the split a caller loaded (a prepared table, one fold of
 * a cross-validation), or else the experiment's generated set. Tables live in the browser's
 * library, out of reach of core, so they must be given.
 */
export function trainingData(spec: ExperimentSpec, given?: SplitDataset): SplitDataset {
  if (given) return given;
  if (spec.data.kind === 'table') throw new Error(`The table "${spec.data.name}" must be loaded before it can be trained on.`);
  return generatedSplit(spec.data);
}

/** Whether an experiment's data asks for classes or for a value. */
export function problemOfData(data: ExperimentData): ProblemType {
  if (data.kind === 'table') return data.preprocess.task === 'regression' ? 'regression' : 'classification';
  return problemOf(data.kind);
}

import { generatedSplit } from '../core/data/split';
import { tableSplit } from '../core/data/table-split';
import { prepareTable } from '../core/data/table/prepare';
import type { Recipe } from '../core/data/table/types';
import type { SplitDataset } from '../core/data/types';
import type { ExperimentSpec } from '../core/spec/experiment';
import { loadDataset } from './datasets';

/** An experiment's data, ready for the trainer, and for a table the recipe that made it. */
export interface LoadedData {
  data: SplitDataset;
  recipe?: Recipe;
}

/**
 * The data an experiment trains on, in the page or in a worker: a generated set from its
 * spec, or a table read from the library (or the site's built-ins) and prepared by its
 * preprocessing spec. Rejects with a message for a table this browser does not have or
 * cannot prepare.
 */
export async function loadExperimentData(spec: ExperimentSpec): Promise<LoadedData> {
  if (spec.data.kind !== 'table') return { data: generatedSplit(spec.data) };
  const dataset = await loadDataset(spec.data.dataset);
  const prepared = prepareTable(dataset.table, spec.data.preprocess);
  return { data: tableSplit(prepared), recipe: prepared.recipe };
}

// A small penguins study (grid over two learning rates and two widths: four configurations)
// that the Python export test runs with Optuna and with tunelab's own trainer.
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { prepareTable } from '../../src/core/data/table/prepare';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import type { StudySpec } from '../../src/core/study/types';

/** The penguins experiment every trial starts from. */
export function penguinExperiment(): ExperimentSpec {
  const spec = structuredClone(DEFAULT_EXPERIMENT);
  spec.data = {
    kind: 'table', dataset: 'builtin:penguins', name: 'Palmer penguins',
    preprocess: {
      target: 'Species', task: 'multiclass',
      features: ['Island', 'Bill length (mm)', 'Bill depth (mm)', 'Flipper length (mm)', 'Body mass (g)', 'Sex'],
      missing: 'mean', scaling: 'standardize', split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1,
    },
  };
  spec.model.hidden = [{ units: 8, activation: 'relu' }];
  spec.optimizer = { kind: 'adam', lr: 0.01 };
  spec.training = { ...spec.training, batchSize: 32, epochs: 20, patience: 0 };
  spec.seed = 1;
  return spec;
}

/** The study: grid sampler, median pruner, maximizing validation accuracy, four trials. */
export function penguinStudy(): StudySpec {
  return {
    version: 1, name: 'penguins', base: penguinExperiment(),
    space: { 'optimizer.lr': { type: 'categorical', choices: [0.003, 0.03] }, 'model.units': { type: 'int', low: 4, high: 12, step: 8 } },
    sampler: { kind: 'grid' }, pruner: { kind: 'median', startupTrials: 2 },
    objective: { metric: 'valMetric', direction: 'maximize' },
    nTrials: 4, workers: 2, seed: 7,
  };
}

/** The table and its recipe, prepared as the app prepares them. */
export async function penguinTable() {
  const dataset = (await loadBuiltin('builtin:penguins'))!;
  const spec = penguinExperiment();
  if (spec.data.kind !== 'table') throw new Error('unreachable');
  return { table: dataset.table, recipe: prepareTable(dataset.table, spec.data.preprocess).recipe };
}

import type { ColumnProfile, PreprocessSpec, StoredDataset, Table, TaskKind } from './types';

/** Levels a categorical target may have to be proposed by default. */
const MAX_DEFAULT_CLASSES = 20;

/**
 * The task a target column suggests: a yes/no or two-level column is binary classification,
 * more levels multi-class, and numbers regression (unless they take only two values).
 */
export function proposeTask(table: Table, profiles: ColumnProfile[], target: string): TaskKind {
  const profile = profiles.find((p) => p.name === target);
  const column = table.columns.find((c) => c.name === target);
  if (!profile || !column) return 'regression';
  if (column.kind === 'number' && profile.type !== 'categorical' && profile.type !== 'boolean') {
    return profile.distinct === 2 ? 'binary' : 'regression';
  }
  return profile.distinct === 2 ? 'binary' : 'multiclass';
}

/**
 * The preprocessing proposed for a dataset: its suggested target, else its last column where
 * that can be one (numbers, or a category of 2 to 20 levels), as most tables put what they
 * record last and as Weka and the UCI files assume; else the last categorical or boolean column
 * with 2 to 20 levels, else the last numeric column. Every other column that is not ignored is
 * a feature; mean imputation, standardization, a 70/15/15 split, seed 1.
 */
export function defaultPreprocess(dataset: StoredDataset): PreprocessSpec {
  const { profiles, table } = dataset;
  const classes = profiles.filter((p) => (p.type === 'categorical' || p.type === 'boolean') && p.distinct >= 2 && p.distinct <= MAX_DEFAULT_CLASSES);
  const numeric = profiles.filter((p) => p.type === 'numeric');
  const last = profiles.at(-1);
  const lastFits = last && (classes.includes(last) || numeric.includes(last));
  const target =
    profiles.find((p) => p.name === dataset.suggestedTarget)?.name ?? (lastFits ? last.name : undefined) ?? classes.at(-1)?.name ?? numeric.at(-1)?.name ?? last?.name ?? '';
  return {
    target,
    task: proposeTask(table, profiles, target),
    features: profiles.filter((p) => p.name !== target && p.type !== 'ignore').map((p) => p.name),
    missing: 'mean',
    scaling: 'standardize',
    split: { train: 0.7, val: 0.15, test: 0.15 },
    seed: 1,
  };
}

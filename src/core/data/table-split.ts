import type { PreparedTable, TabularSet } from './table/types';
import type { Dataset, SplitDataset } from './types';

/**
 * A prepared table as the trainer takes its data: the recipe's inputs are the network's
 * inputs (no features are computed from them), and the test part rides along for the
 * evaluation at the end of a run.
 */
export function tableSplit({ recipe, train, val, test }: PreparedTable): SplitDataset {
  const classes = recipe.target.kind === 'classes' ? recipe.target.classes.length : 0;
  const part = (set: TabularSet): Dataset => ({
    problem: classes > 0 ? 'classification' : 'regression',
    n: set.n,
    x: set.x,
    y: set.y,
    dims: recipe.inputs.length,
    classes,
    targetScale: recipe.target.kind === 'value' ? recipe.target.std : undefined,
  });
  return { train: part(train), val: part(val), test: part(test) };
}

/** The built-in Palmer penguins table as an experiment's data: species from island, bill, flipper, mass and sex. */
export const PENGUINS = {
  kind: 'table',
  dataset: 'builtin:penguins',
  name: 'Palmer penguins',
  preprocess: {
    target: 'Species',
    task: 'multiclass',
    features: ['Island', 'Bill length (mm)', 'Bill depth (mm)', 'Flipper length (mm)', 'Body mass (g)', 'Sex'],
    missing: 'mean',
    scaling: 'standardize',
    split: { train: 0.7, val: 0.15, test: 0.15 },
    seed: 1,
  },
};

import { checkPreprocess } from '../data/table/check';
import { cellText } from '../data/table/rows';
import type { Recipe, Table } from '../data/table/types';
import type { PredictorNetwork } from '../export/predictor.js';
import type { MonitorBaseline, TextRow } from './report';

/** Row `r` of a table as text, every column by name ('' where empty). */
export function textRow(table: Table, r: number): TextRow {
  return Object.fromEntries(table.columns.map((c) => [c.name, cellText(c, r) ?? '']));
}

/**
 * What new rows are compared with: the training and test parts of the table a model was
 * trained on, split again by the recipe's spec (the split is seeded, so these are the very
 * rows), as text. Throws when the table no longer fits the spec.
 */
export function monitorBaseline(table: Table, recipe: Recipe, network: PredictorNetwork): MonitorBaseline {
  const check = checkPreprocess(table, recipe.spec);
  if (!check.ok) throw new Error(check.problems[0].message);
  const { train, test } = check.checked.parts;
  return { recipe, network, reference: train.map((r) => textRow(table, r)), test: test.map((r) => textRow(table, r)) };
}

import { isMissing, parseNumber } from './cells';
import type { Recipe, RecipeColumn } from './types';

/**
 * One numeric input as the network sees it: the value, or the fill when empty, shifted and
 * scaled. Preparing a table and {@link applyRecipe} both go through it, so training and
 * prediction compute the very same float.
 */
export function scaledInput(column: Extract<RecipeColumn, { kind: 'numeric' }>, value: number): number {
  return ((Number.isNaN(value) ? column.fill : value) - column.shift) / column.scale;
}

/** Inputs a recipe column makes: one for a number, one per level for a category (and one for its other levels). */
export function inputWidth(column: RecipeColumn): number {
  return column.kind === 'numeric' ? 1 : column.levels.length + (column.other ? 1 : 0);
}

/**
 * Which of a categorical column's inputs a level turns on: its own, the "other" input of a
 * capped column for any level not kept, or −1 (all zeros) for a level training never saw.
 */
export function levelInput(column: Extract<RecipeColumn, { kind: 'categorical' }>, level: string): number {
  const k = column.levels.indexOf(level);
  return k >= 0 || !column.other ? k : column.levels.length;
}

/**
 * The network inputs for one row given as text, as a CSV file or the prediction form has it:
 * the same numbers the network was trained on. An empty cell (or NA, null…) takes the column's
 * fill; a level not seen in training gives all zeros for that column, or turns on its "other"
 * input when the column has one. A text that is not a
 * number in a numeric column is an Error naming the column.
 *
 * @example
 * const x = applyRecipe(prepared.recipe, { 'Bill length (mm)': '39.1', Island: 'Dream', Sex: '' });
 */
export function applyRecipe(recipe: Recipe, row: Record<string, string>): Float32Array {
  const x = new Float32Array(recipe.inputs.length);
  let at = 0;
  for (const column of recipe.columns) {
    const cell = (row[column.name] ?? '').trim();
    if (column.kind === 'numeric') {
      const value = isMissing(cell) ? NaN : parseNumber(cell, true);
      if (!isMissing(cell) && Number.isNaN(value)) throw new Error(`“${column.name}” is a numeric column, but “${cell}” is not a number.`);
      x[at++] = scaledInput(column, value);
    } else {
      const level = levelInput(column, isMissing(cell) ? column.fill : cell);
      if (level >= 0) x[at + level] = 1;
      at += inputWidth(column);
    }
  }
  return x;
}

/**
 * Network input `index` back in its column's own units, for axis labels: a numeric input
 * unscaled (v·scale + shift, the inverse of {@link scaledInput}), a one-hot input's share of
 * its level as it is.
 */
export function rawInput(recipe: Recipe, index: number): (value: number) => number {
  let at = 0;
  for (const column of recipe.columns) {
    at += inputWidth(column);
    if (index < at) return column.kind === 'numeric' ? (v) => v * column.scale + column.shift : (v) => v;
  }
  return (v) => v;
}

import { isMissing, parseNumber } from './cells';
import { DATE_FEATURES, dateFeatures, parseDate, type CalendarDate } from './dates';
import type { Recipe, RecipeColumn } from './types';

/**
 * One numeric input as the network sees it: the value, or the fill when empty, shifted and
 * scaled. Preparing a table and {@link applyRecipe} both go through it, so training and
 * prediction compute the very same float.
 */
export function scaledInput(column: Extract<RecipeColumn, { kind: 'numeric' }>, value: number): number {
  return ((Number.isNaN(value) ? column.fill : value) - column.shift) / column.scale;
}

/**
 * A date column's five inputs for a date, or for its fill when the cell is empty (null).
 * Preparing a table and {@link applyRecipe} both go through it.
 */
export function dateInputs(column: Extract<RecipeColumn, { kind: 'date' }>, date: CalendarDate | null): number[] {
  return dateFeatures(date ?? parseDate(column.fill)!, column.shift, column.scale);
}

/** The names of the inputs a recipe column makes, in order: as {@link Recipe.inputs} lists them. */
export function inputNames(column: RecipeColumn): string[] {
  if (column.kind === 'numeric') return [column.name];
  if (column.kind === 'date') return DATE_FEATURES.map((feature) => `${column.name}:${feature}`);
  return [...column.levels.map((level) => `${column.name}=${level}`), ...(column.other ? [`${column.name}=(other)`] : [])];
}

/** Inputs a recipe column makes: one for a number, five for a date, one per level for a category (and one for its other levels). */
export function inputWidth(column: RecipeColumn): number {
  if (column.kind === 'numeric') return 1;
  return column.kind === 'date' ? DATE_FEATURES.length : column.levels.length + (column.other ? 1 : 0);
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
 * input when the column has one. A text that is not a number in a numeric column, or not a
 * date in a date column, is an Error naming the column.
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
    } else if (column.kind === 'date') {
      const date = isMissing(cell) ? null : parseDate(cell);
      if (!isMissing(cell) && !date) throw new Error(`“${column.name}” is a date column, but “${cell}” is not a date (write it as 2015-01-31).`);
      x.set(dateInputs(column, date), at);
      at += inputWidth(column);
    } else {
      const level = levelInput(column, isMissing(cell) ? column.fill : cell);
      if (level >= 0) x[at + level] = 1;
      at += inputWidth(column);
    }
  }
  return x;
}

/**
 * Network input `index` back in its column's own units, for axis labels: a numeric input or a
 * date's year unscaled (v·scale + shift, the inverse of {@link scaledInput}), a one-hot input's
 * share of its level and a date's sin or cos as they are.
 */
export function rawInput(recipe: Recipe, index: number): (value: number) => number {
  let at = 0;
  for (const column of recipe.columns) {
    const start = at;
    at += inputWidth(column);
    if (index >= at) continue;
    if (column.kind === 'categorical' || (column.kind === 'date' && index !== start)) return (v) => v;
    return (v) => v * column.scale + column.shift;
  }
  return (v) => v;
}

/** The network's output back in the target column's own units: a value target unscaled (v·std + mean), a class output as it is. */
export function rawTarget(recipe: Recipe): (value: number) => number {
  const { target } = recipe;
  return target.kind === 'value' ? (v) => v * target.std + target.mean : (v) => v;
}

/** A decision picture's two axes, inputs `axes` of `recipe`, back in their columns' own units (see {@link rawInput}). */
export function rawAxes(recipe: Recipe, axes: readonly [number, number]): [(value: number) => number, (value: number) => number] {
  return [rawInput(recipe, axes[0]), rawInput(recipe, axes[1])];
}

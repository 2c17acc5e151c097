import { checkPreprocess } from './check';
import { dayNumber, isoDate, parseDate } from './dates';
import { dateInputs, inputNames, inputWidth, levelInput, scaledInput } from './recipe';
import { cellText } from './rows';
import { MAX_CATEGORY_INPUTS, type PreparedTable, type PreprocessSpec, type Recipe, type RecipeColumn, type Table, type TableColumn, type TabularSet } from './types';

/**
 * Turns a table into network inputs and targets by a spec, and cuts it into training,
 * validation and test parts (seeded; stratified by class for classification).
 *
 * Every statistic comes from the training part only, so that validation and test measure
 * what new data would give: the fill of empty cells (mean, median or most frequent value; a
 * category is always filled with its most frequent level), the scaling (standardize:
 * (v − mean)/std; min–max: (v − min)/(max − min), fitted on the filled values), the levels of
 * the one-hot encoding of categorical and boolean columns (at most MAX_CATEGORY_INPUTS inputs a
 * column, the rarest levels sharing an "other" input), and a regression target's mean and
 * std (y is standardized with them). A date column's empty cells take the mean, median or most
 * frequent day (the mean for 'drop'), and its year is scaled as a number. Rows without a target are left out, as are rows with an
 * empty feature when `missing` is 'drop'. A spec the table cannot satisfy (see
 * checkPreprocess) throws an Error whose message is for the user.
 *
 * @example
 * const { recipe, train, val } = prepareTable(dataset.table, defaultPreprocess(dataset));
 * // train.x is row-major [train.n, recipe.inputs.length]
 */
export function prepareTable(table: Table, spec: PreprocessSpec): PreparedTable {
  const check = checkPreprocess(table, spec);
  if (!check.ok) throw new Error(check.problems[0].message);
  const { parts, classes } = check.checked;
  const columnOf = (name: string) => table.columns.find((c) => c.name === name)!;
  const features = spec.features.map(columnOf);
  const columns = features.map((column) => fitColumn(column, parts.train, spec));
  const target = columnOf(spec.target);
  const recipe: Recipe = {
    spec: structuredClone(spec),
    columns,
    inputs: columns.flatMap(inputNames),
    target: spec.task === 'regression' ? { kind: 'value', ...meanStd(numbersOf(target, parts.train)) } : { kind: 'classes', classes },
  };
  const encode = (rows: number[]) => encodeRows(features, recipe, target, rows);
  return { recipe, train: encode(parts.train), val: encode(parts.val), test: encode(parts.test) };
}

/** A feature's recipe column, fitted on the training rows. */
function fitColumn(column: TableColumn, train: number[], spec: PreprocessSpec): RecipeColumn {
  if (column.kind === 'text' && column.date) return fitDate(column, train, spec);
  if (column.kind === 'text') {
    const counts = new Map<number, number>();
    for (const r of train) if (column.codes[r] >= 0) counts.set(column.codes[r], (counts.get(column.codes[r]) ?? 0) + 1);
    const seen = [...counts.keys()].sort((a, b) => a - b);
    const fill = seen.reduce((best, code) => (counts.get(code)! > counts.get(best)! ? code : best), seen[0]);
    if (seen.length <= MAX_CATEGORY_INPUTS) return { name: column.name, kind: 'categorical', fill: column.levels[fill], levels: seen.map((code) => column.levels[code]) };
    // Too many levels: the most frequent keep their inputs (ties to the first in the table), the rest share one.
    const kept = [...seen].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b).slice(0, MAX_CATEGORY_INPUTS - 1).sort((a, b) => a - b);
    return { name: column.name, kind: 'categorical', fill: column.levels[fill], levels: kept.map((code) => column.levels[code]), other: true };
  }
  const fill = fillOf(numbersOf(column, train), spec.missing);
  const filled = train.map((r) => (Number.isNaN(column.values[r]) ? fill : column.values[r]));
  return { name: column.name, kind: 'numeric', fill, ...scalingOf(filled, spec.scaling) };
}

/** A date column's recipe: the fill day, a statistic of the training rows' days, and the scaling of their years. */
function fitDate(column: Extract<TableColumn, { kind: 'text' }>, train: number[], spec: PreprocessSpec): RecipeColumn {
  const dates = column.levels.map(parseDate);
  const days = train.flatMap((r) => {
    const date = column.codes[r] < 0 ? null : dates[column.codes[r]];
    return date ? [dayNumber(date)] : [];
  });
  const fill = isoDate(Math.round(fillOf(days, spec.missing)));
  const fillYear = Number(fill.slice(0, 4));
  const years = train.map((r) => (column.codes[r] < 0 ? fillYear : (dates[column.codes[r]]?.year ?? fillYear)));
  return { name: column.name, kind: 'date', fill, ...scalingOf(years, spec.scaling) };
}

/** What fills a numeric column's empty cells: the mean (also for 'drop', where none are left), median or most frequent value. */
function fillOf(observed: number[], missing: PreprocessSpec['missing']): number {
  return missing === 'median' ? median(observed) : missing === 'most-frequent' ? mode(observed) : meanStd(observed).mean;
}

/** Shift and scale of filled values: (v − mean)/std, (v − min)/(max − min), or none. */
function scalingOf(filled: number[], scaling: PreprocessSpec['scaling']): { shift: number; scale: number } {
  if (scaling === 'standardize') {
    const { mean, std } = meanStd(filled);
    return { shift: mean, scale: std };
  }
  if (scaling === 'minmax') {
    const lo = filled.reduce((m, v) => Math.min(m, v), Infinity);
    const hi = filled.reduce((m, v) => Math.max(m, v), -Infinity);
    return { shift: lo, scale: hi > lo ? hi - lo : 1 };
  }
  return { shift: 0, scale: 1 };
}

/** The rows' inputs and targets, through the same per-value functions as applyRecipe. */
function encodeRows(features: TableColumn[], recipe: Recipe, target: TableColumn, rows: number[]): TabularSet {
  const width = recipe.inputs.length;
  const x = new Float32Array(rows.length * width);
  const y = new Float32Array(rows.length);
  let offset = 0;
  recipe.columns.forEach((column, c) => {
    const source = features[c];
    if (column.kind === 'numeric' && source.kind === 'number') {
      rows.forEach((r, i) => (x[i * width + offset] = scaledInput(column, source.values[r])));
      rows.forEach((r, i) => {
        if (!Number.isFinite(x[i * width + offset])) throw new Error(tooLarge(column.name, source.values[r]));
      });
    } else if (column.kind === 'date' && source.kind === 'text') {
      const byLevel = source.levels.map((level) => {
        const date = parseDate(level);
        return date && dateInputs(column, date);
      });
      const fill = dateInputs(column, null);
      rows.forEach((r, i) => {
        const inputs = source.codes[r] < 0 ? fill : byLevel[source.codes[r]];
        if (!inputs) throw new Error(`“${column.name}” is a date column, but row ${r + 1} holds “${source.levels[source.codes[r]]}”, which is not a date (write it as 2015-01-31).`);
        x.set(inputs, i * width + offset);
      });
    } else if (column.kind === 'categorical' && source.kind === 'text') {
      // Table code → the input it turns on (−1: a level training never saw).
      const slot = source.levels.map((level) => levelInput(column, level));
      const fill = levelInput(column, column.fill);
      rows.forEach((r, i) => {
        const level = source.codes[r] < 0 ? fill : slot[source.codes[r]];
        if (level >= 0) x[i * width + offset + level] = 1;
      });
    }
    offset += inputWidth(column);
  });
  if (recipe.target.kind === 'value') {
    const { mean, std } = recipe.target;
    const values = (target as Extract<TableColumn, { kind: 'number' }>).values;
    rows.forEach((r, i) => {
      y[i] = (values[r] - mean) / std;
      if (!Number.isFinite(y[i])) throw new Error(tooLarge(target.name, values[r]));
    });
  } else {
    const index = new Map(recipe.target.classes.map((name, k) => [name, k]));
    rows.forEach((r, i) => (y[i] = index.get(cellText(target, r)!)!));
  }
  return { n: rows.length, x, y };
}

/** The non-empty values of a number column at `rows`. */
function numbersOf(column: TableColumn, rows: number[]): number[] {
  if (column.kind !== 'number') return [];
  return rows.map((r) => column.values[r]).filter((v) => !Number.isNaN(v));
}

/** The user's message for a value that training in single precision cannot hold, even scaled. */
function tooLarge(name: string, value: number): string {
  return `“${name}” has values too large to train on (such as ${value.toPrecision(3)}): single precision holds up to about 3.4e38 after scaling; standardize the column, or rescale it before importing.`;
}

/**
 * Mean and population standard deviation; a constant column gets std 1, so scaling leaves it at 0.
 * Values near the edge of the double range (1e154 and beyond) overflow the sum of squares, so
 * those columns are measured again in units of their largest magnitude.
 */
function meanStd(values: number[]): { mean: number; std: number } {
  const direct = moments(values, 1);
  if (Number.isFinite(direct.variance) && Number.isFinite(direct.mean)) return { mean: direct.mean, std: direct.variance > 0 ? Math.sqrt(direct.variance) : 1 };
  const unit = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const scaled = moments(values, unit);
  return { mean: scaled.mean * unit, std: scaled.variance > 0 ? Math.sqrt(scaled.variance) * unit : 1 };
}

/** Mean and population variance of values / unit. */
function moments(values: number[], unit: number): { mean: number; variance: number } {
  const mean = values.reduce((s, v) => s + v / unit, 0) / values.length;
  return { mean, variance: values.reduce((s, v) => s + (v / unit - mean) ** 2, 0) / values.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The most frequent value; the smallest among ties. */
function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = NaN;
  for (const [v, n] of counts) if (Number.isNaN(best) || n > counts.get(best)! || (n === counts.get(best)! && v < best)) best = v;
  return best;
}

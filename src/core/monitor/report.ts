import { dayNumber, parseDate } from '../data/table/dates';
import type { Recipe } from '../data/table/types';
import { cellNumber, missingCell, predictRow, type PredictorNetwork } from '../export/predictor.js';
import { datasetDrift, featureDrift, type DatasetDrift, type FeatureDrift, type FeatureSample } from './drift';

/** Rows of a table as text, keyed by column name, as a CSV file gives them. */
export type TextRow = Record<string, string>;

/** A column of new rows that does not fit the model's recipe. */
export interface ColumnProblem {
  column: string;
  kind: 'missing' | 'extra' | 'type';
  message: string;
}

/** Whether a cell holds no value, as the predictor reads it (an absent cell too). */
const isMissingText = (cell: string | undefined) => cell === undefined || missingCell(cell.trim());

/**
 * How the columns of new rows fit a recipe: feature columns the rows lack, columns the recipe
 * does not use (the target aside), and numeric (date) features whose cells are not numbers (dates), each named
 * with what was found. Missing and mistyped features block a report; extra columns are only
 * noted.
 */
export function checkColumns(recipe: Recipe, header: string[], rows: TextRow[]): ColumnProblem[] {
  const problems: ColumnProblem[] = [];
  const known = new Set([...recipe.columns.map((c) => c.name), recipe.spec.target]);
  for (const column of recipe.columns) {
    if (!header.includes(column.name)) {
      problems.push({ column: column.name, kind: 'missing', message: `The model needs the column “${column.name}”, which the new rows lack.` });
      continue;
    }
    if (column.kind === 'categorical') continue;
    const unreadable = column.kind === 'numeric' ? (cell: string) => Number.isNaN(cellNumber(cell)) : (cell: string) => parseDate(cell) === null;
    const bad = rows.map((r) => r[column.name]?.trim()).filter((cell) => !isMissingText(cell) && unreadable(cell!));
    if (bad.length) {
      const examples = [...new Set(bad)].slice(0, 3).map((v) => `“${v}”`).join(', ');
      const what = column.kind === 'numeric' ? 'numeric in the model, but' : 'a date column in the model, but';
      problems.push({ column: column.name, kind: 'type', message: `“${column.name}” is ${what} ${bad.length} of the new rows hold ${column.kind === 'numeric' ? 'text' : 'other text'} there (${examples}).` });
    }
  }
  for (const name of header) {
    if (!known.has(name)) problems.push({ column: name, kind: 'extra', message: `The column “${name}” is not one the model uses; it is left out.` });
  }
  return problems;
}

/** Shares of two samples over the same bins or categories, for an overlaid histogram. */
export interface Histogram {
  /** Bin edges (numbers) or categories. */
  labels: string[];
  edges?: number[];
  reference: number[];
  current: number[];
}

/** How well the model does on rows whose target is known. */
export type Score = { kind: 'accuracy'; value: number; rows: number } | { kind: 'r2'; value: number; rows: number };

/** The monitoring report on new rows of a saved table model. */
export interface MonitorReport {
  rows: number;
  drift: DatasetDrift;
  histograms: Record<string, Histogram>;
  /** The model's predictions on the new rows against those on the test part. */
  prediction: { drift: FeatureDrift | null; histogram: Histogram };
  /** Where the new rows carry the target. */
  score?: Score;
  /** Extra columns, left out. */
  notes: ColumnProblem[];
}

/** What a report compares: the model, its recipe, and the training and test parts as text rows. */
export interface MonitorBaseline {
  recipe: Recipe;
  network: PredictorNetwork;
  /** The training part: the reference the features' drift is measured against. */
  reference: TextRow[];
  /** The test part: the reference of the model's predictions. */
  test: TextRow[];
}

const HISTOGRAM_BINS = 20;

/**
 * The report on new rows (with or without the target): per feature Evidently's drift test
 * against the training part, PSI, missing values and unseen categories, drifted features
 * first; the prediction distribution against the test part's; accuracy or R² where the target
 * is present; overlaid histograms. Null with the problems when the columns do not fit.
 *
 * @example
 * const outcome = monitorRows(baseline, header, rows);
 * if ('problems' in outcome) show(outcome.problems); else draw(outcome.report);
 */
export function monitorRows(baseline: MonitorBaseline, header: string[], rows: TextRow[]): { report: MonitorReport } | { problems: ColumnProblem[] } {
  const problems = checkColumns(baseline.recipe, header, rows);
  if (problems.some((p) => p.kind !== 'extra')) return { problems };
  return { report: { ...compare(baseline, rows, header.includes(baseline.recipe.spec.target)), notes: problems } };
}

/** The report's body for rows known to fit the recipe. */
function compare(baseline: MonitorBaseline, rows: TextRow[], withTarget: boolean): Omit<MonitorReport, 'notes'> {
  const { recipe, network, reference, test } = baseline;
  const samples: FeatureSample[] = recipe.columns.map((column) => {
    if (column.kind === 'categorical') return { name: column.name, kind: 'categorical', reference: reference.map((r) => textOf(r[column.name])), current: rows.map((r) => textOf(r[column.name])) };
    const read = column.kind === 'date' ? yearOf : numberOf;
    return { name: column.name, kind: 'numeric', reference: reference.map((r) => read(r[column.name])), current: rows.map((r) => read(r[column.name])) };
  });
  const histograms = Object.fromEntries(samples.map((s) => [s.name, histogramOf(s)]));
  const regression = recipe.target.kind === 'value';
  const predict = (r: TextRow) => {
    const p = predictRow(network, recipe, r);
    return 'value' in p ? p.value : p.label;
  };
  const before = test.map(predict);
  const after = rows.map(predict);
  const predictionSample: FeatureSample = regression
    ? { name: 'prediction', kind: 'numeric', reference: before as number[], current: after as number[] }
    : { name: 'prediction', kind: 'categorical', reference: before as string[], current: after as string[] };
  const target = recipe.spec.target;
  const known = withTarget ? rows.flatMap((r, i) => (isMissingText(r[target]) ? [] : [i])) : [];
  return {
    rows: rows.length,
    drift: datasetDrift(samples),
    histograms,
    prediction: { drift: featureDrift(predictionSample), histogram: histogramOf(predictionSample) },
    score: known.length ? scoreOf(recipe, known.map((i) => rows[i][target].trim()), known.map((i) => after[i])) : undefined,
  };
}

function numberOf(cell: string | undefined): number {
  if (isMissingText(cell)) return NaN;
  return cellNumber(cell!.trim());
}
/** A date as a decimal year (2015.5 is early July 2015), so that a date column drifts as a number does; NaN when empty. */
function yearOf(cell: string | undefined): number {
  const date = isMissingText(cell) ? null : parseDate(cell!.trim());
  return date ? 1970 + dayNumber(date) / 365.2425 : NaN;
}
function textOf(cell: string | undefined): string | undefined {
  return isMissingText(cell) ? undefined : cell!.trim();
}

/** Accuracy of predicted classes, or R² = 1 − SS_res/SS_tot of predicted values, against the rows' targets. */
function scoreOf(recipe: Recipe, truth: string[], predicted: (string | number)[]): Score {
  if (recipe.target.kind === 'classes') {
    const right = truth.filter((t, i) => t === predicted[i]).length;
    return { kind: 'accuracy', value: right / truth.length, rows: truth.length };
  }
  const y = truth.map(Number);
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const residual = y.reduce((s, v, i) => s + (v - (predicted[i] as number)) ** 2, 0);
  const total = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { kind: 'r2', value: total > 0 ? 1 - residual / total : NaN, rows: y.length };
}

/** Shares per category, or per one of 20 equal bins over both samples' range, missing cells left out. */
function histogramOf(sample: FeatureSample): Histogram {
  if (sample.kind === 'categorical') {
    const labels = [...new Set([...sample.reference, ...sample.current].filter((v): v is string => v !== undefined))].sort();
    const shares = (values: (string | undefined)[]) => {
      const present = values.filter((v) => v !== undefined);
      return labels.map((l) => present.filter((v) => v === l).length / Math.max(present.length, 1));
    };
    return { labels, reference: shares(sample.reference), current: shares(sample.current) };
  }
  const all = [...Array.from(sample.reference), ...Array.from(sample.current)].filter(Number.isFinite);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const width = hi > lo ? (hi - lo) / HISTOGRAM_BINS : 1;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => lo + i * width);
  const shares = (values: ArrayLike<number>) => {
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) continue;
      counts[Math.min(HISTOGRAM_BINS - 1, Math.floor((values[i] - lo) / width))]++;
      n++;
    }
    return counts.map((c) => c / Math.max(n, 1));
  };
  return { labels: edges.slice(0, -1).map((e) => String(Number(e.toPrecision(3)))), edges, reference: shares(sample.reference), current: shares(sample.current) };
}

/** How the shift simulator changes one feature of the test rows. */
export interface Shift {
  column: string;
  /** Numeric: added, in standard deviations of the training part. */
  shift: number;
  /** Numeric: spread around the mean multiplied by this. */
  scale: number;
  /** Categorical: share of rows (0–1) moved to `level`. */
  mix: number;
  level?: string;
}

/**
 * The test rows with one feature shifted, rescaled or re-mixed, for the shift simulator: a
 * number v becomes mean + (v − mean)·scale + shift·std (training mean and std); for a category,
 * every row whose position falls in the first `mix` share of each run of rows (evenly spread,
 * no randomness) takes `level`. Other columns, and the target, stay as they are; so do the
 * rows when the feature is a date, which the simulator does not move.
 */
export function shiftRows(baseline: MonitorBaseline, shift: Shift): TextRow[] {
  const column = baseline.recipe.columns.find((c) => c.name === shift.column);
  if (!column || column.kind === 'date') return baseline.test;
  if (column.kind === 'numeric') {
    const values = baseline.reference.map((r) => numberOf(r[column.name])).filter(Number.isFinite);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) || 1;
    return baseline.test.map((r) => {
      const v = numberOf(r[column.name]);
      return Number.isNaN(v) ? r : { ...r, [column.name]: String(mean + (v - mean) * shift.scale + shift.shift * std) };
    });
  }
  const level = shift.level ?? column.levels[0];
  // Row i moves when the running share of moved rows first passes mix·(i + 1).
  return baseline.test.map((r, i) => (Math.floor(shift.mix * (i + 1)) > Math.floor(shift.mix * i) ? { ...r, [column.name]: level } : r));
}

/** The report on the shifted test rows: drift scores next to the model's real score on them. */
export function simulateShift(baseline: MonitorBaseline, shift: Shift): MonitorReport {
  return { ...compare(baseline, shiftRows(baseline, shift), true), notes: [] };
}


import { cellText, isEmptyCell, splitRows, targetClasses, usableRows, type RowSplit } from './rows';
import type { PreprocessSpec, Table } from './types';

/** A field of the preprocessing form. */
export type PreprocessField = 'target' | 'task' | 'features' | 'missing' | 'scaling' | 'split' | 'seed';

/** Why a preprocessing spec cannot be applied to a table, said next to the field it comes from. */
export interface PreprocessProblem {
  field: PreprocessField;
  message: string;
}

/** A spec that passed {@link checkPreprocess}: its usable rows, their split and the target's classes. */
export interface CheckedPreprocess {
  rows: number[];
  parts: RowSplit;
  /** Classification: the class names in order; regression: empty. */
  classes: string[];
}

/** More classes than this is not a classification a small network on a page can learn; it is likely a number to regress. */
const MAX_CLASSES = 100;
const MISSING = ['drop', 'mean', 'median', 'most-frequent'];
const SCALING = ['standardize', 'minmax', 'none'];
const TASKS = ['binary', 'multiclass', 'regression'];
const q = (name: string) => `“${name}”`;

/**
 * Checks a spec against a table: the columns exist, the target is not a feature, the task fits
 * the target, the shares make a split, and enough rows are left for every part and both
 * classes. Gives every problem found, each for its field, or what preparing will use.
 */
export function checkPreprocess(table: Table, spec: PreprocessSpec): { ok: true; checked: CheckedPreprocess } | { ok: false; problems: PreprocessProblem[] } {
  const problems: PreprocessProblem[] = [];
  const names = new Set(table.columns.map((c) => c.name));
  const target = table.columns.find((c) => c.name === spec.target);
  if (!spec.target) problems.push({ field: 'target', message: 'Choose the column to predict.' });
  else if (!target) problems.push({ field: 'target', message: `There is no column ${q(spec.target)} in this table.` });
  if (!TASKS.includes(spec.task)) problems.push({ field: 'task', message: `Unknown task ${q(String(spec.task))}.` });
  if (target?.kind === 'text' && spec.task === 'regression') {
    problems.push({ field: 'task', message: `${q(spec.target)} holds text: predict it by classification, or choose a numeric target for regression.` });
  }
  if (spec.features.length === 0) problems.push({ field: 'features', message: 'Choose at least one feature column.' });
  const unknown = spec.features.filter((f) => !names.has(f));
  if (unknown.length) problems.push({ field: 'features', message: `There is no column ${unknown.map(q).join(', ')} in this table.` });
  if (spec.features.includes(spec.target)) problems.push({ field: 'features', message: `${q(spec.target)} is the target, so it cannot also be a feature.` });
  if (new Set(spec.features).size !== spec.features.length) problems.push({ field: 'features', message: 'A feature is listed twice.' });
  if (!MISSING.includes(spec.missing)) problems.push({ field: 'missing', message: `Unknown way to treat empty cells: ${q(String(spec.missing))}.` });
  if (!SCALING.includes(spec.scaling)) problems.push({ field: 'scaling', message: `Unknown scaling ${q(String(spec.scaling))}.` });
  const shares = [spec.split.train, spec.split.val, spec.split.test];
  if (!shares.every((s) => Number.isFinite(s) && s >= 0 && s <= 1)) problems.push({ field: 'split', message: 'Each share is between 0 and 1.' });
  else if (Math.abs(shares[0] + shares[1] + shares[2] - 1) > 1e-6) {
    problems.push({ field: 'split', message: `The shares add up to ${round(100 * (shares[0] + shares[1] + shares[2]))} %, not 100 %.` });
  } else if (spec.split.train <= 0) problems.push({ field: 'split', message: 'The training share must be more than 0.' });
  if (!Number.isInteger(spec.seed)) problems.push({ field: 'seed', message: 'The seed is a whole number.' });
  if (problems.length) return { ok: false, problems };

  const rows = usableRows(table, spec);
  const classes = spec.task === 'regression' ? [] : targetClasses(target!, rows);
  if (spec.task !== 'regression') {
    if (classes.length < 2) {
      const only = classes.length ? ` (${q(classes[0])})` : '';
      return fail('target', `${q(spec.target)} has a single class${only} in the usable rows: a classifier needs at least two.`);
    }
    if (classes.length > MAX_CLASSES) {
      return fail('task', `${q(spec.target)} has ${classes.length} different values: too many classes (at most ${MAX_CLASSES}); predict it by regression if it is a number.`);
    }
    if (spec.task === 'binary' && classes.length > 2) {
      return fail('task', `${q(spec.target)} has ${classes.length} classes: choose multi-class classification.`);
    }
  }
  const parts = splitRows(rows, spec.split, spec.seed, classes.length ? (r) => cellText(target!, r)! : undefined);
  const short = (['train', 'val', 'test'] as const).find((p) => parts[p].length < (p === 'train' ? 2 : spec.split[p] > 0 ? 1 : 0));
  if (short) {
    const dropped = spec.missing === 'drop' ? ' after dropping rows with empty cells' : '';
    const part = { train: 'training', val: 'validation', test: 'test' }[short];
    return fail('split', `Too few rows for this split: ${rows.length} usable rows${dropped} give ${parts[short].length} ${part} rows. Use more rows or larger shares.`);
  }
  for (const name of spec.features) {
    const column = table.columns.find((c) => c.name === name)!;
    if (parts.train.every((r) => isEmptyCell(column, r))) return fail('features', `${q(name)} has no values in the training rows.`);
  }
  return { ok: true, checked: { rows, parts, classes } };

  function fail(field: PreprocessField, message: string) {
    return { ok: false as const, problems: [{ field, message }] };
  }
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

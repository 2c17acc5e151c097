import { createRng } from '../../random/prng';
import type { PreprocessSpec, Table, TableColumn } from './types';

/**
 * Salt mixed into the seed, so that the split draws from another stream than anything else
 * seeded with the same number (the network's initial weights, say).
 */
const SPLIT_SALT = 0x2c1b3c6d;

/** Natural order of class names: "2" before "10", "Adelie" before "Gentoo". */
const byName = new Intl.Collator('en', { numeric: true }).compare;

/** Row indices of the three parts of a table. */
export interface RowSplit {
  train: number[];
  val: number[];
  test: number[];
}

/** Whether cell `row` of a column is empty. */
export function isEmptyCell(column: TableColumn, row: number): boolean {
  return column.kind === 'number' ? Number.isNaN(column.values[row]) : column.codes[row] < 0;
}

/** The text of a cell of a text column, or of a number written as text; undefined when empty. */
export function cellText(column: TableColumn, row: number): string | undefined {
  if (column.kind === 'number') return Number.isNaN(column.values[row]) ? undefined : String(column.values[row]);
  const code = column.codes[row];
  return code < 0 ? undefined : column.levels[code];
}

/**
 * The rows a spec can use: a target is never imputed, so rows without one are left out; with
 * `missing: 'drop'`, so are rows with an empty feature.
 */
export function usableRows(table: Table, spec: PreprocessSpec): number[] {
  const target = table.columns.find((c) => c.name === spec.target)!;
  const features = spec.missing === 'drop' ? table.columns.filter((c) => spec.features.includes(c.name)) : [];
  const rows: number[] = [];
  for (let r = 0; r < table.rows; r++) {
    if (!isEmptyCell(target, r) && features.every((c) => !isEmptyCell(c, r))) rows.push(r);
  }
  return rows;
}

/** The classes of a classification target among `rows`, in natural order. */
export function targetClasses(target: TableColumn, rows: number[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) seen.add(cellText(target, r)!);
  return [...seen].sort(byName);
}

/**
 * Cuts `rows` into training, validation and test parts by a seeded shuffle. With `labels`
 * (classification) each class is cut on its own, so every part keeps the class shares;
 * within a class, or overall for regression, the first round(n · train) rows train, the next
 * round(n · val) validate and the rest test. Each part is then shuffled, so it is not sorted
 * by class.
 */
export function splitRows(rows: number[], split: PreprocessSpec['split'], seed: number, labels?: (row: number) => string): RowSplit {
  const rng = createRng((seed ^ SPLIT_SALT) >>> 0);
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const key = labels ? labels(r) : '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const parts: RowSplit = { train: [], val: [], test: [] };
  for (const key of [...groups.keys()].sort(byName)) {
    const group = rng.shuffle(groups.get(key)!);
    const n = group.length;
    const nTrain = Math.round(n * split.train);
    const nVal = split.test === 0 ? n - nTrain : Math.min(Math.round(n * split.val), n - nTrain);
    // A loop, not push(...rows): spreading a million rows overflows the call stack.
    group.forEach((r, i) => (i < nTrain ? parts.train : i < nTrain + nVal ? parts.val : parts.test).push(r));
  }
  rng.shuffle(parts.train);
  rng.shuffle(parts.val);
  rng.shuffle(parts.test);
  return parts;
}

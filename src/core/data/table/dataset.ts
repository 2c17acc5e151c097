import { convertColumn, profileColumn } from './profile';
import { parseCsv, type ParseOptions, type TextEncoding } from './parse';
import type { ColumnType, ImportProblem, StoredDataset } from './types';

/** What a dataset record says besides its table: everything but `table` and `profiles`. */
export type DatasetInfo = Omit<StoredDataset, 'table' | 'profiles'>;

/**
 * A library dataset from CSV text: the parsed table and its column profiles, with `info`, and
 * how its bytes were read.
 *
 * @example
 * const made = await datasetFromCsv(file, { id: crypto.randomUUID(), name: file.name, source: 'file', createdAt: Date.now(), bytes: file.size });
 */
export async function datasetFromCsv(
  input: Blob | string,
  info: DatasetInfo,
  options?: ParseOptions,
): Promise<{ ok: true; dataset: StoredDataset; encoding: TextEncoding } | { ok: false; problem: ImportProblem }> {
  const parsed = await parseCsv(input, options);
  if (!parsed.ok) return parsed;
  return { ok: true, dataset: { ...info, table: parsed.table, profiles: parsed.profiles }, encoding: parsed.encoding };
}

/**
 * The dataset with one column's type changed by the user: the column is converted to the form
 * the type asks for (see convertColumn) and profiled again. `note` tells what the change cost,
 * when values that are not numbers (or not dates) became empty.
 */
export function retypeColumn(dataset: StoredDataset, name: string, type: ColumnType): { dataset: StoredDataset; note?: string } {
  const c = dataset.table.columns.findIndex((column) => column.name === name);
  if (c < 0) return { dataset };
  const { column, unreadable } = convertColumn(dataset.table.columns[c], type);
  const columns = dataset.table.columns.map((old, i) => (i === c ? column : old));
  const profiles = dataset.profiles.map((old, i) => (i === c ? profileColumn(column, old.detected, type) : old));
  const examples = unreadable.slice(0, 3).map((v) => `“${v}”`).join(', ');
  const note = unreadable.length
    ? `${unreadable.length} value${unreadable.length > 1 ? 's' : ''} of “${name}” that ${unreadable.length > 1 ? 'are' : 'is'} not a ${type === 'date' ? 'date' : 'number'} (${examples}) now count as empty.`
    : undefined;
  return { dataset: { ...dataset, table: { ...dataset.table, columns }, profiles }, note };
}

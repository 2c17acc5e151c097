import * as v from 'valibot';
import type { StoredDataset } from '../../core/data/table/types';
import { count } from './run-check';

/** A column whose cells are as many as the table's rows, and whose codes point at its levels (−1: empty). */
function columnFits(column: StoredDataset['table']['columns'][number], rows: number): boolean {
  if (column.kind === 'number') return column.values.length === rows;
  return column.codes.length === rows && column.codes.every((c) => c >= -1 && c < column.levels.length);
}

const columnSchema = v.variant('kind', [
  v.object({ name: v.string(), kind: v.literal('number'), values: v.instance(Float64Array) }),
  v.object({ name: v.string(), kind: v.literal('text'), codes: v.instance(Int32Array), levels: v.array(v.string()), date: v.optional(v.literal(true)) }),
]);

const datasetSchema = v.pipe(
  v.object({
    id: v.pipe(v.string(), v.minLength(1)),
    name: v.string(),
    source: v.picklist(['file', 'builtin']),
    createdAt: v.number(),
    bytes: count,
    table: v.object({ rows: count, columns: v.array(columnSchema) }),
    // The preview reads a profile's name and types; the statistics are redrawn from what is there.
    profiles: v.array(v.object({ name: v.string(), detected: v.string(), type: v.string(), missing: count, distinct: count })),
    credit: v.optional(v.string()),
    suggestedTarget: v.optional(v.string()),
  }),
  v.check((d) => d.table.columns.every((c) => columnFits(c, d.table.rows)), 'a column does not hold one cell per row'),
);

/** Whether a dataset from outside (a class pack) has the shape the library and the Data screen rely on. */
export function isStoredDataset(value: unknown): value is StoredDataset {
  return v.is(datasetSchema, value);
}

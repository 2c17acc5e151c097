import type { Table } from '../../core/data/table/types';

/**
 * Cells in one stored part at most: 4 M numbers (32 MiB) or codes, or 256 K level names.
 * Chromium aborts an IndexedDB value of more than about 128 MiB (a put of 114 MiB was stored, one
 * of 130 MiB aborted), and a table may reach 160 MB (MAX_CELLS numbers).
 */
export const PART_CELLS = 4 * 2 ** 20;
const PART_LEVELS = 2 ** 18;

/** A table without its cells: what is stored under its head record (a date column marked). */
export interface TableHead {
  rows: number;
  columns: { name: string; kind: 'number' | 'text'; date?: true }[];
}

/** A run of one column's cells (or of a text column's level names), from `offset` on. */
export type TablePart =
  | { column: number; offset: number; values: Float64Array }
  | { column: number; offset: number; codes: Int32Array }
  | { column: number; offset: number; levels: string[] };

/** A table as a head and parts of at most `cells` cells or `levels` level names each, in order. */
export function splitTable(table: Table, cells = PART_CELLS, levels = PART_LEVELS): { head: TableHead; parts: TablePart[] } {
  const parts: TablePart[] = [];
  table.columns.forEach((column, c) => {
    const values = column.kind === 'number' ? column.values : column.codes;
    for (let offset = 0; offset < values.length; offset += cells) {
      const run = values.slice(offset, offset + cells);
      parts.push(run instanceof Float64Array ? { column: c, offset, values: run } : { column: c, offset, codes: run });
    }
    if (column.kind === 'text') {
      for (let offset = 0; offset < column.levels.length; offset += levels) {
        parts.push({ column: c, offset, levels: column.levels.slice(offset, offset + levels) });
      }
    }
  });
  const heads = table.columns.map((column) => (column.kind === 'text' && column.date ? { name: column.name, kind: column.kind, date: true as const } : { name: column.name, kind: column.kind }));
  return { head: { rows: table.rows, columns: heads }, parts };
}

/** The table a head and its parts (in any order) were split from. */
export function joinTable(head: TableHead, parts: TablePart[]): Table {
  const columns = head.columns.map(({ name, kind, date }) =>
    kind === 'number'
      ? { name, kind, values: new Float64Array(head.rows) }
      : { name, kind, codes: new Int32Array(head.rows), levels: [] as string[], ...(date ? { date } : {}) },
  );
  for (const part of parts) {
    const column = columns[part.column];
    if ('values' in part && column.kind === 'number') column.values.set(part.values, part.offset);
    else if ('codes' in part && column.kind === 'text') column.codes.set(part.codes, part.offset);
    else if ('levels' in part && column.kind === 'text') part.levels.forEach((level, k) => (column.levels[part.offset + k] = level));
  }
  return { rows: head.rows, columns };
}

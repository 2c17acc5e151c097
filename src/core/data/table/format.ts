import { quoteCell } from './cells';
import { cellText } from './rows';
import type { Table } from './types';

/** Rows written per piece by {@link tableCsvParts}. */
const ROWS_PER_PART = 10_000;

/**
 * A table written back as CSV (comma-delimited, a header line, empty cells for missing values,
 * "\n" line ends), in pieces of rows, so a large table becomes a Blob without one huge string.
 *
 * @example
 * const blob = new Blob([...tableCsvParts(dataset.table)], { type: 'text/csv' });
 */
export function* tableCsvParts(table: Table): Generator<string> {
  yield table.columns.map((c) => quoteCell(c.name)).join(',') + '\n';
  for (let start = 0; start < table.rows; start += ROWS_PER_PART) {
    const lines: string[] = [];
    for (let r = start; r < Math.min(table.rows, start + ROWS_PER_PART); r++) {
      lines.push(table.columns.map((c) => quoteCell(cellText(c, r) ?? '')).join(','));
    }
    yield lines.join('\n') + '\n';
  }
}

/** The first `count` rows of a table as text, empty cells as "", for a preview. */
export function previewRows(table: Table, count: number): string[][] {
  return Array.from({ length: Math.min(count, table.rows) }, (_, r) => table.columns.map((c) => cellText(c, r) ?? ''));
}

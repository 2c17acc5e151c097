import { describe, expect, test } from 'vitest';
import type { Table } from '../../src/core/data/table/types';
import { joinTable, splitTable } from '../../src/runtime/store/table-parts';

describe('a stored table in parts', () => {
  test('numbers, codes and level names split into runs of at most the part size and join back, in any order', () => {
    const table: Table = {
      rows: 10,
      columns: [
        { name: 'x', kind: 'number', values: Float64Array.from({ length: 10 }, (_, i) => i / 4) },
        { name: 'id', kind: 'text', codes: Int32Array.from({ length: 10 }, (_, i) => (i === 3 ? -1 : i)), levels: Array.from({ length: 10 }, (_, i) => `row ${i}`) },
      ],
    };
    const { head, parts } = splitTable(table, 4, 3);
    expect(head).toEqual({ rows: 10, columns: [{ name: 'x', kind: 'number' }, { name: 'id', kind: 'text' }] });
    // x: 4 + 4 + 2 numbers; id: 4 + 4 + 2 codes and 3 + 3 + 3 + 1 level names.
    expect(parts.map((p) => ('values' in p ? p.values.length : 'codes' in p ? p.codes.length : p.levels.length))).toEqual([4, 4, 2, 4, 4, 2, 3, 3, 3, 1]);
    expect(joinTable(head, [...parts].reverse())).toEqual(table);
  });

  test('a table of 20 M cells (the import limit) needs no part over 32 MiB', () => {
    const { parts } = splitTable({ rows: 2_000_000, columns: Array.from({ length: 10 }, (_, c) => ({ name: `c${c}`, kind: 'number' as const, values: new Float64Array(2_000_000) })) });
    expect(Math.max(...parts.map((p) => ('values' in p ? p.values.byteLength : 0)))).toBeLessThanOrEqual(32 * 2 ** 20);
  });
});

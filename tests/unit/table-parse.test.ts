import { describe, expect, test } from 'vitest';
import { parseCsv, type ParseOutcome } from '../../src/core/data/table/parse';
import { retypeColumn, datasetFromCsv } from '../../src/core/data/table/dataset';
import { tableCsvParts } from '../../src/core/data/table/format';
import type { ImportProblem, Table, TableColumn } from '../../src/core/data/table/types';

/** The parsed table of an outcome that must have parsed. */
function table(outcome: ParseOutcome): Table {
  if (!outcome.ok) throw new Error(`expected a table, got: ${outcome.problem.message}`);
  return outcome.table;
}
function problem(outcome: ParseOutcome): ImportProblem {
  if (outcome.ok) throw new Error('expected a problem, got a table');
  return outcome.problem;
}
/** A column's cells as the file had them: numbers, or texts (null when empty). */
function cells(column: TableColumn): (number | string | null)[] {
  return column.kind === 'number' ? Array.from(column.values) : Array.from(column.codes, (c) => (c < 0 ? null : column.levels[c]));
}
const types = (outcome: ParseOutcome) => (outcome.ok ? outcome.profiles.map((p) => p.detected) : []);

describe('parseCsv: type detection and profiles', () => {
  test('numbers, categories, yes/no, 0/1, identifiers and free text each get their type', async () => {
    const lines = ['id,height,colour,smoker,treated,name'];
    const colours = ['red', 'green', 'blue'];
    for (let i = 1; i <= 30; i++) lines.push(`${i},${150 + (i % 7) * 5.5},${colours[i % 3]},${i % 4 ? 'yes' : 'no'},${i % 2},Person number ${i}`);
    const outcome = await parseCsv(lines.join('\n'));
    expect(types(outcome)).toEqual(['ignore', 'numeric', 'categorical', 'boolean', 'boolean', 'ignore']);
    const t = table(outcome);
    expect(t.rows).toBe(30);
    // A 0/1 column becomes levels, so preprocessing one-hot encodes it like any yes/no column.
    expect(t.columns[4]).toMatchObject({ kind: 'text', levels: ['0', '1'] });
    const [, height, colour] = outcome.ok ? outcome.profiles : [];
    expect(height).toMatchObject({ missing: 0, distinct: 7 });
    expect(height.histogram).toMatchObject({ lo: 150, hi: 183 });
    expect(height.histogram!.counts.reduce((a, b) => a + b)).toBe(30);
    // Equally frequent values keep the order of their first appearance.
    expect(colour.top).toEqual([{ value: 'green', count: 10 }, { value: 'blue', count: 10 }, { value: 'red', count: 10 }]);
  });

  test('empty cells and NA markers are missing; a column with a text cell becomes text from there on', async () => {
    const outcome = await parseCsv('x,y,z\n1,a,3\n,b,NA\n2.5,,n/a\n-4e2,a,x\n');
    const t = table(outcome);
    expect(cells(t.columns[0])).toEqual([1, NaN, 2.5, -400]);
    expect(cells(t.columns[1])).toEqual(['a', 'b', null, 'a']);
    expect(cells(t.columns[2])).toEqual(['3', null, null, 'x']);
    expect(outcome.ok && outcome.profiles.map((p) => [p.missing, p.distinct])).toEqual([[1, 3], [1, 2], [2, 2]]);
  });

  test('a first line with a number is data, and the columns are named Column 1, 2…', async () => {
    const t = table(await parseCsv('1,2\n3,4\n'));
    expect(t.columns.map((c) => c.name)).toEqual(['Column 1', 'Column 2']);
    expect(t.rows).toBe(2);
  });

  test('repeated and empty header names are made unique', async () => {
    const t = table(await parseCsv('a,a,\n1,2,3\n'));
    expect(t.columns.map((c) => c.name)).toEqual(['a', 'a (2)', 'Column 3']);
  });
});

describe('parseCsv: dialects', () => {
  test('a UTF-8 byte-order mark is dropped, in a string and in a file', async () => {
    const text = '\ufeffname,value\nä,1\nö,2\n';
    for (const input of [text, new Blob([new TextEncoder().encode(text)])]) {
      const t = table(await parseCsv(input));
      expect(t.columns[0].name).toBe('name');
      expect(cells(t.columns[0])).toEqual(['ä', 'ö']);
    }
  });

  test('semicolons with decimal commas, and tabs, are recognised', async () => {
    const semi = table(await parseCsv('a;b;c\n1,5;x;2\n-0,25;y;3\n'));
    expect(cells(semi.columns[0])).toEqual([1.5, -0.25]);
    expect(cells(semi.columns[1])).toEqual(['x', 'y']);
    const tab = table(await parseCsv('a\tb\r\n1\tp q\r\n2\tr\r\n'));
    expect(cells(tab.columns[1])).toEqual(['p q', 'r']);
    expect(cells(tab.columns[0])).toEqual([1, 2]);
  });

  test('quoted fields keep commas, doubled quotes and line breaks; line numbers count the breaks', async () => {
    const text = 'n,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,x,y\n';
    const outcome = await parseCsv(text);
    // Row 4 is ragged: the quoted line break moved it from line 5 to line 6.
    expect(problem(outcome).line).toBe(6);
    const t = table(await parseCsv(text.replace('4,x,y\n', '4,x\n')));
    expect(cells(t.columns[1])).toEqual(['a, b', 'say "hi"', 'two\nlines', 'x']);
  });

  test('multi-byte characters and quoted fields across chunk boundaries read the same as in one piece', async () => {
    const lines = ['city,temp'];
    for (let i = 0; i < 200; i++) lines.push(`"Zürich, ${i}\nOst",${i / 4}`);
    const text = lines.join('\r\n') + '\r\n';
    const whole = table(await parseCsv(text));
    const bytes = new Blob([new TextEncoder().encode(text)]);
    for (const chunkSize of [7, 64, 1000]) {
      const chunked = table(await parseCsv(bytes, { chunkSize }));
      expect(chunked.rows).toBe(200);
      expect(cells(chunked.columns[0])).toEqual(cells(whole.columns[0]));
      expect(cells(chunked.columns[1])).toEqual(cells(whole.columns[1]));
    }
    expect(cells(whole.columns[0])[199]).toBe('Zürich, 199\nOst');
  });

  test('progress rises to 1, and an abort stops the parse', async () => {
    const text = 'a,b\n' + Array.from({ length: 500 }, (_, i) => `${i},${i * 2}`).join('\n');
    const seen: number[] = [];
    await parseCsv(text, { chunkSize: 500, onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(1);
    const abort = new AbortController();
    abort.abort();
    await expect(parseCsv(text, { signal: abort.signal })).rejects.toThrow();
  });
});

describe('parseCsv: malformed input gives a problem with its line', () => {
  test.each([
    ['an empty file', '', 1, /empty/],
    ['blank lines only', '\n\n  \n', 1, /empty/],
    ['a header only', 'a,b,c\n', 2, /no rows of data/],
    ['a row with too few fields', 'a,b,c\n1,2,3\n4,5\n', 3, /Line 3 has 2 fields where the header has 3/],
    ['a row with too many fields', 'a,b\n1,2\n3,4\n5,6,7\n', 4, /Line 4 has 3 fields where the header has 2/],
    ['an unterminated quote', 'a,b\n1,2\n3,"open\n4,5\n', 3, /starts on line 3 has no closing quote/],
    ['a stray quote', 'a,b\n1,"x"y\n', 2, /quote/],
  ])('%s', async (_, text, line, message) => {
    const p = problem(await parseCsv(text));
    expect(p.line).toBe(line);
    expect(p.message).toMatch(message);
  });

  test('trailing empty fields and rows of empty cells (as spreadsheets write them) are accepted', async () => {
    const t = table(await parseCsv('a,b\n1,2,\n3,4\n,\n'));
    expect(t.rows).toBe(2);
  });

  test('NUL bytes: not text, at the line where they appear', async () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n3,4\n\0\0PK\0');
    const p = problem(await parseCsv(new Blob([bytes])));
    expect(p.line).toBe(4);
    expect(p.message).toMatch(/not text/);
  });

  test('a zip file (an .xlsx) is not text', async () => {
    const zip = new Uint8Array(4096).map((_, i) => (i < 4 ? [0x50, 0x4b, 0x03, 0x04][i] : (i * 7919) % 251));
    expect(problem(await parseCsv(new Blob([zip]))).message).toMatch(/not text/);
  });

  test('a file Excel saved on Windows (Windows-1252) is read as such, across chunks, and says so; UTF-8 stays UTF-8', async () => {
    // "Zürich;1,5" … in Windows-1252: ü = 0xFC, é = 0xE9, € = 0x80, and a decimal comma.
    const encode = (text: string) => Uint8Array.from(text, (ch) => ({ ü: 0xfc, é: 0xe9, '€': 0x80 })[ch] ?? ch.charCodeAt(0));
    const rows = ['ville;prix €', ...Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'Zürich' : 'Café'};${i},5`)];
    const outcome = await parseCsv(new Blob([encode(rows.join('\r\n'))]), { chunkSize: 64 });
    expect(outcome.ok && outcome.encoding).toBe('windows-1252');
    const t = table(outcome);
    expect(t.columns.map((c) => c.name)).toEqual(['ville', 'prix €']);
    expect(cells(t.columns[0]).slice(0, 2)).toEqual(['Café', 'Zürich']);
    expect(cells(t.columns[1]).slice(0, 2)).toEqual([0.5, 1.5]);
    const utf8 = await parseCsv(new Blob([new TextEncoder().encode(rows.join('\r\n'))]), { chunkSize: 64 });
    expect(utf8.ok && utf8.encoding).toBe('utf-8');
    expect(cells(table(utf8).columns[0]).slice(0, 2)).toEqual(['Café', 'Zürich']);
  });

  test('a table without any numeric column', async () => {
    const p = problem(await parseCsv('a,b\nx,y\nz,w\nx,w\n'));
    expect(p.message).toMatch(/No column of this file holds numbers/);
  });

  test('more cells than the limit: a message with the line, not a crash', async () => {
    const text = 'a,b\n' + Array.from({ length: 100 }, (_, i) => `${i},${i}`).join('\n');
    const p = problem(await parseCsv(text, { maxCells: 100 }));
    expect(p.line).toBe(52);
    expect(p.message).toMatch(/too large.*100 cells/);
  });
});

describe('datasets', () => {
  const info = { id: 'd', name: 'd.csv', source: 'file' as const, createdAt: 1, bytes: 10 };

  test('retyping a text column as numbers empties what is not a number, and says so', async () => {
    const made = await datasetFromCsv('price,kind,n\n1.5,a,1\nunknown,b,2\n2,a,3\n3,b,4\n', info);
    if (!made.ok) throw new Error(made.problem.message);
    expect(made.dataset.profiles[0].detected).toBe('categorical');
    const { dataset, note } = retypeColumn(made.dataset, 'price', 'numeric');
    expect(cells(dataset.table.columns[0])).toEqual([1.5, NaN, 2, 3]);
    expect(dataset.profiles[0]).toMatchObject({ detected: 'categorical', type: 'numeric', missing: 1, distinct: 3 });
    expect(note).toMatch(/1 value of “price” that is not a number \(“unknown”\)/);
    const back = retypeColumn(dataset, 'price', 'categorical').dataset;
    expect(back.table.columns[0]).toMatchObject({ kind: 'text', levels: ['1.5', '2', '3'] });
  });

  test('a table written as CSV reads back the same', async () => {
    const text = 'n,"na,me",t\n1.25,"say ""hi""",x\n,"two\nlines",\n-3,plain,y\n';
    const first = table(await parseCsv(text));
    const again = table(await parseCsv([...tableCsvParts(first)].join('')));
    expect(again.columns.map((c) => c.name)).toEqual(['n', 'na,me', 't']);
    expect(again.columns.map(cells)).toEqual(first.columns.map(cells));
  });
});

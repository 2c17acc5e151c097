import Papa from 'papaparse';
import { isMissing, parseNumber } from './cells';
import { ColumnBuilder } from './column-builder';
import { convertColumn, detectType, profileColumn } from './profile';
import { MAX_NAME_LENGTH, type ColumnProfile, type ImportProblem, type Table } from './types';

/**
 * The most cells (rows × columns) a table may have. Stored as 8-byte numbers that is 160 MB,
 * about what a browser tab can hold twice (parsed, then cloned into IndexedDB) without being
 * killed on a laptop; 1 million rows of 20 columns fit.
 */
export const MAX_CELLS = 20_000_000;
/** Bytes read and parsed at a time: progress is told, and cancellation looked at, between chunks. */
const CHUNK_BYTES = 2 << 20;
/** A row still open after this many characters is a quote that never closes. */
const MAX_ROW_CHARS = 16 << 20;
/** The delimiters recognised, in the order Papa Parse tries them. */
const DELIMITERS = [',', ';', '\t'];

/** How {@link parseCsv} reports and stops. */
export interface ParseOptions {
  /** Told the share of the input read so far, 0 to 1, after every chunk. */
  onProgress?: (fraction: number) => void;
  /** Aborting it stops the parse at the next chunk; the promise then rejects with an AbortError. */
  signal?: AbortSignal;
  /** Bytes (or, for a string, characters) per chunk; tests make it small to cross chunk boundaries. */
  chunkSize?: number;
  /** Cells allowed; {@link MAX_CELLS} unless a test says otherwise. */
  maxCells?: number;
}

/**
 * How a file's bytes were read: as UTF-8, or, when they are not valid UTF-8, as Windows-1252
 * (what Excel on Windows writes for "CSV"), which the import then says.
 */
export type TextEncoding = 'utf-8' | 'windows-1252';

/** A parsed table with what was learned of its columns, or why the input is not a table. */
export type ParseOutcome =
  | { ok: true; table: Table; profiles: ColumnProfile[]; encoding: TextEncoding }
  | { ok: false; problem: ImportProblem };

/** A problem found at a line of the input; turned into the outcome's ImportProblem. */
class InputProblem extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Thrown where bytes are text but not UTF-8: the file is read again as Windows-1252. */
class NotUtf8 extends Error {}

/** One piece of the decoded input, and how far through the input it ends. */
interface TextChunk {
  text: string;
  last: boolean;
  fraction: number;
}

/**
 * Reads CSV text (a File or Blob, or a string) into a table of typed columns, chunk by chunk,
 * so a file of hundreds of megabytes is never one string. Reads bytes as UTF-8, or as
 * Windows-1252 when they are text but not UTF-8 (the outcome says which). Recognises a UTF-8 byte-order mark,
 * the delimiter (comma, semicolon or tab), the line ending, quoted fields (with delimiters,
 * doubled quotes and line breaks inside), a header line (taken as one unless its first line
 * holds a number), and each column's type. What makes the input unreadable (binary content,
 * a missing closing quote, a row with too few or too many fields, no data, no
 * numeric column, too many cells) is an ImportProblem with the 1-based line where it was seen.
 *
 * @example
 * const outcome = await parseCsv(file, { onProgress: (f) => (bar.value = f) });
 * if (!outcome.ok) show(`Line ${outcome.problem.line}: ${outcome.problem.message}`);
 */
export async function parseCsv(input: Blob | string, options: ParseOptions = {}): Promise<ParseOutcome> {
  try {
    try {
      return await readTable(input, options, 'utf-8');
    } catch (error) {
      if (!(error instanceof NotUtf8)) throw error;
      return await readTable(input, options, 'windows-1252');
    }
  } catch (error) {
    if (error instanceof InputProblem) {
      return { ok: false, problem: error.line === undefined ? { message: error.message } : { message: error.message, line: error.line } };
    }
    throw error;
  }
}

async function readTable(input: Blob | string, options: ParseOptions, encoding: TextEncoding): Promise<ParseOutcome> {
  const maxCells = options.maxCells ?? MAX_CELLS;
  let parser: Papa.Parser | null = null;
  let delimiter = ',';
  let newline: '\n' | '\r' | '\r\n' = '\n';
  let pending = '';
  let base = 0;
  /** The line the next row starts on. */
  let line = 1;
  let builders: ColumnBuilder[] | null = null;
  /** The line after the header (or the first line, without one): where data should start. */
  let dataLine = 1;
  let rows = 0;

  /** Takes one parsed row that began on `rowLine`. */
  const take = (fields: string[], rowLine: number): void => {
    // Blank lines, and rows of empty cells as spreadsheets leave at the end, hold nothing.
    if (fields[0].trim() === '' && fields.every((f) => f.trim() === '')) return;
    if (!builders) {
      const decimalComma = delimiter !== ',';
      const header = !fields.some((f) => !isMissing(f.trim()) && !Number.isNaN(parseNumber(f.trim(), decimalComma)));
      const names = uniqueNames(fields.map((f, i) => (header ? f.trim() : '') || `Column ${i + 1}`));
      const long = names.findIndex((name) => name.length > MAX_NAME_LENGTH);
      if (long >= 0) {
        throw new InputProblem(
          `Column ${long + 1}'s name has ${names[long].length} characters (“${names[long].slice(0, 40)}…”); tunelab takes names of up to ${MAX_NAME_LENGTH}: shorten it in the file and import it again.`,
          rowLine,
        );
      }
      builders = names.map((name) => new ColumnBuilder(name, decimalComma));
      dataLine = header ? line : rowLine;
      if (header) return;
    }
    const width = builders.length;
    if (fields.length !== width) {
      if (fields.length < width || fields.slice(width).some((f) => f.trim() !== '')) {
        const hint = fields.length > width ? 'a delimiter inside a value that is not quoted?' : 'a value or a delimiter missing?';
        throw new InputProblem(`Line ${rowLine} has ${fields.length} fields where the header has ${width} (${hint})`, rowLine);
      }
    }
    if ((rows + 1) * width > maxCells) {
      throw new InputProblem(
        `The table is too large for this browser: it passes ${maxCells.toLocaleString('en')} cells (rows × columns) at line ${rowLine}. Keep fewer rows or columns.`,
        rowLine,
      );
    }
    rows++;
    for (let c = 0; c < width; c++) builders[c].push(fields[c]);
  };

  for await (const chunk of textChunks(input, options.chunkSize ?? CHUNK_BYTES, encoding)) {
    if (options.signal?.aborted) throw options.signal.reason ?? new DOMException('The import was cancelled.', 'AbortError');
    if (!parser) {
      ({ delimiter, newline } = guessDialect(chunk.text));
      parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
    }
    const aggregate = pending + chunk.text;
    const result = parser.parse(aggregate, base, !chunk.last) as Papa.ParseResult<string[]>;
    const quoted = aggregate.includes('"');
    const badQuote = result.errors.find((e) => chunk.last || (e.row ?? 0) < result.data.length);
    result.data.forEach((fields, r) => {
      const rowLine = line;
      if (badQuote?.row === r) throw quoteProblem(badQuote, rowLine);
      line += 1 + (quoted ? lineBreaksIn(fields, newline === '\r' ? '\r' : '\n') : 0);
      take(fields, rowLine);
    });
    if (badQuote) throw quoteProblem(badQuote, line);
    if (!chunk.last) {
      pending = aggregate.substring(result.meta.cursor - base);
      base = result.meta.cursor;
      if (pending.length > MAX_ROW_CHARS) throw quoteProblem({ code: 'MissingQuotes' }, line);
    }
    options.onProgress?.(chunk.fraction);
  }

  if (!builders) throw new InputProblem('The file is empty.', 1);
  if (rows === 0) throw new InputProblem(`The file has a header line but no rows of data below it (line ${dataLine}).`, dataLine);
  const columns = (builders as ColumnBuilder[]).map((b) => b.build());
  const detected = columns.map(detectType);
  const typed = columns.map((column, c) => convertColumn(column, detected[c]).column);
  if (!detected.includes('numeric')) {
    throw new InputProblem(
      'No column of this file holds numbers, and a network needs at least one. Numbers written with units or thousands separators ("5 kg", "1,200") read as text.',
    );
  }
  return {
    ok: true,
    table: { columns: typed, rows },
    profiles: typed.map((column, c) => profileColumn(column, detected[c])),
    encoding,
  };
}

/**
 * The input as decoded text in chunks. Bytes are decoded as `encoding` (a UTF-8 byte-order mark
 * dropped); non-text stops with a problem, and text that is not valid UTF-8 with NotUtf8.
 */
async function* textChunks(input: Blob | string, size: number, encoding: TextEncoding): AsyncGenerator<TextChunk> {
  if (typeof input === 'string') {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    for (let start = 0; start < text.length || start === 0; start += size) {
      const end = Math.min(text.length, start + size);
      yield checkText({ text: text.slice(start, end), last: end === text.length, fraction: text.length ? end / text.length : 1 }, text, start);
    }
    return;
  }
  // Every byte is a character in Windows-1252, so only UTF-8 can fail.
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  let linesBefore = 0;
  for (let start = 0; start < input.size || start === 0; start += size) {
    const end = Math.min(input.size, start + size);
    const bytes = new Uint8Array(await input.slice(start, end).arrayBuffer());
    const last = end === input.size;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: !last });
    } catch {
      const lossy = new TextDecoder('utf-8').decode(bytes);
      const bad = lossy.indexOf('\uFFFD');
      const share = (lossy.match(/\uFFFD/g) ?? []).length / Math.max(1, lossy.length);
      if (share > 0.2) throw notText(linesBefore + countOf(lossy, '\n', bad) + 1);
      throw new NotUtf8();
    }
    const nul = text.indexOf('\0');
    if (nul >= 0) throw notText(linesBefore + countOf(text, '\n', nul) + 1);
    linesBefore += countOf(text, '\n', text.length);
    yield { text, last, fraction: input.size ? end / input.size : 1 };
  }
}

/** A string chunk as textChunks gives it, after the NUL check that bytes get too. */
function checkText(chunk: TextChunk, whole: string, start: number): TextChunk {
  const nul = chunk.text.indexOf('\0');
  if (nul >= 0) throw notText(countOf(whole, '\n', start + nul) + 1);
  return chunk;
}

function notText(line: number): InputProblem {
  return new InputProblem(`This file is not text (binary content at line ${line}). Is it a spreadsheet or a compressed file? Save it as CSV and import that.`, line);
}

function quoteProblem(error: { code: string }, line: number): InputProblem {
  return error.code === 'MissingQuotes'
    ? new InputProblem(`The quoted value that starts on line ${line} has no closing quote.`, line)
    : new InputProblem(`Line ${line} has a quote inside a value that is not quoted as a whole; write it as "…""…" or remove it.`, line);
}

/** The delimiter and line ending of a file, from its first chunk. */
function guessDialect(text: string): { delimiter: string; newline: '\n' | '\r' | '\r\n' } {
  const sample = Papa.parse<string[]>(text.slice(0, 1 << 16), { preview: 20, skipEmptyLines: true, delimitersToGuess: DELIMITERS });
  const newline = sample.meta.linebreak === '\r\n' || sample.meta.linebreak === '\r' ? sample.meta.linebreak : '\n';
  return { delimiter: DELIMITERS.includes(sample.meta.delimiter) ? sample.meta.delimiter : ',', newline };
}

/** Line breaks (`lineEnd`) inside the quoted fields of a row: each adds a line to the file. */
function lineBreaksIn(fields: string[], lineEnd: string): number {
  let n = 0;
  for (const field of fields) n += countOf(field, lineEnd, field.length);
  return n;
}

/** Occurrences of `needle` in `text` before index `end`. */
function countOf(text: string, needle: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0 && i < end; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Column names made unique: a repeated "x" becomes "x (2)". */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let k = 2; seen.has(unique); k++) unique = `${name} (${k})`;
    seen.add(unique);
    return unique;
  });
}

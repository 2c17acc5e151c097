import type { ColumnProfile, ColumnType, TableColumn } from './types';
import { parseNumber } from './cells';
import { dayNumber, isoDate, parseDate } from './dates';

/** Bins of a numeric column's histogram. */
const HISTOGRAM_BINS = 16;
/** Values a text column's profile lists. */
const TOP_VALUES = 8;
/** More distinct texts than this and a column is taken for free text or identifiers. */
const MAX_CATEGORY_LEVELS = 50;

/** Pairs of texts that mean yes and no, in lower case. */
const YES_NO = [['true', 'false'], ['yes', 'no'], ['y', 'n'], ['t', 'f']];
/** Column names that announce an identifier. */
const ID_NAME = /^(id|index|row|#|unnamed: ?0)$|[_ ]id$|Id$/i;

/** Counts of what a column holds, the base of its type and profile. */
interface Census {
  missing: number;
  /** Distinct non-empty values. */
  distinct: number;
  /** Number columns: the distinct values, ascending. */
  sorted?: Float64Array;
  /** Text columns: how often each level occurs. */
  counts?: Int32Array;
}

function census(column: TableColumn): Census {
  if (column.kind === 'number') {
    const present = column.values.filter((v) => !Number.isNaN(v)).sort();
    let distinct = 0;
    for (let i = 0; i < present.length; i++) if (i === 0 || present[i] !== present[i - 1]) present[distinct++] = present[i];
    return { missing: column.values.length - present.length, distinct, sorted: present.subarray(0, distinct) };
  }
  const counts = new Int32Array(column.levels.length);
  let missing = 0;
  for (const code of column.codes) code < 0 ? missing++ : counts[code]++;
  return { missing, distinct: counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0), counts };
}

/**
 * The type a column most likely has. Numbers: boolean when they are only 0 and 1; ignored when
 * they look like a row identifier (a name such as "id", or all distinct consecutive integers);
 * else numeric. Text: date when every value is a date (2015-01-31, 2015/01/31, with or without a
 * time); boolean for a yes/no pair; categorical up to {@link MAX_CATEGORY_LEVELS}
 * levels when values repeat; else ignored (names, free text, identifiers).
 */
export function detectType(column: TableColumn): ColumnType {
  const { missing, distinct, sorted, counts } = census(column);
  const present = (column.kind === 'number' ? column.values.length : column.codes.length) - missing;
  if (present === 0) return 'ignore';
  if (column.kind === 'number') {
    if (sorted!.every((v) => v === 0 || v === 1)) return distinct === 2 ? 'boolean' : 'numeric';
    const integers = sorted!.every(Number.isInteger);
    const unique = distinct === present && missing === 0;
    const consecutive = sorted![distinct - 1] - sorted![0] === distinct - 1;
    if (integers && unique && present >= 20 && (consecutive || ID_NAME.test(column.name))) return 'ignore';
    return 'numeric';
  }
  const usedLevels = column.levels.filter((_, code) => counts![code] > 0);
  if (usedLevels.every((level) => parseDate(level) !== null)) return 'date';
  const used = usedLevels.map((l) => l.toLowerCase());
  if (distinct === 2 && YES_NO.some((pair) => pair.every((word) => used.includes(word)))) return 'boolean';
  if (distinct <= MAX_CATEGORY_LEVELS && (distinct <= 10 || distinct <= present / 2) && !ID_NAME.test(column.name)) return 'categorical';
  return 'ignore';
}

/** What the preview shows of a column: counts, and a histogram (numbers) or its most frequent values (text). */
export function profileColumn(column: TableColumn, detected: ColumnType, type: ColumnType = detected): ColumnProfile {
  const { missing, distinct, sorted, counts } = census(column);
  const profile: ColumnProfile = { name: column.name, detected, type, missing, distinct };
  if (column.kind === 'number') {
    if (distinct > 0) profile.histogram = histogram(column.values, sorted![0], sorted![distinct - 1]);
  } else {
    if (type === 'date') profile.dates = dateRange(column.levels.filter((_, code) => counts![code] > 0));
    profile.top = column.levels
      .map((value, code) => ({ value, count: counts![code] }))
      .filter((t) => t.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, TOP_VALUES);
  }
  return profile;
}

function histogram(values: Float64Array, lo: number, hi: number): NonNullable<ColumnProfile['histogram']> {
  const bins = lo === hi ? 1 : HISTOGRAM_BINS;
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    counts[width === 0 ? 0 : Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { lo, hi, counts };
}

/** The first and last of some date texts, as ISO dates; undefined when none is a date. */
function dateRange(levels: string[]): ColumnProfile['dates'] {
  const days = levels.flatMap((level) => {
    const date = parseDate(level);
    return date ? [dayNumber(date)] : [];
  });
  if (days.length === 0) return undefined;
  return { first: isoDate(days.reduce((a, b) => Math.min(a, b))), last: isoDate(days.reduce((a, b) => Math.max(a, b))) };
}

/**
 * A column in the form its type asks for: numeric columns hold numbers, categorical, boolean
 * and date ones hold levels, so that preprocessing one-hot encodes them or, marked `date`, makes
 * date features of them. Number to text writes each distinct value as a level, in ascending
 * order; text to number reads each level as a number (a decimal comma included), and text to
 * date each as a date; `unreadable` lists the levels that are neither, which become empty cells.
 * An ignored column stays as it is.
 */
export function convertColumn(column: TableColumn, type: ColumnType): { column: TableColumn; unreadable: string[] } {
  if (type === 'ignore') return { column, unreadable: [] };
  if (type === 'numeric' && column.kind === 'text') {
    const numbers = column.levels.map((level) => parseNumber(level, true));
    const values = Float64Array.from(column.codes, (code) => (code < 0 ? NaN : numbers[code]));
    const used = new Set(column.codes);
    const unreadable = column.levels.filter((_, code) => Number.isNaN(numbers[code]) && used.has(code));
    return { column: { name: column.name, kind: 'number', values }, unreadable };
  }
  if (type === 'numeric') return { column, unreadable: [] };
  const text = column.kind === 'number' ? numbersAsText(column) : column;
  if (type !== 'date') return { column: text.date ? { name: text.name, kind: 'text', codes: text.codes, levels: text.levels } : text, unreadable: [] };
  const readable = text.levels.map((level) => parseDate(level) !== null);
  const used = new Set(text.codes);
  const unreadable = text.levels.filter((_, code) => !readable[code] && used.has(code));
  const codes = unreadable.length ? text.codes.map((code) => (code >= 0 && !readable[code] ? -1 : code)) : text.codes;
  return { column: { name: text.name, kind: 'text', codes, levels: text.levels, date: true }, unreadable };
}

/** A number column as text: each distinct value a level, in ascending order. */
function numbersAsText(column: Extract<TableColumn, { kind: 'number' }>): Extract<TableColumn, { kind: 'text' }> {
  const { sorted } = census(column);
  const levels = Array.from(sorted!, String);
  const codeOf = new Map(Array.from(sorted!, (v, code) => [v, code]));
  const codes = Int32Array.from(column.values, (v) => (Number.isNaN(v) ? -1 : codeOf.get(v)!));
  return { name: column.name, kind: 'text', codes, levels };
}

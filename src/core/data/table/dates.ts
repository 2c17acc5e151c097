/**
 * Date cells and the features a date column becomes: the year (scaled as a number is), and the
 * month and the day of the week as points on a circle (sin, cos), so that December sits next to
 * January and Sunday next to Monday. The exported predictor (predictor.js) and the Python
 * export (tunelab_model.py) compute the same features; tests pin the three to each other.
 */

/** A calendar date as a cell writes it. */
export interface CalendarDate {
  year: number;
  /** 1 (January) to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
}

/**
 * Year first, month, day: 2015-01-31 or 2015/01/31, optionally followed by a time of day
 * (2015-01-31T12:00, 2015-01-31 12:00:05.123, with Z or an offset). Day-first and month-first
 * forms (01/31/2015) are left out: 01/02/2015 means two different days on either side of the
 * Atlantic. Years run from 1000 to 9999 (JavaScript's Date reads 0050 as 1950).
 */
const DATE = /^([1-9]\d{3})([-/])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Names of a date column's inputs after its own name, in order. */
export const DATE_FEATURES = ['year', 'month sin', 'month cos', 'weekday sin', 'weekday cos'] as const;

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;

/**
 * The calendar date a trimmed cell holds, or null when it holds none (or a day the calendar
 * lacks, such as 2015-02-30). A time of day is read past: the date is the day as written, in
 * whatever time zone the file was written.
 */
export function parseDate(cell: string): CalendarDate | null {
  const m = DATE.exec(cell);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[3]), day: Number(m[4]) };
  return date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= daysInMonth(date.year, date.month) ? date : null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days from 1970-01-01 to the date: the number the fill of a date column is a statistic of. */
export function dayNumber(date: CalendarDate): number {
  return Math.round(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
}

/** The ISO text (2015-01-31) of day number `days` (see {@link dayNumber}). */
export function isoDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** The day of the week, Monday 0 to Sunday 6 (as Python's date.weekday()). */
export function weekday(date: CalendarDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

/**
 * A date's five inputs, as {@link DATE_FEATURES} names them: (year − shift)/scale, then
 * sin and cos of 2π(month − 1)/12, then sin and cos of 2π·weekday/7 (Monday 0).
 *
 * @example
 * dateFeatures({ year: 2015, month: 1, day: 1 }, 2015, 1); // a Thursday: [0, 0, 1, sin(6π/7), cos(6π/7)]
 */
export function dateFeatures(date: CalendarDate, shift: number, scale: number): number[] {
  const month = (2 * Math.PI * (date.month - 1)) / 12;
  const day = (2 * Math.PI * weekday(date)) / 7;
  return [(date.year - shift) / scale, Math.sin(month), Math.cos(month), Math.sin(day), Math.cos(day)];
}

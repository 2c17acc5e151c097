/**
 * How one cell of a CSV file reads: as a number, as empty, or as text. The importer and the
 * prediction form (applyRecipe) share these functions, so a value typed at prediction time
 * becomes the very number the same text became at import.
 */

/** Cell texts that mean "no value" in common exports (R, pandas, spreadsheets), compared in lower case. */
const MISSING_MARKERS = new Set(['na', 'n/a', '#n/a', 'nan', 'null', 'none', '?', '-']);

/** Whether a trimmed cell holds no value: empty, or a marker such as NA or null. */
export function isMissing(cell: string): boolean {
  return cell === '' || (cell.length <= 4 && MISSING_MARKERS.has(cell.toLowerCase()));
}

/**
 * The number a trimmed, non-missing cell holds, or NaN when it is text. Accepts decimals and
 * exponents ("-1.5e3"); rejects what Number() would also take but a person would not mean as a
 * number ("0x1F", "Infinity"). With `decimalComma`, "3,5" reads as 3.5, as files written with a
 * semicolon delimiter in much of Europe have it.
 */
export function parseNumber(cell: string, decimalComma = false): number {
  const value = Number(cell);
  if (Number.isFinite(value)) {
    // Number() reads hexadecimal, octal and binary literals; a CSV cell "0x10" is text.
    const second = cell.charCodeAt(1) | 0x20;
    if (cell.length > 2 && cell[0] === '0' && (second === 0x78 || second === 0x6f || second === 0x62)) return NaN;
    return value;
  }
  if (decimalComma && /^[+-]?\d*,\d+$/.test(cell)) return Number(cell.replace(',', '.'));
  return NaN;
}

/**
 * A cell a spreadsheet would run as a formula (text beginning with =, +, -, @, a tab or a
 * carriage return) with a single quote before it, as OWASP advises against CSV injection, so
 * that opening an export never runs what a CSV header or a parameter value smuggled in.
 * Numbers are kept as they are: "-1.5" is a value, not a formula.
 */
export function neutralizeCell(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !Number.isFinite(parseNumber(cell)) ? `'${cell}` : cell;
}

/**
 * How a cell is written in CSV: neutralized against formulas (see {@link neutralizeCell}), then
 * quoted when it holds the delimiter, a quote, a line break or edge spaces.
 */
export function quoteCell(text: string, delimiter = ','): string {
  const cell = neutralizeCell(text);
  if (cell.includes(delimiter) || /["\r\n]/.test(cell) || cell !== cell.trim()) return `"${cell.replaceAll('"', '""')}"`;
  return cell;
}

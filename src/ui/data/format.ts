/** A size in bytes as a person reads it, to two significant digits or more: "812 B", "13 kB", "1.4 GB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const COMPACT = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });

/**
 * A value at the end of a histogram's axis, in a few characters: large ones compact
 * ("136K", "2.5M", as a price column reads), tiny ones in exponent form, the rest to two
 * decimals.
 */
export function formatAxisValue(v: number): string {
  if (Math.abs(v) >= 1e4) return COMPACT.format(v);
  return v !== 0 && Math.abs(v) < 1e-2 ? v.toExponential(1) : String(+v.toFixed(2));
}

/** A count with thousands separators: 100000 → "100,000". */
export const formatCount = (n: number): string => n.toLocaleString('en');

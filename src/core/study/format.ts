/** Significant digits a hyperparameter or objective value is shown with: what tells trials apart, not float noise. */
export const SHOWN_DIGITS = 4;

/**
 * A parameter or objective value as the study screen shows it: numbers to {@link SHOWN_DIGITS}
 * significant digits (0.008832, not 0.0088321407371), in exponent form when very small or large
 * (1.235e-5); text and booleans as they are; nothing for a missing value. Exports keep full
 * precision and do not use this.
 *
 * @example
 * shownValue(0.0088321407371); // '0.008832'
 * shownValue(12345678);        // '1.235e+7'
 */
export function shownValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value) || value === 0 || (Number.isInteger(value) && Math.abs(value) < 1e6)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude < 1e-4 || magnitude >= 1e6 ? value.toExponential(SHOWN_DIGITS - 1).replace(/\.?0+e/, 'e') : String(Number(value.toPrecision(SHOWN_DIGITS)));
}

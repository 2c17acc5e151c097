/** The weight histogram of the optimize screen: where a layer's weights lie, and the levels a quantizer left them on. */

/**
 * Counts of the values other than 0 in equal bins over [min, max], the zeros apart (pruned
 * weights would dwarf every other bar), and the distinct values when there are few (a
 * quantizer's levels).
 */
export interface WeightHistogram {
  min: number;
  max: number;
  counts: number[];
  /** Values exactly 0. */
  zeros: number;
  /** The distinct values, ascending, when at most `maxLevels` (else empty). */
  levels: number[];
}

/**
 * A histogram of the non-zero `values` in `bins` equal bins from their min to their max, the
 * number of zeros, and their distinct
 * values when at most `maxLevels` of them (a 2- to 6-bit quantization's levels).
 */
export function weightHistogram(values: Float32Array, bins: number, maxLevels = 64): WeightHistogram {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) [min, max] = [0, 0];
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins || 1;
  let zeros = 0;
  for (const v of values) {
    if (v === 0) zeros++;
    else counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  }
  const distinct = new Set(values);
  const levels = distinct.size <= maxLevels ? [...distinct].sort((a, b) => a - b) : [];
  return { min, max, counts, zeros, levels };
}

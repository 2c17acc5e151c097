/** The weight histogram of the optimize screen: where a layer's weights lie, and the levels a quantizer left them on. */

/** Counts of values in equal bins over [min, max], and the distinct values when there are few (a quantizer's levels). */
export interface WeightHistogram {
  min: number;
  max: number;
  counts: number[];
  /** The distinct values, ascending, when at most `maxLevels` (else empty). */
  levels: number[];
}

/**
 * A histogram of `values` in `bins` equal bins from their min to their max, and their distinct
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
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  const distinct = new Set(values);
  const levels = distinct.size <= maxLevels ? [...distinct].sort((a, b) => a - b) : [];
  return { min, max, counts, levels };
}

import { paretoFront } from './pareto';

/**
 * The hypervolume of a set of points (every coordinate to minimize) with respect to a
 * reference point: the measure of the region that some point dominates and that dominates
 * the reference, ∪ᵢ [pᵢ, r]. Points not strictly better than `reference` in every coordinate
 * add nothing. Two objectives: one sweep of the front sorted by the first (O(N log N)). Three:
 * the front sliced along the third objective, each slab a 2-D hypervolume (O(N² log N), fine
 * for the few hundred trials of a study).
 *
 * @example
 * hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]); // 6
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const inside = points.filter((p) => p.every((v, i) => v < reference[i]));
  if (inside.length === 0) return 0;
  if (reference.length === 2) return hypervolume2d(inside, reference);
  if (reference.length === 3) return hypervolume3d(inside, reference);
  throw new Error(`Hypervolume is computed for two or three objectives, not ${reference.length}.`);
}

/** The 2-D hypervolume of the points' first two coordinates (a slab of the 3-D sweep passes 3-D points). */
function hypervolume2d(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const plane = points.map((p) => [p[0], p[1]]);
  const front = paretoFront(plane).map((i) => plane[i]).sort((a, b) => a[0] - b[0]);
  let volume = 0;
  let ceiling = reference[1];
  for (const [x, y] of front) {
    if (y >= ceiling) continue;
    volume += (reference[0] - x) * (ceiling - y);
    ceiling = y;
  }
  return volume;
}

function hypervolume3d(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const sorted = [...points].sort((a, b) => a[2] - b[2]);
  let volume = 0;
  for (let k = 0; k < sorted.length; k++) {
    const top = k + 1 < sorted.length ? sorted[k + 1][2] : reference[2];
    const depth = top - sorted[k][2];
    if (depth > 0) volume += depth * hypervolume2d(sorted.slice(0, k + 1), reference);
  }
  return volume;
}

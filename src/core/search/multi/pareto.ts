/**
 * Pareto dominance among points whose every coordinate is to be minimized (flip maximized
 * objectives first, see {@link minimizedPoint}): non-dominated sorting and crowding distance,
 * the two orders NSGA-II selects by (Deb et al. 2002, "A fast and elitist multiobjective
 * genetic algorithm: NSGA-II").
 */

/** Which way an objective is better. */
export type ObjectiveDirection = 'minimize' | 'maximize';

/** A point of objective values, every coordinate negated where its direction maximizes. */
export function minimizedPoint(values: readonly number[], directions: readonly ObjectiveDirection[]): number[] {
  return values.map((v, i) => (directions[i] === 'maximize' ? -v : v));
}

/**
 * Whether `a` dominates `b`: no worse in every coordinate and better in at least one (equal
 * points dominate neither, as in Optuna's `_dominates`).
 */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/**
 * The points cut into fronts by Deb's fast non-dominated sort: front 0 holds the points no
 * other point dominates (the Pareto front), front k those dominated only by points of fronts
 * below k. Returns indices into `points`, each front in ascending index order. O(M·N²).
 *
 * @example
 * nonDominatedSort([[1, 4], [2, 2], [3, 3], [4, 1]]); // [[0, 1, 3], [2]]
 */
export function nonDominatedSort(points: readonly (readonly number[])[]): number[][] {
  const n = points.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = points.map(() => []);
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      if (dominates(points[p], points[q])) {
        dominating[p].push(q);
        dominatedBy[q]++;
      } else if (dominates(points[q], points[p])) {
        dominating[q].push(p);
        dominatedBy[p]++;
      }
    }
  }
  const fronts: number[][] = [];
  let front = points.map((_, i) => i).filter((i) => dominatedBy[i] === 0);
  while (front.length > 0) {
    fronts.push(front);
    const next: number[] = [];
    for (const p of front) for (const q of dominating[p]) if (--dominatedBy[q] === 0) next.push(q);
    front = next.sort((a, b) => a - b);
  }
  return fronts;
}

/** The indices of the points no other point dominates, ascending: {@link nonDominatedSort}'s first front. */
export function paretoFront(points: readonly (readonly number[])[]): number[] {
  return nonDominatedSort(points)[0] ?? [];
}

/**
 * The crowding distance of each point of one front, in the order of `front` (indices into
 * `points`): for every objective, the points sorted by it, the two ends at +Infinity and each
 * inner point adding the gap between its neighbours over the objective's range. An objective
 * on which the front does not spread (range 0) adds nothing, not even the infinite ends, as in
 * Optuna 3.1's `_crowding_distance_sort`. Larger means lonelier, so kept first.
 *
 * @example
 * crowdingDistance([[1, 4], [2, 2], [4, 1]], [0, 1, 2]); // [Infinity, 2, Infinity]
 */
export function crowdingDistance(points: readonly (readonly number[])[], front: readonly number[]): number[] {
  const distance = new Map<number, number>(front.map((i) => [i, 0]));
  if (front.length === 0) return [];
  const objectives = points[front[0]].length;
  for (let m = 0; m < objectives; m++) {
    // Stable: ties keep the front's order, so the outcome does not hang on the engine's sort.
    const sorted = [...front].sort((a, b) => points[a][m] - points[b][m]);
    const low = points[sorted[0]][m];
    const high = points[sorted[sorted.length - 1]][m];
    const width = high - low;
    if (width === 0) continue;
    distance.set(sorted[0], Infinity);
    distance.set(sorted[sorted.length - 1], Infinity);
    for (let j = 1; j < sorted.length - 1; j++) {
      const i = sorted[j];
      distance.set(i, distance.get(i)! + (points[sorted[j + 1]][m] - points[sorted[j - 1]][m]) / width);
    }
  }
  return front.map((i) => distance.get(i)!);
}

/**
 * NSGA-II's elite selection: the best `size` of the points by front, the front that does not
 * fit whole cut by crowding distance (largest first; ties by index). Returns indices.
 */
export function selectElite(points: readonly (readonly number[])[], size: number): number[] {
  const elite: number[] = [];
  for (const front of nonDominatedSort(points)) {
    if (elite.length + front.length <= size) {
      elite.push(...front);
      if (elite.length === size) break;
      continue;
    }
    const distance = crowdingDistance(points, front);
    const order = front.map((i, k) => ({ i, d: distance[k] })).sort((a, b) => b.d - a.d || a.i - b.i);
    elite.push(...order.slice(0, size - elite.length).map((o) => o.i));
    break;
  }
  return elite;
}

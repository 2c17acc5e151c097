/**
 * Several objectives at once: Pareto dominance, non-dominated sorting, crowding distance and
 * hypervolume, on points whose every coordinate is minimized (maximized objectives negated
 * first by {@link minimizedPoint}).
 *
 * @example
 * const points = [[0.1, 300], [0.2, 120], [0.3, 200]].map((p) => minimizedPoint(p, ['minimize', 'minimize']));
 * nonDominatedSort(points);            // [[0, 1], [2]]
 * hypervolume(points, [0.4, 400]);     // area those points dominate below (0.4, 400)
 */
export { crowdingDistance, dominates, minimizedPoint, nonDominatedSort, paretoFront, selectElite, type ObjectiveDirection } from './pareto';
export { hypervolume } from './hypervolume';

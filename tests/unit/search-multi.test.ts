import { describe, expect, test } from 'vitest';
import reference from '../support/multi-objective-reference.json';
import { crowdingDistance, dominates, hypervolume, minimizedPoint, nonDominatedSort, paretoFront, selectElite } from '../../src/core/search/multi';

describe('Pareto dominance and non-dominated sorting', () => {
  test('dominance: no worse everywhere and better somewhere; equal points dominate neither', () => {
    expect(dominates([1, 2], [1, 3])).toBe(true);
    expect(dominates([1, 3], [1, 2])).toBe(false);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
    expect(minimizedPoint([0.9, 120], ['maximize', 'minimize'])).toEqual([-0.9, 120]);
  });
  test('fronts of a hand-checked set, duplicates sharing a front', () => {
    expect(nonDominatedSort([[1, 4], [2, 2], [3, 3], [4, 1]])).toEqual([[0, 1, 3], [2]]);
    expect(nonDominatedSort([[1, 1], [2, 2], [3, 3], [1, 3], [3, 1], [2, 2]])).toEqual([[0], [1, 3, 4, 5], [2]]);
    expect(nonDominatedSort([[1, 2, 3], [3, 2, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4]])).toEqual([[0, 1, 2], [3], [4]]);
    expect(paretoFront([[3, 3], [1, 4], [2, 2]])).toEqual([1, 2]);
    expect(nonDominatedSort([])).toEqual([]);
  });
});

describe('crowding distance', () => {
  test('ends infinite, inner points the sum of their neighbours gaps over each range', () => {
    expect(crowdingDistance([[1, 4], [2, 2], [4, 1]], [0, 1, 2])).toEqual([Infinity, 2, Infinity]);
    const d = crowdingDistance([[0, 5], [1, 3], [2, 2], [5, 0]], [0, 1, 2, 3]);
    expect(d[0]).toBe(Infinity);
    expect(d[1]).toBeCloseTo(0.4 + 0.6, 12);
    expect(d[2]).toBeCloseTo(0.8 + 0.6, 12);
    expect(d[3]).toBe(Infinity);
  });
  test('an objective on which the front does not spread adds nothing, not even infinite ends', () => {
    expect(crowdingDistance([[1, 2], [1, 3], [1, 5]], [0, 1, 2])).toEqual([Infinity, 1, Infinity]);
    expect(crowdingDistance([[1, 1], [1, 1]], [0, 1])).toEqual([0, 0]);
  });
  test('elite selection fills by front, then cuts the last front by crowding distance', () => {
    const points = [[1, 4], [2, 2], [4, 1], [3, 3], [5, 5]];
    expect(selectElite(points, 4)).toEqual([0, 1, 2, 3]);
    expect(selectElite(points, 2)).toEqual([0, 2]);
    expect(selectElite(points, 5)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('hypervolume', () => {
  test('2-D: the staircase below the reference', () => {
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4])).toBe(6);
    // A dominated point and one beyond the reference add nothing.
    expect(hypervolume([[1, 3], [2, 2], [3, 1], [3, 3], [5, 0]], [4, 4])).toBe(6);
    expect(hypervolume([[4, 1]], [4, 4])).toBe(0);
    expect(hypervolume([], [1, 1])).toBe(0);
  });
  test('3-D: boxes and their overlaps by inclusion-exclusion', () => {
    expect(hypervolume([[1, 1, 1]], [2, 2, 2])).toBe(1);
    expect(hypervolume([[0, 0, 1], [1, 1, 0]], [2, 2, 2])).toBe(5);
    expect(hypervolume([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [2, 2, 2])).toBe(7);
  });
  test('four objectives are refused with a sentence', () => {
    expect(() => hypervolume([[0, 0, 0, 0]], [1, 1, 1, 1])).toThrow(/two or three objectives/);
  });
});

describe('against Optuna 3.1 (tests/support/multi-objective-reference.py)', () => {
  const cases = reference.cases.map((c) => ({ ...c, points: c.values.map((v) => minimizedPoint(v, c.directions as ('minimize' | 'maximize')[])) }));
  test.each(cases.map((c, i) => [i, c] as const))('case %i: the same fronts, elite and hypervolume', (_, c) => {
    expect(nonDominatedSort(c.points)).toEqual(c.fronts);
    if (c.elite) expect(selectElite(c.points, c.eliteSize!).sort((a, b) => a - b)).toEqual(c.elite);
    expect(hypervolume(c.points, c.reference)).toBeCloseTo(c.hypervolume, 10);
  });
});

import { describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { bestSoFar, compareHistories, trialsInStates } from '../../src/core/study/compare';
import type { Objective, TrialRecord } from '../../src/core/study/types';

const minimize: Objective = { metric: 'valLoss', direction: 'minimize' };
const maximize: Objective = { metric: 'valMetric', direction: 'maximize' };
const trial = (number: number, value: number | undefined, state: TrialRecord['state'] = 'complete'): TrialRecord => ({ studyId: 's', number, params: {}, spec: DEFAULT_EXPERIMENT, state, value, epochs: [] });

describe('comparing studies', () => {
  const a = [trial(0, undefined, 'pruned'), trial(1, 0.5), trial(2, 0.7), trial(3, 0.3), trial(4, undefined, 'failed')];
  const b = [trial(0, 0.9), trial(1, 0.6)];

  test('best so far by trial number, NaN before the first completed trial', () => {
    expect(bestSoFar(a, minimize, 6)).toEqual([NaN, 0.5, 0.5, 0.3, 0.3, 0.3]);
    expect(bestSoFar(a, maximize, 4)).toEqual([NaN, 0.5, 0.7, 0.7]);
  });

  test('studies of different lengths share one axis of trial numbers', () => {
    expect(compareHistories([{ label: 'A', trials: a, objective: minimize }, { label: 'B', trials: b, objective: minimize }])).toEqual({
      number: [0, 1, 2, 3, 4],
      lines: [
        { label: 'A', best: [NaN, 0.5, 0.5, 0.3, 0.3] },
        { label: 'B', best: [0.9, 0.6, 0.6, 0.6, 0.6] },
      ],
    });
  });

  test('filtering by state keeps the trials of the states shown', () => {
    expect(trialsInStates(a, new Set(['pruned', 'failed'])).map((t) => t.number)).toEqual([0, 4]);
    expect(trialsInStates(a, new Set(['complete'])).map((t) => t.number)).toEqual([1, 2, 3]);
    expect(trialsInStates(a, new Set())).toEqual([]);
  });
});

import { describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { shownValue } from '../../src/core/study/format';
import { parameterAxes } from '../../src/core/study/plots';
import type { TrialRecord } from '../../src/core/study/types';

describe('values as the study screen shows them', () => {
  test('four significant digits, exponent form when tiny or huge, integers and text as they are', () => {
    expect([0.0088321407371, 0.123456, 1.23456, 123.456789, 0.1, 2.5e-5, 12345678.9, -0.0088321407371].map(shownValue)).toEqual([
      '0.008832', '0.1235', '1.235', '123.5', '0.1', '2.5e-5', '1.235e+7', '-0.008832',
    ]);
    expect([0, 64, 1000, 'adam', true, undefined, NaN].map(shownValue)).toEqual(['0', '64', '1000', 'adam', 'true', '', 'NaN']);
  });
});

describe('categorical axes', () => {
  const trial = (number: number, kind: string): TrialRecord => ({ studyId: 's', number, params: { 'optimizer.kind': kind }, spec: DEFAULT_EXPERIMENT, state: 'complete', value: number, epochs: [] });
  const kinds = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'];

  test('list every choice of the space, tried or not, in its order', () => {
    const [axis] = parameterAxes([trial(0, 'adam'), trial(1, 'sgd')], () => false, () => kinds);
    expect(axis).toEqual({ name: 'optimizer.kind', values: [5, 0], categories: kinds, log: false });
  });

  test('without the space, the values seen, sorted; a value the space no longer lists comes last', () => {
    expect(parameterAxes([trial(0, 'adam'), trial(1, 'sgd')])[0].categories).toEqual(['adam', 'sgd']);
    expect(parameterAxes([trial(0, 'lion')], () => false, () => ['sgd', 'adam'])[0]).toMatchObject({ categories: ['sgd', 'adam', 'lion'], values: [2] });
  });
});

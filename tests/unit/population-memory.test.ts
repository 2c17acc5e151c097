import { describe, expect, test } from 'vitest';
import { memberBytes, membersThatFit } from '../../src/core/train/population-memory';

describe('population size by memory', () => {
  test('a member holds its copy of the rows and five copies of its parameters, in float32', () => {
    // 250 rows × (2 inputs + 1 output) + 5 × 33 parameters of a 2-8-1 network.
    expect(memberBytes(250, { inputs: 2, outputs: 1 }, 33)).toBe(4 * (750 + 165));
  });

  test('a million-row table trains in small populations, a toy set in full ones', () => {
    const budget = (8 * 2 ** 30) / 8 / 2; // an eighth of 8 GB, for each of 2 workers
    expect(membersThatFit(memberBytes(850_000, { inputs: 12, outputs: 3 }, 500), budget, 64)).toBe(10);
    expect(membersThatFit(memberBytes(250, { inputs: 2, outputs: 1 }, 33), budget, 64)).toBe(64);
  });

  test('at least one member, even when one alone is over the budget', () => {
    expect(membersThatFit(10 ** 12, 10 ** 9, 64)).toBe(1);
  });
});

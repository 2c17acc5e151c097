import { describe, expect, test } from 'vitest';
import { memberBytes, membersThatFit, stepValues } from '../../src/core/train/population-memory';

describe('population size by memory', () => {
  test('a member holds its copy of the rows, five copies of its parameters and two of a step\'s working values, in float32', () => {
    // 250 rows × (2 inputs + 1 output) + 5 × 33 parameters of a 2-8-1 network.
    expect(memberBytes(250, { inputs: 2, outputs: 1 }, 33)).toBe(4 * (750 + 165));
    // A batch of 32 through its 8 hidden units (z, a and dL/dz) and 1 output (dL/dz), and 33 gradients.
    expect(stepValues(32, 8, 1, 33)).toBe(32 * 25 + 33);
    expect(memberBytes(250, { inputs: 2, outputs: 1 }, 33, stepValues(32, 8, 1, 33))).toBe(4 * (750 + 165 + 2 * 833));
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

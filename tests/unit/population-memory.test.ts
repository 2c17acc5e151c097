import { describe, expect, test } from 'vitest';
import { memberBytes, membersPerState, membersThatFit, stepValues } from '../../src/core/train/population-memory';

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

  test('a population\'s fused state fits one 128 MB buffer: full batches of a wide network make small populations', () => {
    // 2-8-1 with batch 32: 64 members and far more fit.
    expect(membersPerState(33, stepValues(32, 8, 1, 33))).toBeGreaterThan(64);
    // 8 layers of 64 units on 100 inputs (~36,000 parameters) with full batches of 5,000 rows:
    // 5,000 × (3 × 512 + 1) working values, ~31 MB a member, so 4 in a buffer.
    const parameters = 101 * 64 + 7 * 65 * 64 + 65;
    expect(membersPerState(parameters, stepValues(5000, 512, 1, parameters))).toBe(4);
  });
});

import { expect, test } from 'vitest';
import type { SplitDataset } from '../../src/core/data/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { groupCap, MAX_GROUP } from '../../src/core/study/group-cap';

/** Only what groupCap reads of a split: rows, input width and classes. */
function split(rows: number, dims: number, classes: number): SplitDataset {
  return { train: { n: rows * 0.8, dims, classes }, val: { n: rows * 0.2 } } as unknown as SplitDataset;
}

test('a toy set trains in populations of 64 on a 4 GB device; a table of a million rows in far fewer, and fewer still with more workers sharing the memory', () => {
  expect(groupCap(DEFAULT_EXPERIMENT, split(500, 2, 2), 1, 4)).toBe(MAX_GROUP);
  const table = { ...DEFAULT_EXPERIMENT, data: { kind: 'table' as const, datasetId: 'x', target: 'y' } } as unknown as typeof DEFAULT_EXPERIMENT;
  const one = groupCap(table, split(1e6, 10, 2), 1, 4);
  const four = groupCap(table, split(1e6, 10, 2), 4, 4);
  expect(one).toBeGreaterThanOrEqual(1);
  expect(one).toBeLessThan(MAX_GROUP);
  expect(four).toBeLessThan(one);
});

import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../src/core/data/table/parse';
import { MAX_NAME_LENGTH } from '../../src/core/data/table/types';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import { validateExperiment } from '../../src/core/spec/schema';

const rows = (header: string) => [header, '1,2', '3,4'].join('\n');

describe('names at the experiment schema\'s limit', () => {
  test('a column name of 201 characters stops the import at the header line, naming the column', async () => {
    const outcome = await parseCsv(rows(`a,${'b'.repeat(201)}`));
    expect(outcome).toEqual({
      ok: false,
      problem: { line: 1, message: `Column 2's name has 201 characters (“${'b'.repeat(40)}…”); tunelab takes names of up to 200: shorten it in the file and import it again.` },
    });
  });

  test('column names of 200 characters import, and an experiment on them passes the schema', async () => {
    const long = 'c'.repeat(MAX_NAME_LENGTH);
    const outcome = await parseCsv(rows(`a,${long}`));
    expect(outcome.ok && outcome.table.columns.map((c) => c.name)).toEqual(['a', long]);
    const preprocess = { target: long, task: 'regression', features: ['a'], missing: 'mean', scaling: 'standardize', split: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1 } as const;
    const experiment = { ...structuredClone(DEFAULT_EXPERIMENT), data: { kind: 'table', dataset: 'd', name: 'n'.repeat(MAX_NAME_LENGTH), preprocess } };
    expect(validateExperiment(experiment).ok).toBe(true);
  });
});

import { deleteDB } from 'idb';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openStore, type RunStore } from '../../src/runtime/store';
import { StudyRunner } from '../../src/runtime/study-runner';
import { xorStudy } from '../support/xor-study';

const DB = 'tunelab-study-multi-test';
const opened: RunStore[] = [];
beforeEach(() => deleteDB(DB));
afterEach(() => opened.splice(0).forEach((s) => s.close()));

test('an NSGA-II study of accuracy, size and speed trains a generation at a time and records every objective of every trial', async () => {
  const { store, studies } = await openStore(DB);
  opened.push(store);
  const spec = {
    ...xorStudy({
      name: 'accuracy, size and speed', points: 80, batchSize: 20, epochs: 2, nTrials: 8, workers: 1, seed: 3,
      space: { 'optimizer.lr': { type: 'float', low: 0.01, high: 0.5, log: true }, 'model.units': { type: 'categorical', choices: [2, 8] } },
    }),
    sampler: { kind: 'nsga2' as const, populationSize: 4 },
    objective: { metric: 'valMetric' as const, direction: 'maximize' as const },
    objectives: [
      { metric: 'valMetric' as const, direction: 'maximize' as const },
      { metric: 'paramCount' as const, direction: 'minimize' as const },
      { metric: 'inferenceTime' as const, direction: 'minimize' as const },
    ],
  };
  const record = await studies.createStudy(spec);
  await new StudyRunner(studies, record, { onTrials: () => {}, onStatus: () => {} }, 'cpu').run();
  const trials = await studies.listTrials(record.id);
  expect(trials.map((t) => t.generation)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  for (const t of trials) {
    expect(t.state).toBe('complete');
    const [accuracy, size, time] = t.values!;
    expect(accuracy).toBe(t.epochs[1].valMetric);
    expect(accuracy).toBe(t.value);
    // A 2-u-1 network: 2u weights and u biases in, u weights and 1 bias out.
    expect(size).toBe(4 * (t.params['model.units'] as number) + 1);
    expect(time).toBeGreaterThan(0);
  }
});

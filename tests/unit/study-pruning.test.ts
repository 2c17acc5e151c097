import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { applyParams, createSampler, type PrunerTrial } from '../../src/core/search';
import { memberEpochCost, pruningSavings, studyPruner } from '../../src/core/study/pruning';
import { minimizedValue } from '../../src/core/study/schedule';
import type { TrialRecord } from '../../src/core/study/types';
import { trainPopulation } from '../../src/core/train/population-run';
import { xorStudy } from '../support/xor-study';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const study = (pruner: Record<string, unknown> & { kind: 'none' | 'median' | 'asha' | 'hyperband' }) => ({
  ...xorStudy({
    name: 'prune', points: 80, batchSize: 20, epochs: 6, nTrials: 24, workers: 1, seed: 4,
    space: { 'optimizer.lr': { type: 'float', low: 0.001, high: 0.5, log: true }, 'optimizer.momentum': { type: 'float', low: 0, high: 0.95 } },
  }),
  pruner,
});

describe('pruning inside a study', () => {
  test('one member-epoch costs the slope of epoch time against members training, the first epoch left out', () => {
    // 50 ± 1 ms with 4 members, 30 with 2, 20 with 1: 10 ms a member on top of 10 ms an epoch.
    expect(memberEpochCost([{ members: 8, ms: 500 }, { members: 4, ms: 51 }, { members: 4, ms: 49 }, { members: 2, ms: 30 }, { members: 1, ms: 20 }])).toBeCloseTo(10, 12);
    // The same count throughout: the mean, 84 ms over 8 member-epochs.
    expect(memberEpochCost([{ members: 4, ms: 500 }, { members: 4, ms: 40 }, { members: 4, ms: 44 }])).toBe(10.5);
    expect(memberEpochCost([{ members: 4, ms: 500 }])).toBeNull();
  });

  test('the time saved is each pruned trial\'s epochs not trained times its population\'s cost per member-epoch', () => {
    const trial = (state: TrialRecord['state'], prunedAt?: number, memberEpochMs?: number) =>
      ({ state, prunedAt, memberEpochMs, spec: study({ kind: 'asha' }).base }) as TrialRecord;
    // 6 epochs: (6 − 1)·10 + (6 − 4)·12 ms; a trial whose population has no cost yet counts as pruned only.
    expect(pruningSavings([trial('pruned', 1, 10), trial('pruned', 4, 12), trial('complete', undefined, 10), trial('pruned', 2)])).toEqual({ pruned: 3, memberEpochs: 7, ms: 74 });
  });

  test('Hyperband takes the study\'s name and epochs', () => {
    const pruner = studyPruner(study({ kind: 'hyperband', reductionFactor: 2 }))!;
    // 6 epochs, η = 2: brackets with first rungs at steps 1, 2 and 4 (⌊log₂ 6⌋ + 1 = 3), shares 4, 3, 3.
    // Python: [binascii.crc32(b'prune_%d' % i) % 10 for i in range(8)] puts trials 0…7 in brackets
    // 1, 0, 1, 1, 2, 0, 2, 2. At step 1 only bracket 0 is judged: of trials 1 and 5 the better goes on.
    expect(pruner.prune(1, [0, 1, 2, 3, 4, 5, 6, 7].map((id) => ({ id, value: id })), [])).toEqual([5]);
    expect(studyPruner(study({ kind: 'none' }))).toBeNull();
  });

  test('a 24-trial population with the median pruner prunes some of its members', async () => {
    const spec = study({ kind: 'median' });
    const params = createSampler({ kind: 'random' }, spec.space as never, spec.seed).askBatch(24);
    const specs = params.map((p) => applyParams(spec.base, p));
    const pruner = studyPruner(spec)!;
    const trials: PrunerTrial[] = specs.map((_, id) => ({ id, state: 'running', intermediate: [] }));
    const stopped: number[] = [];
    const before = tf.memory().numTensors;
    const outcome = await trainPopulation(specs, {
      onEpoch: (epoch, metrics) => {
        const reported = metrics.flatMap((m, p) => (m ? [p] : []));
        reported.forEach((p) => trials[p].intermediate.push(minimizedValue(metrics[p]!, spec.objective)));
        const prune = pruner.prune(epoch, reported.map((p) => ({ id: p, value: trials[p].intermediate[epoch - 1]! })), trials).map((k) => reported[k]);
        prune.forEach((p) => (trials[p].state = 'pruned'));
        stopped.push(prune.length);
        return prune;
      },
    });
    expect(tf.memory().numTensors).toBe(before);
    const pruned = outcome.members.filter((m) => m.status === 'pruned');
    expect(pruned.length).toBe(stopped.reduce((a, b) => a + b, 0));
    // Half at the first epoch, then half of the rest, until fewer than five peers are left.
    expect(stopped).toEqual([12, 6, 2, 0, 0, 0]);
    expect(outcome.members.filter((m) => m.status === 'complete')).toHaveLength(4);
  });
});

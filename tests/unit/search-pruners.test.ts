import { describe, expect, test } from 'vitest';
import { createPruner, type PrunerTrial } from '../../src/core/search';

const complete = (id: number, intermediate: (number | undefined)[]): PrunerTrial => ({ id, state: 'complete', intermediate });
const running = (intermediate: (number | undefined)[], id = 99): PrunerTrial => ({ id, state: 'running', intermediate });

/** Whether the running trial 99, with these intermediate values, is stopped at its last step. */
const decide = (pruner: ReturnType<typeof createPruner>, others: PrunerTrial[], own: (number | undefined)[]) =>
  pruner.shouldPrune(99, own.length, own.at(-1)!, [...others, running(own)]);

describe('median pruner (Optuna MedianPruner)', () => {
  const done = [complete(0, [1.0, 0.8, 0.6]), complete(1, [0.9, 0.7, 0.5]), complete(2, [0.8, 0.6, 0.4])];
  const pruner = createPruner({ kind: 'median', startupTrials: 3, warmupSteps: 1 });

  test('stops a trial whose best value so far is worse than the median of the completed trials at that step', () => {
    // Step 2: the median of 0.8, 0.7, 0.6 is 0.7.
    expect(decide(pruner, done, [0.95, 0.75])).toBe(true);
    expect(decide(pruner, done, [0.95, 0.7])).toBe(false);
    // Its best so far counts, not its latest.
    expect(decide(pruner, done, [0.65, 0.75])).toBe(false);
    // An even count: the median of 0.8, 0.7, 0.6, 0.5 is 0.65.
    const four = [...done, complete(3, [0.5, 0.5, 0.5])];
    expect(decide(pruner, four, [0.9, 0.66])).toBe(true);
    expect(decide(pruner, four, [0.9, 0.64])).toBe(false);
  });

  test('waits for the warm-up, the startup trials, and completed values at the step', () => {
    expect(decide(pruner, done, [50])).toBe(false);
    expect(decide(pruner, done.slice(0, 2), [0.95, 5])).toBe(false);
    // No completed trial reached step 4.
    expect(decide(pruner, done, [0.9, 0.9, 0.9, 5])).toBe(false);
    // Unfinished trials do not count towards the median.
    expect(decide(pruner, [...done, { id: 7, state: 'pruned', intermediate: [0.1, 0.1] }, running([0.1, 0.1], 8)], [0.95, 0.75])).toBe(true);
  });

  test('stops a trial whose values are all NaN, not one with a good value before its NaN', () => {
    expect(decide(pruner, done, [NaN, NaN])).toBe(true);
    expect(decide(pruner, done, [0.1, NaN])).toBe(false);
  });

  test('checks at the first step of each interval only', () => {
    const every2 = createPruner({ kind: 'median', startupTrials: 3, intervalSteps: 2 });
    const longer = done.map((t) => complete(t.id, [...t.intermediate, 0.3, 0.2]));
    // Checks at steps 1, 3, 5 (Optuna's 0, 2, 4).
    expect(decide(every2, longer, [5])).toBe(true);
    expect(decide(every2, longer, [0.1, 5])).toBe(false);
    expect(decide(every2, longer, [0.9, 0.9, 0.9])).toBe(true);
  });

  test('maximizing: stops a trial whose best accuracy is below the median', () => {
    const acc = createPruner({ kind: 'median', startupTrials: 3 }, 'maximize');
    const accDone = [complete(0, [0.5, 0.6]), complete(1, [0.6, 0.7]), complete(2, [0.7, 0.8])];
    expect(decide(acc, accDone, [0.6, 0.65])).toBe(true);
    expect(decide(acc, accDone, [0.75, 0.6])).toBe(false);
  });
});

describe('successive halving (Optuna SuccessiveHalvingPruner)', () => {
  const asha = createPruner({ kind: 'asha', minResource: 1, reductionFactor: 3 });

  test('at rung 0 (step 1) only the best ⌊n/η⌋ of the n values go on', () => {
    const others = [0.2, 0.4, 0.6, 0.8, 1.0].map((v, i) => complete(i, [v]));
    // Six values with its own: the best 2 go on.
    expect(decide(asha, others, [0.3])).toBe(false);
    expect(decide(asha, others, [0.5])).toBe(true);
    // Step 2 is no rung (rungs at 1, 3, 9): nothing is stopped there.
    expect(decide(asha, others, [0.3, 99])).toBe(false);
  });

  test('a rung compares the values trials took into it: the first reported at or after its step', () => {
    const others = [
      complete(0, [0.2, 0.2, 0.1]),
      running([0.4, 0.3, 0.3], 1),
      { id: 2, state: 'pruned', intermediate: [0.6] },
      // Reported at steps 1 and 4 only: it entered rung 1 (step 3) with 0.25.
      running([0.2, undefined, undefined, 0.25], 3),
    ];
    // Rung 1 (step 3): 0.1, 0.3, 0.25 and its own; ⌊4/3⌋ = 1: only the best goes on.
    expect(decide(asha, others, [0.2, 0.2, 0.2])).toBe(true);
    expect(decide(asha, others, [0.2, 0.2, 0.05])).toBe(false);
    // A report past a rung it had not reported at is judged there: step 4 after step 1.
    expect(decide(asha, others, [0.2, undefined, undefined, 0.2])).toBe(true);
    // A rung already passed is not judged again.
    expect(decide(asha, others, [0.2, 0.2, 0.05, 0.9])).toBe(false);
  });

  test('fewer than η values at a rung: only the best goes on; a NaN at a rung stops', () => {
    expect(decide(asha, [complete(0, [0, 0, 0.4])], [0, 0, 0.5])).toBe(true);
    expect(decide(asha, [complete(0, [0, 0, 0.4])], [0, 0, 0.3])).toBe(false);
    expect(decide(asha, [], [NaN])).toBe(true);
    expect(decide(asha, [], [0, NaN])).toBe(false);
  });

  test("Optuna's defaults: η = 4 (rungs at 1, 4, 16), early-stopping rate and bootstrap count", () => {
    const defaults = createPruner({ kind: 'asha' });
    const others = [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4].map((v, i) => complete(i, [v, v, v, v]));
    // Eight values at step 1: the best 2 go on.
    expect(decide(defaults, others, [0.3])).toBe(false);
    expect(decide(defaults, others, [0.5])).toBe(true);
    expect(decide(defaults, others, [0.3, 0.3, 99])).toBe(false);
    expect(decide(defaults, others, [0.3, 0.3, 0.3, 0.5])).toBe(true);
    // Rate 1: the first rung moves to step 4.
    expect(decide(createPruner({ kind: 'asha', minEarlyStoppingRate: 1 }), others, [99])).toBe(false);
    // Bootstrap 2: a rung with at most 2 values (its own included) stops.
    expect(decide(createPruner({ kind: 'asha', bootstrapCount: 2 }), [complete(0, [5])], [0.1])).toBe(true);
    expect(decide(createPruner({ kind: 'asha', bootstrapCount: 2 }), [complete(0, [5]), complete(1, [6])], [0.1])).toBe(false);
  });

  test("'auto' minimum resource: a hundredth of the longest completed trial, nothing before one completes", () => {
    const auto = createPruner({ kind: 'asha', minResource: 'auto' });
    expect(decide(auto, [running([0.1, 0.1, 0.1], 5)], [9, 9, 9])).toBe(false);
    const long = complete(0, Array(300).fill(0.1));
    // Minimum resource 3: rungs at 3, 12, 48.
    expect(decide(auto, [long], [9])).toBe(false);
    expect(decide(auto, [long], [9, 9, 9])).toBe(true);
  });

  test('maximizing keeps the highest values', () => {
    const acc = createPruner({ kind: 'asha', reductionFactor: 3 }, 'maximize');
    const others = [0.2, 0.4, 0.6, 0.8, 1.0].map((v, i) => complete(i, [v]));
    expect(decide(acc, others, [0.9])).toBe(false);
    expect(decide(acc, others, [0.7])).toBe(true);
  });

  test('refuses a reduction factor below 2', () => {
    expect(() => createPruner({ kind: 'asha', reductionFactor: 1 })).toThrow('Successive halving needs a reduction factor of at least 2 (got 1).');
  });
});

import type { SplitDataset } from '../data/types';
import { quantileSorted } from '../monitor/statistics';
import type { ExperimentSpec } from '../spec/experiment';
import { Trainer } from './trainer';

/** Steps in a round of a calibration; one round warms up first (kernel compilation, first reads). */
export const CALIBRATION_STEPS = 8;

/**
 * The least time a calibration counts: eight steps of a small network on the CPU end within a
 * browser timer's tick (0.1 ms), which reads as 0 ms, so rounds of steps go on until this much.
 */
const MIN_TIMED_MS = 10;
/** The fewest rounds timed, so that their median passes over a round that closed an epoch or waited for a collection. */
const MIN_ROUNDS = 3;
/** The most rounds of {@link CALIBRATION_STEPS} steps a calibration times to reach {@link MIN_TIMED_MS}. */
const MAX_ROUNDS = 64;

/**
 * Milliseconds per training step of `spec` on `data` on tfjs's current backend: the run's own
 * {@link Trainer} (`members` copies of it: a study's population) takes rounds of
 * {@link CALIBRATION_STEPS} steps, closing an epoch when one ends as a run does and reading the
 * weights after each so that a device's queued work counts, until {@link MIN_TIMED_MS} have
 * passed; the median round counts. A new shape's first epoch ends compile its evaluation, which
 * a run pays once: in a mean of a few rounds they weighed as if every step paid them. Warm: one
 * round first, uncounted.
 */
export async function timeTrainingStep(spec: ExperimentSpec, data: SplitDataset, steps = CALIBRATION_STEPS, members = 1): Promise<number> {
  // A short run (3 epochs of 5 steps) or early stopping would end the only member inside the
  // calibration, leaving an empty population to step: time an endless copy of the same shape.
  const endless = { ...spec, training: { ...spec.training, epochs: (MAX_ROUNDS + 1) * steps + 2, patience: 0 } };
  const trainer = new Trainer(Array.from({ length: members }, () => endless), data);
  try {
    const round = async () => {
      const begin = performance.now();
      for (let s = 0; s < steps; s++) {
        if (trainer.atEpochEnd) await trainer.endEpoch();
        trainer.stepBatch();
      }
      await trainer.weights();
      return performance.now() - begin;
    };
    await round();
    const rounds: number[] = [];
    let total = 0;
    while (rounds.length < MAX_ROUNDS && (rounds.length < MIN_ROUNDS || total < MIN_TIMED_MS)) {
      rounds.push(await round());
      total += rounds.at(-1)!;
    }
    const median = quantileSorted(rounds.sort((a, b) => a - b), 0.5);
    // Rounds shorter than a coarse timer's tick read 0: then the mean of rounds that span ticks.
    return (median > 0 ? median : total / rounds.length) / steps;
  } finally {
    trainer.dispose();
  }
}

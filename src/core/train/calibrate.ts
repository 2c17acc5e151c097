import type { SplitDataset } from '../data/types';
import type { ExperimentSpec } from '../spec/experiment';
import { Trainer } from './trainer';

/** Steps a calibration times, after as many to warm up (kernel compilation, first reads). */
export const CALIBRATION_STEPS = 8;

/**
 * Milliseconds per training step of `spec` on `data` on tfjs's current backend: the run's own
 * {@link Trainer} (`members` copies of it: a study's population) takes {@link CALIBRATION_STEPS} steps, closing an epoch when one
 * ends as a run does, and the weights are read at the end so that a device's queued work
 * counts. Warm: as many steps first, uncounted.
 */
export async function timeTrainingStep(spec: ExperimentSpec, data: SplitDataset, steps = CALIBRATION_STEPS, members = 1): Promise<number> {
  // A short run (3 epochs of 5 steps) or early stopping would end the only member inside the
  // calibration, leaving an empty population to step: time an endless copy of the same shape.
  const endless = { ...spec, training: { ...spec.training, epochs: 2 * steps + 2, patience: 0 } };
  const trainer = new Trainer(Array.from({ length: members }, () => endless), data);
  try {
    const run = async (count: number) => {
      for (let s = 0; s < count; s++) {
        if (trainer.atEpochEnd) await trainer.endEpoch();
        trainer.stepBatch();
      }
      await trainer.weights();
    };
    await run(steps);
    const begin = performance.now();
    await run(steps);
    return (performance.now() - begin) / steps;
  } finally {
    trainer.dispose();
  }
}

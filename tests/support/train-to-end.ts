import type { Trainer } from '../../src/core/train/trainer';

/** Trains to the last epoch, frees the trainer, and returns every member's course and weights. */
export async function trainToEnd(trainer: Trainer) {
  while (!trainer.done) {
    trainer.stepBatch();
    if (trainer.atEpochEnd) await trainer.endEpoch();
  }
  const weights = await Promise.all(trainer.members.map((_, p) => trainer.weights(p)));
  const members = trainer.members.map((m) => structuredClone(m));
  trainer.dispose();
  return { weights, members };
}

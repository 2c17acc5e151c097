import type { Trainer } from '../../src/core/train/trainer';

/**
 * Trains to the last epoch, frees the trainer, and returns every member's course and weights,
 * with the members in the population at each epoch; `afterEpoch` may prune members at each
 * epoch's end.
 */
export async function trainToEnd(trainer: Trainer, afterEpoch: (trainer: Trainer) => void = () => {}) {
  const populations: number[][] = [];
  while (!trainer.done) {
    trainer.stepBatch();
    if (!trainer.atEpochEnd) continue;
    populations.push([...trainer.population]);
    await trainer.endEpoch();
    afterEpoch(trainer);
  }
  const weights = await Promise.all(trainer.members.map((_, p) => trainer.weights(p)));
  const members = trainer.members.map((m) => structuredClone(m));
  trainer.dispose();
  return { weights, members, populations };
}

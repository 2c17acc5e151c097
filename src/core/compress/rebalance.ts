/**
 * Class imbalance: a saved network retrained with weights for the classes in the training loss
 * (scikit-learn's 'balanced', or typed; see core/train/class-weights), its per-class recall
 * before and after.
 */
import type { SplitDataset } from '../data/types';
import type { Evaluation } from '../model/evaluation';
import type { ExperimentSpec } from '../spec/experiment';
import { Trainer } from '../train/trainer';
import { evaluateWeights } from './optimize';

/** A saved network before and after retraining with class weights: the weights used, the new parameters, and both held-out evaluations. */
export interface RebalanceResult {
  classWeights: number[];
  weights: Float32Array[];
  before: Evaluation;
  after: Evaluation;
}

/**
 * Retrains a saved network `epochs` more epochs from its weights with each class weighed in the
 * loss (the run's optimizer and batch size, no early stopping), and evaluates it before and
 * after on the held-out part.
 */
export async function rebalance(spec: ExperimentSpec, data: SplitDataset, weights: Float32Array[], classWeights: number[], epochs: number): Promise<RebalanceResult> {
  const before = await evaluateWeights(spec, data, weights);
  const tuned: ExperimentSpec = { ...spec, training: { ...spec.training, epochs, patience: 0 } };
  const trainer = new Trainer([tuned], data, { start: [weights], classWeights });
  try {
    while (!trainer.done) {
      trainer.stepBatch();
      if (trainer.atEpochEnd) await trainer.endEpoch();
    }
    const after = await trainer.evaluation(data.test ? 'test' : 'val');
    return { classWeights, weights: await trainer.weights(), before, after };
  } finally {
    trainer.dispose();
  }
}

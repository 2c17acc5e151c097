import type { StudyRecord, TrialRecord, TrialWeights } from '../core/study/types';
import { loadExperimentData } from './experiment-data';
import type { RunStore } from './store';

/** What a trial's run says of where its network comes from. */
export function trialRunMessage(study: StudyRecord, trial: TrialRecord, folds: number): string {
  const from = `Trial ${trial.number} of the study “${study.spec.name}”, as trained there.`;
  if (folds <= 1) return from;
  const others = folds === 2 ? 'the other fold' : `the other ${folds - 1} folds`;
  return `${from} Of its ${folds} cross-validated networks this is fold 1's, trained on ${others} of the training and validation points: its validation figures here include points it trained on; the study's value is the mean over all ${folds} folds.`;
}

/**
 * Adds a trial's kept network to the saved runs, complete with its epochs, weights,
 * evaluation and (for a table) the recipe that prepares typed rows, so that the training
 * screen opens it trained: it draws, predicts and exports without training again. Returns the
 * new run's id.
 */
export async function saveTrialRun(runs: Pick<RunStore, 'createRun' | 'appendEpochs' | 'finishRun'>, study: StudyRecord, trial: TrialRecord, kept: TrialWeights): Promise<string> {
  const recipe = trial.spec.data.kind === 'table' ? (await loadExperimentData(trial.spec)).recipe : undefined;
  const created = await runs.createRun(trial.spec, null);
  await runs.appendEpochs(created.id, trial.epochs);
  await runs.finishRun(created.id, {
    status: 'complete',
    message: trialRunMessage(study, trial, kept.folds),
    weights: kept.weights,
    weightShapes: kept.shapes,
    evaluation: kept.evaluation,
    ...(recipe ? { recipe } : {}),
  });
  return created.id;
}

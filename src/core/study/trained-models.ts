import type { SplitDataset } from '../data/types';
import type { Evaluation } from '../model/evaluation';
import { parameterShapes } from '../model/network';
import { Trainer, type MemberState } from '../train/trainer';
import { crossValidatedResult, toMinimize } from './schedule';
import type { Objective } from './types';

/**
 * A trained network a study keeps, as the worker hands it over: the member of its population,
 * its parameters in parameterShapes order with their shapes, and how it does on the
 * experiment's own validation part and, for a table, its held-out test part (what the
 * training screen shows for a run).
 */
export interface KeptModel {
  member: number;
  weights: Float32Array[];
  shapes: number[][];
  evaluation: { val: Evaluation; test?: Evaluation };
}

/**
 * The `count` best members of a population that completed in every fold, by the study's
 * objective (their value over the folds as the trial's value takes it), best first; ties by
 * member order. Within one population every member has the same architecture, so size and
 * speed objectives tie and the validation number alone ranks them.
 */
export function bestMembers(folds: MemberState[][], objective: Objective, count: number): number[] {
  const ranked = folds[0].flatMap((_, p) => {
    const { state, value } = crossValidatedResult(folds.map((fold) => fold[p]), objective);
    return state === 'complete' && value !== undefined && Number.isFinite(value) ? [{ p, value: toMinimize(value, objective) }] : [];
  });
  return ranked.sort((a, b) => a.value - b.value || a.p - b.p).slice(0, count).map((r) => r.p);
}

/**
 * Reads members' trained weights from the trainer that trained them (under k-fold, fold 0's:
 * trained on the other k − 1 folds) and evaluates them on `data`, the experiment's own split,
 * as one population. `trainer` may be any reader of members' weights (a network compressed after training).
 */
export async function readKeptModels(trainer: Pick<Trainer, 'specs' | 'weights'>, data: SplitDataset, members: number[]): Promise<KeptModel[]> {
  if (members.length === 0) return [];
  // Copies of their own: a read may give views into one buffer of the whole population, which
  // would travel and be stored whole.
  const weights = await Promise.all(members.map(async (p) => (await trainer.weights(p)).map((w) => w.slice())));
  const specs = members.map((p) => trainer.specs[p]);
  const judge = new Trainer(specs, data, { start: weights });
  try {
    const shapes = parameterShapes(specs[0].model, judge.io);
    const kept: KeptModel[] = [];
    for (const [k, member] of members.entries()) {
      const val = await judge.evaluation('val', k);
      const test = data.test ? await judge.evaluation('test', k) : undefined;
      kept.push({ member, weights: weights[k], shapes, evaluation: test ? { val, test } : { val } });
    }
    return kept;
  } finally {
    judge.dispose();
  }
}


/**
 * The training of a size-against-accuracy study's trials (see size-study): a saved network
 * pruned, fine-tuned quantization-aware (and distilled, for a student) as one population, then
 * rounded to its levels.
 */
import type { SplitDataset } from '../data/types';
import { parameterShapes } from '../model/network';
import type { ExperimentSpec } from '../spec/experiment';
import type { CrossValidationOptions, CrossValidationOutcome } from '../study/cross-validate';
import { networkIOOf } from '../study/objectives';
import { bestMembers, readKeptModels, type KeptModel } from '../study/trained-models';
import { trainPopulation } from '../train/population-run';
import { Trainer } from '../train/trainer';
import { trainingData } from '../train/training-data';
import { compressionQuantization, masked, pruneMasks, quantizeWeights } from './model';
import { fineTune, teacherLogits, teacherProbabilities } from './optimize';

/** The saved run a compression starts from: its experiment and trained weights. */
export interface CompressionSource {
  spec: ExperimentSpec;
  weights: Float32Array[];
}

const sameShapes = (weights: Float32Array[], shapes: number[][]) =>
  weights.length === shapes.length && weights.every((w, k) => w.length === shapes[k].reduce((a, b) => a * b, 1));

/**
 * Trains trials that compress one saved network as one population (they share bits and
 * student or not; see incompatibility): each member starts from the run's weights, or from a
 * student first distilled from the run for `distill.epochs` (drawn from the trial's seed,
 * narrowed by applyParams), gets its magnitude masks per layer, and fine-tunes with the pruned
 * weights held at 0 and the kernels fake-quantized (and on Hinton's loss, when a student).
 * Then each network is rounded to its levels and the last epoch's validation figures become
 * those of the network as compressed, so that the trial's values and the networks kept are of
 * what the point stores. The plain validation split only (no folds).
 */
export async function trainCompressed(specs: ExperimentSpec[], source: CompressionSource, options: CrossValidationOptions = {}): Promise<CrossValidationOutcome> {
  const compress = specs[0].compress;
  if (!compress) throw new Error('These trials compress no network.');
  const data = trainingData(specs[0], options.data);
  const shapes = parameterShapes(specs[0].model, networkIOOf(specs[0], data));
  const quantization = compressionQuantization(compress);
  let start = source.weights;
  let distillation;
  if (compress.distilled) {
    if (data.train.classes < 3) throw new Error('Distillation needs a table with three or more classes.');
    const { temperature, alpha, epochs } = compress.distill;
    distillation = { teacher: teacherProbabilities(await teacherLogits(source.spec, data, source.weights), data.train.classes, temperature), temperature, alpha };
    start = await fineTune(specs[0], data, null, null, epochs, { distillation });
  } else if (!sameShapes(start, shapes)) {
    throw new Error("The saved run's network does not have the shape of this study's networks.");
  }
  const masks = specs.map((s) => pruneMasks(start, shapes, { method: 'layer', amount: s.compress!.sparsity }));
  let kept: KeptModel[] = [];
  const finish = async (trainer: Trainer) => {
    const compressed = await Promise.all(
      specs.map(async (_, p) => {
        const trained = await trainer.weights(p);
        return trainer.members[p].status === 'complete' ? quantizeWeights(masked(trained, masks[p]), shapes, quantization).weights : trained;
      }),
    );
    await scoreAsCompressed(trainer, data, compressed);
    const best = options.keep ? bestMembers([trainer.members], options.keep.objective, options.keep.count) : [];
    kept = await readKeptModels({ specs: trainer.specs, weights: async (p = 0) => compressed[p] }, data, best);
  };
  const { members, cancelled } = await trainPopulation(specs, { ...options, data, trainer: { start: specs.map(() => start), masks, quantization, distillation }, finish });
  return { folds: [members], cancelled, kept };
}

/** Sets each completed member's last validation loss and metric to those of its compressed network. */
async function scoreAsCompressed(trainer: Trainer, data: SplitDataset, compressed: Float32Array[][]): Promise<void> {
  const judge = new Trainer(trainer.specs, data, { start: compressed });
  try {
    for (const [p, member] of trainer.members.entries()) {
      const last = member.history.at(-1);
      if (member.status !== 'complete' || !last) continue;
      const evaluation = await judge.evaluation('val', p);
      last.valLoss = evaluation.loss;
      last.valMetric = evaluation.accuracy ?? evaluation.r2 ?? last.valMetric;
    }
  } finally {
    judge.dispose();
  }
}

// W5: the size-against-accuracy study's 16 points (sparsity 0/50/80/90 % × 8/6/4/2 bits, 5
// fine-tuning epochs each) of the trained penguins model, as the study trains them (one
// population per bit width), against the same points one at a time through the same code, and
// against the batched plain-JavaScript peer doing the same work per point.
import { pruneMasks } from '../../src/core/compress/model';
import { sizeAccuracyStudy } from '../../src/core/compress/size-study';
import { trainCompressed } from '../../src/core/compress/compressed-training';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { prepareTable } from '../../src/core/data/table/prepare';
import { tableSplit } from '../../src/core/data/table-split';
import type { SplitDataset } from '../../src/core/data/types';
import { applyParams } from '../../src/core/search';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { runTraining } from '../../src/core/train/run';
import { PENGUINS_MODEL } from '../compress/penguins-model';
import { BatchedNetwork } from '../baselines/batched-nn';
import { seconds } from './timing';

/** W5's grid: bench's sixteen points, as the optimize screen proposes them. */
export const W5_SPARSITIES = [0, 0.5, 0.8, 0.9];
export const W5_BITS = [8, 6, 4, 2];
export const W5_EPOCHS = 5;

/** One way of W5: its wall time and every point's validation accuracy as compressed, in grid order (bits, then sparsity). */
export interface SweepWay {
  seconds: number;
  accuracies: number[];
}

/** What W5 measured. */
export interface CompressSweepTiming {
  populations: SweepWay;
  oneAtATime: SweepWay;
  peer: SweepWay;
}

/** Each point's last validation accuracy, the compressed network's (see trainCompressed). */
const accuracies = (outcome: Awaited<ReturnType<typeof trainCompressed>>) => outcome.folds[0].map((m) => m.history.at(-1)?.valMetric ?? NaN);

/** Trains each of `items` after the other, and gives every point's accuracy in order. */
async function inTurn<T>(items: T[], train: (item: T) => ReturnType<typeof trainCompressed>): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) out.push(...accuracies(await train(item)));
  return out;
}

/** The peer on one point: the trained weights masked, 5 epochs of quantization-aware Adam with a validation pass each, then the quantized network's accuracy. */
function peerPoint(spec: ExperimentSpec, data: SplitDataset, weights: Float32Array[], shapes: number[][]): number {
  const c = spec.compress!;
  const masks = pruneMasks(weights, shapes, { method: 'layer', amount: c.sparsity }).filter((_, k) => k % 2 === 0);
  const widths = [data.train.dims, ...spec.model.hidden.map((l) => l.units), data.train.classes];
  const o = spec.optimizer;
  const adam = { kind: 'adam' as const, lr: o.lr, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.eps ?? 1e-8 };
  const net = new BatchedNetwork(widths, spec.seed, adam, spec.training.batchSize, { activation: 'relu', start: weights, masks, bits: c.bits });
  for (let e = 0; e < spec.training.epochs; e++) {
    net.trainEpoch(data.train.x, data.train.y, data.train.n);
    net.meanLoss(data.val.x, data.val.y, data.val.n);
  }
  return net.evaluate(data.val.x, data.val.y, data.val.n).accuracy;
}

/** W5: trains the penguins model (untimed), then times the three ways, each whole, in turns: a warm-up round, then the fastest of three. */
export async function timeCompressSweep(): Promise<CompressSweepTiming> {
  const table = await loadBuiltin('builtin:penguins');
  if (!table || PENGUINS_MODEL.data.kind !== 'table') throw new Error('The penguins table did not load');
  const data = tableSplit(prepareTable(table.table, PENGUINS_MODEL.data.preprocess));
  const trained = await runTraining(PENGUINS_MODEL, { data });
  const source = { spec: PENGUINS_MODEL, weights: trained.weights };
  const study = sizeAccuracyStudy({ id: 'bench', spec: PENGUINS_MODEL }, {
    sparsities: W5_SPARSITIES, bits: W5_BITS, distilled: false, epochs: W5_EPOCHS, distill: { widthFactor: 0.5, temperature: 2, alpha: 0.7, epochs: 15 },
  });
  const groups = W5_BITS.map((bits) => W5_SPARSITIES.map((sparsity) => applyParams(study.base, { 'compress.sparsity': sparsity, 'compress.bits': bits })));
  const ways: Record<keyof CompressSweepTiming, () => Promise<number[]>> = {
    populations: () => inTurn(groups, (group) => trainCompressed(group, source, { data })),
    oneAtATime: () => inTurn(groups.flat(), (spec) => trainCompressed([spec], source, { data })),
    peer: async () => groups.flat().map((spec) => peerPoint(spec, data, trained.weights, trained.weightShapes)),
  };
  const best = { populations: { seconds: Infinity, accuracies: [] }, oneAtATime: { seconds: Infinity, accuracies: [] }, peer: { seconds: Infinity, accuracies: [] } } as CompressSweepTiming;
  // A first round warms kernels, caches and the JavaScript engine (untimed); then three rounds in turns, the fastest of each way counting.
  for (let round = 0; round < 4; round++) {
    for (const way of Object.keys(ways) as (keyof CompressSweepTiming)[]) {
      const begin = seconds();
      const accuracies = await ways[way]();
      const took = seconds() - begin;
      if (round > 0 && took < best[way].seconds) best[way] = { seconds: took, accuracies };
    }
  }
  return best;
}


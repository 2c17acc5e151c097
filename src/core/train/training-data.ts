import { generatedSplit } from '../data/split';
import { problemOf } from '../data/generators';
import type { ExperimentData, ProblemType, SplitDataset } from '../data/types';
import type { ExperimentSpec } from '../spec/experiment';

/**
 * The data an experiment trains on: the split a caller loaded (a prepared table, one fold of
 * a cross-validation), or else the experiment's generated set. Tables live in the browser's
 * library, out of reach of core, so they must be given.
 */
export function trainingData(spec: ExperimentSpec, given?: SplitDataset): SplitDataset {
  if (given) return given;
  if (spec.data.kind === 'table') throw new Error(`The table "${spec.data.name}" must be loaded before it can be trained on.`);
  return generatedSplit(spec.data);
}

/** Whether an experiment's data asks for classes or for a value. */
export function problemOfData(data: ExperimentData): ProblemType {
  if (data.kind === 'table') return data.preprocess.task === 'regression' ? 'regression' : 'classification';
  return problemOf(data.kind);
}

/** An epoch's layout: the inputs with a column of ones and the targets, batch after batch (see {@link layOutEpoch}). */
export interface EpochLayout {
  x: Float32Array;
  t: Float32Array;
}

/**
 * An epoch's training examples laid out for the steps of a population: member r's examples in
 * its own order `orders[r]`, batch after batch, each batch's block [P, B, inputs + 1] in one
 * piece (a column of ones appended to the inputs `x` [n, inputs]) with its targets `t`
 * [n, width] as [P, B, width]. Written into `into` when its arrays have the sizes (the
 * previous epoch's, once nothing reads them): a fresh array of a few hundred kilobytes an
 * epoch cost Chromium more than the layout itself, its memory paged in anew.
 */
export function layOutEpoch(x: Float32Array, t: Float32Array, orders: number[][], batchSize: number, inputs: number, into?: EpochLayout): EpochLayout {
  const P = orders.length;
  const n = orders[0]?.length ?? 0;
  const f = inputs;
  const w = n > 0 ? Math.round(t.length / n) : 1;
  const fits = into && into.x.length === P * n * (f + 1) && into.t.length === P * n * w;
  const outX = fits ? into.x : new Float32Array(P * n * (f + 1));
  const outT = fits ? into.t : new Float32Array(P * n * w);
  let row = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    for (let r = 0; r < P; r++) {
      const order = orders[r];
      for (let k = start; k < end; k++, row++) {
        // Element by element: a subarray per row cost more than the copy (and its garbage).
        const i = order[k];
        for (let c = 0; c < f; c++) outX[row * (f + 1) + c] = x[i * f + c];
        outX[row * (f + 1) + f] = 1;
        for (let c = 0; c < w; c++) outT[row * w + c] = t[i * w + c];
      }
    }
  }
  return { x: outX, t: outT };
}

/** The indices 0, 1, …, n − 1 (a loop: `Array.from` with a callback is several times slower). */
export function indices(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(i);
  return out;
}

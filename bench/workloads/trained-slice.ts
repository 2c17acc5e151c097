// W6: a 51 × 51 slice of the penguins network's loss, training and validation, as one
// population through the fused evaluation kernel, against the same points one at a time
// through that kernel and against a batched plain-JavaScript peer.
import { prepareTable } from '../../src/core/data/table/prepare';
import { tableSplit } from '../../src/core/data/table-split';
import { landscapeLosses, lossSlice, randomDirection, slicePoints, flattenWeights, type LandscapeModel } from '../../src/core/landscape/trained';
import { loadBuiltin } from '../../src/core/data/table/builtins';
import { penguinsNetwork, PENGUINS_IO, PENGUINS_SPEC } from '../../tests/support/penguins-network';
import { plainSlice } from '../baselines/plain-slice';
import { repeatWithin, seconds, type Timed } from './timing';

/** W6's grid side. */
export const SLICE_RES = 51;

/** What W6 measured: ours once, the single points within a budget, the peer once. */
export interface SliceTiming {
  oursSeconds: number;
  single: Timed;
  plainJsSeconds: number;
  total: number;
  /** The largest difference between our losses and the peer's: the two computed the same thing. */
  largestDifference: number;
}

/** W6: the slice as one population (after a warm-up), then single points until `budget` seconds, then the peer. */
export async function timeTrainedSlice(budget: number): Promise<SliceTiming> {
  const table = await loadBuiltin('builtin:penguins');
  if (!table || PENGUINS_SPEC.data.kind !== 'table') throw new Error('The penguins table did not load');
  const data = tableSplit(prepareTable(table.table, PENGUINS_SPEC.data.preprocess));
  const model: LandscapeModel = { spec: PENGUINS_SPEC, io: PENGUINS_IO, data };
  const run = penguinsNetwork(1);
  const center = flattenWeights(run.weights);
  const axes: [Float32Array, Float32Array] = [randomDirection(run.weights, run.weightShapes, 3), randomDirection(run.weights, run.weightShapes, 4)];
  const total = SLICE_RES * SLICE_RES;
  // Same shapes, a smaller grid: compiles the kernel the timed slice uses.
  await lossSlice(model, center, axes, 5);
  let begin = seconds();
  const ours = await lossSlice(model, center, axes, SLICE_RES);
  const oursSeconds = seconds() - begin;

  const points = slicePoints(center, axes[0], axes[1], SLICE_RES);
  const n = center.length;
  await landscapeLosses(model, points.subarray(0, n), 1);
  const single = await repeatWithin(total, budget, (k) => {
    const cell = (k * 7919) % total;
    return landscapeLosses(model, points.subarray(cell * n, (cell + 1) * n), 1);
  });

  const widths = run.weightShapes.filter((s) => s.length === 2).map(([i, o]) => [i, o] as [number, number]);
  begin = seconds();
  const [train] = plainSlice({ widths }, center, axes[0], axes[1], SLICE_RES, [data.train, data.val]);
  const plainJsSeconds = seconds() - begin;
  const largestDifference = train.reduce((worst, v, k) => Math.max(worst, Math.abs(v - ours.train[k])), 0);
  return { oursSeconds, single, plainJsSeconds, total, largestDifference };
}

// W3 and W4: the landscape lab's batched runs against the same runs one at a time.
import { BUILT_IN_SURFACES, DEFAULT_BOWL, basinMap, gridStart, logSpace, lrSweep, trajectory } from '../../src/core/landscape';
import type { OptimizerSpec } from '../../src/core/optim/types';
import { repeatWithin, seconds, type Timed } from './timing';

/** W3's map: 128 × 128 starts on Himmelblau, 300 Adam steps each. */
export const BASIN = { surface: 'himmelblau', size: 128, steps: 300, optimizer: { kind: 'adam', lr: 0.05 } as OptimizerSpec };

/** W4's sweep: 64 learning rates of plain gradient descent on the default bowl, 300 steps. */
export const SWEEP = {
  surface: { id: 'bowl' as const, ...DEFAULT_BOWL },
  start: [-1.5, 1.5] as [number, number],
  steps: 300,
  lrs: { low: 1e-3, high: 1, count: 64 },
  optimizer: { kind: 'sgd', lr: 0.1 } as OptimizerSpec,
};

/** Batched against one at a time: the single runs timed on `single.count` of `total`. */
export interface BatchedVsSingle {
  batchedSeconds: number;
  single: Timed;
  total: number;
}

/** W3: the whole basin map in one batch, then single-start trajectories until `budget` seconds. */
export async function timeBasinMap(budget: number): Promise<BatchedVsSingle> {
  const { surface, size, steps, optimizer } = BASIN;
  // Same shapes, fewer steps: compiles every kernel the timed map uses.
  await basinMap({ surface, optimizer, grid: { size }, steps: 2 });
  const begin = seconds();
  await basinMap({ surface, optimizer, grid: { size }, steps });
  const batchedSeconds = seconds() - begin;

  const total = size * size;
  const domain = BUILT_IN_SURFACES.himmelblau.domain;
  // Cells spread over the whole grid (a stride coprime to its size), not one corner.
  const cell = (k: number) => (k * 7919) % total;
  const startOf = (k: number) => gridStart(size, domain, cell(k) % size, Math.floor(cell(k) / size));
  await trajectory({ surface, optimizer, start: startOf(total - 1), steps });
  const single = await repeatWithin(total, budget, (k) => trajectory({ surface, optimizer, start: startOf(k), steps }));
  return { batchedSeconds, single, total };
}

/** W4: the 64-rate sweep in one batch, then one trajectory per rate until `budget` seconds. */
export async function timeLrSweep(budget: number): Promise<BatchedVsSingle> {
  const { surface, start, steps, lrs, optimizer } = SWEEP;
  await lrSweep({ surface, optimizer, start, steps: 2, lrs });
  const begin = seconds();
  await lrSweep({ surface, optimizer, start, steps, lrs });
  const batchedSeconds = seconds() - begin;

  const rates = logSpace(lrs);
  await trajectory({ surface, optimizer: { ...optimizer, lr: rates[0] }, start, steps });
  const single = await repeatWithin(rates.length, budget, (r) => trajectory({ surface, optimizer: { ...optimizer, lr: rates[r] }, start, steps }));
  return { batchedSeconds, single, total: rates.length };
}

// W3 and W4: the landscape lab's batched runs against the loops a careful engineer writes by hand
// (bench/baselines/hand-landscape.ts), both doing the whole work, their results compared.
import { BUILT_IN_SURFACES, DEFAULT_BOWL, basinMap, gridStarts, labelBasins, logSpace, lrSweep } from '../../src/core/landscape';
import { resolveHypers } from '../../src/core/optim/defaults';
import type { OptimizerSpec } from '../../src/core/optim/types';
import { handAdamOnHimmelblau, handSgdOnBowl } from '../baselines/hand-landscape';
import { seconds, warmUp } from './timing';

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

/** Each side timed this many times, taking turns; the fastest counts (other work on the machine only ever slows a run). */
const REPEATS = 3;

/** Ours against the hand-written loop on the same work, and how often their results disagree. */
export interface AgainstHand {
  /** Seconds of the fastest of {@link REPEATS} runs of each. */
  ours: number;
  hand: number;
  /** Results compared (starts, rates) and those that differ. */
  total: number;
  disagreements: number;
  /** What the results were, in words: labels or final losses of both. */
  detail: string;
  /** Runs in each timed sample. */
  times: number;
}

/**
 * Times `ours` and `hand` in turns after a warm-up of each of at least a second (code
 * generation, and the optimizing compilers' tier-up, which a busy machine delays: after one
 * warm-up call the sweep's first samples ran on baseline code), each sample `times` runs of
 * the whole work (a sweep takes less than a worker's timer resolves): the fastest sample of
 * each, per run.
 */
async function inTurns<A, B>(ours: () => Promise<A>, hand: () => B, times = 1): Promise<{ ours: number; hand: number; a: A; b: B }> {
  let a = await ours();
  let b = hand();
  await warmUp(async () => (a = await ours()));
  await warmUp(() => (b = hand()));
  let best = { ours: Infinity, hand: Infinity };
  for (let k = 0; k < REPEATS; k++) {
    let begin = seconds();
    for (let r = 0; r < times; r++) a = await ours();
    best = { ...best, ours: Math.min(best.ours, (seconds() - begin) / times) };
    begin = seconds();
    for (let r = 0; r < times; r++) b = hand();
    best = { ...best, hand: Math.min(best.hand, (seconds() - begin) / times) };
  }
  return { ...best, a, b };
}

/** W3: the whole basin map, ours in one batch, the hand loop one start at a time, labelled alike. */
export async function timeBasinMap(): Promise<AgainstHand> {
  const { surface, size, steps, optimizer } = BASIN;
  const himmelblau = BUILT_IN_SURFACES.himmelblau;
  const grid = { size, domain: himmelblau.domain };
  const { lr, beta1, beta2, eps } = resolveHypers(optimizer);
  const run = await inTurns(
    () => basinMap({ surface, optimizer, grid: { size }, steps }),
    () => labelBasins(himmelblau, grid, handAdamOnHimmelblau(gridStarts(size, grid.domain), steps, { lr, beta1, beta2, eps })),
  );
  let disagreements = 0;
  run.a.labels.forEach((label, s) => (disagreements += label === run.b.labels[s] ? 0 : 1));
  const counts = (m: typeof run.a) => `${m.counts.join('/')} + ${m.notConverged} unsettled + ${m.diverged} diverged`;
  return { ours: run.ours, hand: run.hand, total: size * size, disagreements, detail: `starts per minimum: ours ${counts(run.a)}, hand ${counts(run.b)}`, times: 1 };
}

/** Sweeps in each timed sample of W4. */
export const SWEEP_TIMES = 50;

/** Relative difference beyond which two final losses count as different (both double precision, the same operations). */
const LOSS_TOLERANCE = 1e-9;

/** W4: the whole sweep, ours in one batch, the hand loop one rate at a time, final losses compared. */
export async function timeLrSweep(): Promise<AgainstHand> {
  const { surface, start, steps, lrs, optimizer } = SWEEP;
  const rates = logSpace(lrs);
  const run = await inTurns(
    () => lrSweep({ surface, optimizer, start, steps, lrs }),
    () => handSgdOnBowl(rates, start, steps, surface.condition, surface.rotation),
    SWEEP_TIMES,
  );
  let disagreements = 0;
  rates.forEach((_, r) => {
    const [a, b] = [run.a.finalLoss[r], run.b[r]];
    const same = Number.isFinite(b) ? Math.abs(a - b) <= LOSS_TOLERANCE * Math.max(1, Math.abs(b)) : Object.is(a, b);
    disagreements += same ? 0 : 1;
  });
  const stable = run.a.diverged.filter((d) => !d).length;
  const last = (values: ArrayLike<number>) => Number(values[stable - 1]).toExponential(6);
  return {
    ours: run.ours,
    hand: run.hand,
    total: rates.length,
    disagreements,
    detail: `${stable} rates stable; final loss at the largest stable rate: ours ${last(run.a.finalLoss)}, hand ${last(run.b)}`,
    times: SWEEP_TIMES,
  };
}

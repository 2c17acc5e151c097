/**
 * Hyperparameter search, after Optuna's model: a search space as data, samplers that share one
 * small interface (one module each), and pruners that stop bad trials early.
 *
 * @example
 * const space = { 'optimizer.lr': { type: 'float', low: 1e-4, high: 1, log: true } } as const;
 * const sampler = createSampler({ kind: 'tpe' }, space, 42);
 * const params = sampler.ask();            // { 'optimizer.lr': 0.0031… }
 * sampler.tell(params!, 0.27);             // the trial's objective, to minimize
 */
import { ashaPruner, type AshaOptions } from './pruners/asha';
import { hyperbandPruner, type HyperbandOptions } from './pruners/hyperband';
import { medianPruner, type MedianOptions } from './pruners/median';
import { populationPruner, type PopulationPruner } from './pruners/population';
import { maximizing, type Direction, type Pruner } from './pruners/pruner';
import { geneticSampler, type GeneticOptions } from './samplers/genetic';
import { gridSampler } from './samplers/grid';
import { randomMultiObjectiveSampler, type MultiObjectiveObservation, type MultiObjectiveSampler } from './samplers/multi-objective';
import { nsga2Sampler, type Nsga2Options } from './samplers/nsga2';
import { randomSampler } from './samplers/random';
import type { Observation, Sampler } from './samplers/sampler';
import { tpeSampler, type TpeOptions } from './samplers/tpe/sampler';
import type { SearchSpace } from './space';

export { applyParams } from './apply';
export { gridIndex, gridIndexOf, gridPointAt, gridPoints, gridSize, gridValueAt, gridValueCount, gridValues, type GridIndex } from './grid';
export { validateSpace, type Choice, type Condition, type ParamDef, type Params, type SearchSpace } from './space';
export type { Observation, Sampler } from './samplers/sampler';
export { PRUNER_DEFAULTS } from './pruners/pruner';
export type { Direction, Pruner, PrunerTrial } from './pruners/pruner';
export type { PopulationMember, PopulationPruner } from './pruners/population';
export type { AshaOptions, GeneticOptions, HyperbandOptions, MedianOptions, TpeOptions };
export type { AskedTrial, MultiObjectiveObservation, MultiObjectiveSampler } from './samplers/multi-objective';
export type { Nsga2Options };

/** The search strategies available. */
export const SAMPLER_KINDS = ['random', 'grid', 'tpe', 'genetic'] as const;

/** A search strategy as data, with its options (each optional, see the sampler's options). */
export type SamplerSpec =
  | { kind: 'random' }
  | { kind: 'grid'; resolution?: number }
  | ({ kind: 'tpe' } & TpeOptions)
  | ({ kind: 'genetic' } & GeneticOptions);

/** The search strategies available to studies of several objectives. */
export const MULTI_OBJECTIVE_SAMPLER_KINDS = ['nsga2', 'random', 'grid'] as const;

/** A search strategy for several objectives as data (random counts generations of `populationSize`, 50 by default; a grid is one generation). */
export type MultiObjectiveSamplerSpec = ({ kind: 'nsga2' } & Nsga2Options) | { kind: 'random'; populationSize?: number } | { kind: 'grid'; resolution?: number };

/** A pruner as data. */
export type PrunerSpec = ({ kind: 'median' } & MedianOptions) | ({ kind: 'asha' } & AshaOptions) | ({ kind: 'hyperband' } & HyperbandOptions);

/** Default points per continuous range for grid search. */
export const DEFAULT_GRID_RESOLUTION = 5;

/**
 * A sampler for the space, reproducible from the seed and resumable: given the trials asked
 * so far, in order (finished ones with their value, null for failed or pruned; unfinished ones
 * marked pending), it suggests what the sampler that asked them would suggest next. A grid
 * asks null once every point was asked.
 */
export function createSampler(spec: SamplerSpec, space: SearchSpace, seed: number, history: Observation[] = []): Sampler {
  switch (spec.kind) {
    case 'random':
      return randomSampler(space, seed, history);
    case 'grid':
      return gridSampler(space, seed, spec.resolution ?? DEFAULT_GRID_RESOLUTION, history);
    case 'tpe':
      return tpeSampler(space, seed, spec, history);
    case 'genetic':
      return geneticSampler(space, seed, spec, history);
    default:
      throw new Error(`Unknown search strategy "${(spec as { kind: string }).kind}"`);
  }
}

/**
 * A sampler for several objectives (values to minimize), reproducible from the seed and
 * resumable from the trials asked so far, in order, with their generations, as
 * {@link createSampler} is.
 */
export function createMultiObjectiveSampler(spec: MultiObjectiveSamplerSpec, space: SearchSpace, seed: number, history: MultiObjectiveObservation[] = []): MultiObjectiveSampler {
  switch (spec.kind) {
    case 'nsga2':
      return nsga2Sampler(space, seed, spec, history);
    case 'random':
      return randomMultiObjectiveSampler(space, seed, spec.populationSize, history);
    case 'grid': {
      // Every point once, whatever the values: a grid learns nothing from them.
      const grid = gridSampler(space, seed, spec.resolution ?? DEFAULT_GRID_RESOLUTION, history.map((h) => ({ params: h.params, value: null, pending: h.pending })));
      return { askBatch: (n) => grid.askBatch(n).map((params) => ({ params, generation: 0 })), tell: () => {} };
    }
    default:
      throw new Error(`"${(spec as { kind: string }).kind}" does not search several objectives; choose NSGA-II or random, or grid search.`);
  }
}

/**
 * A pruner from its spec, for values the study minimizes (by default) or maximizes. Pruners
 * decide from the intermediate values passed in alone, so they keep no state across a reload.
 */
export function createPruner(spec: PrunerSpec, direction: Direction = 'minimize'): Pruner {
  const pruner = spec.kind === 'median' ? medianPruner(spec) : spec.kind === 'asha' ? ashaPruner(spec) : hyperbandPruner(spec);
  return direction === 'maximize' ? maximizing(pruner) : pruner;
}

/**
 * The pruner of a spec for populations trained in lockstep (see {@link populationPruner}):
 * successive halving and Hyperband as they are, the median rule with the other members at
 * the same step counted as peers.
 */
export function createPopulationPruner(spec: PrunerSpec, direction: Direction = 'minimize'): PopulationPruner {
  return populationPruner(createPruner(spec, direction), spec.kind === 'median');
}

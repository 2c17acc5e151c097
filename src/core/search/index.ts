/**
 * Hyperparameter search, after Optuna's model: a search space as data, samplers that share one
 * small interface (one module each), and pruners that stop bad trials early.
 */
import { ashaPruner, type AshaOptions } from './pruners/asha';
import { medianPruner, type MedianOptions } from './pruners/median';
import type { Pruner } from './pruners/pruner';
import { gridSampler } from './samplers/grid';
import { randomSampler } from './samplers/random';
import type { Observation, Sampler } from './samplers/sampler';
import type { SearchSpace } from './space';

export { applyParams } from './apply';
export { gridPoints, gridSize, gridValues, type ParamDef, type Params, type SearchSpace } from './space';
export type { Observation, Sampler } from './samplers/sampler';
export type { Pruner, PrunerTrial } from './pruners/pruner';

/** The search strategies available. */
export const SAMPLER_KINDS = ['random', 'grid'] as const;

/** A search strategy as data. */
export type SamplerSpec = { kind: 'random' } | { kind: 'grid'; resolution?: number };

/** A pruner as data. */
export type PrunerSpec = ({ kind: 'median' } & MedianOptions) | ({ kind: 'asha' } & AshaOptions);

/** Default points per continuous range for grid search. */
export const DEFAULT_GRID_RESOLUTION = 5;

/** A sampler for the space, reproducible from the seed and resumable from past trials. */
export function createSampler(spec: SamplerSpec, space: SearchSpace, seed: number, history: Observation[] = []): Sampler {
  switch (spec.kind) {
    case 'random':
      return randomSampler(space, seed, history);
    case 'grid':
      return gridSampler(space, seed, spec.resolution ?? DEFAULT_GRID_RESOLUTION, history);
    default:
      throw new Error(`Unknown search strategy "${(spec as { kind: string }).kind}"`);
  }
}

/** A pruner from its spec. */
export function createPruner(spec: PrunerSpec): Pruner {
  return spec.kind === 'median' ? medianPruner(spec) : ashaPruner(spec);
}

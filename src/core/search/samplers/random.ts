import type { Rng } from '../../random/prng';
import { applies, orderedNames, type ParamDef, type Params, type SearchSpace } from '../space';
import { scaleOf } from './scale';
import { trialRng, type Observation, type Sampler } from './sampler';

/**
 * A value of one parameter drawn uniformly in its scale (log-uniformly when log; every
 * integer or step equally likely), as Optuna's RandomSampler.
 */
export function drawValue(def: ParamDef, rng: Rng): Params[string] {
  if (def.type === 'categorical') return def.choices[rng.int(def.choices.length)];
  const scale = scaleOf(def);
  return scale.fromInternal(rng.uniform(scale.low, scale.high));
}

/** A whole trial drawn at random: every parameter whose condition holds, in condition order. */
export function drawParams(space: SearchSpace, rng: Rng): Params {
  const params: Params = {};
  for (const name of orderedNames(space)) if (applies(space[name], params)) params[name] = drawValue(space[name], rng);
  return params;
}

/**
 * Random search: each trial's parameters drawn independently, from the generator of its
 * place in the order of asks, so a sampler rebuilt from k past trials suggests what the
 * original would.
 */
export function randomSampler(space: SearchSpace, seed: number, history: Observation[] = []): Sampler {
  let k = history.length;
  const ask = (): Params => drawParams(space, trialRng(seed, k++));
  return { ask, askBatch: (n) => Array.from({ length: n }, ask), tell: () => {} };
}

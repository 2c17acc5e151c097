import { createRng, type Rng } from '../../random/prng';
import { applies, orderedNames, type ParamDef, type Params, type SearchSpace } from '../space';
import type { Observation, Sampler } from './sampler';

/** A value of one parameter drawn uniformly (log-uniformly when log), snapped to its step. */
export function drawValue(def: ParamDef, rng: Rng): Params[string] {
  if (def.type === 'categorical') return def.choices[rng.int(def.choices.length)];
  const u = rng.next();
  let v = def.log ? Math.exp(Math.log(def.low) + u * (Math.log(def.high) - Math.log(def.low))) : def.low + u * (def.high - def.low);
  if (def.step) v = Math.min(def.high, def.low + Math.round((v - def.low) / def.step) * def.step);
  if (def.type === 'int') v = Math.min(def.high, Math.max(def.low, Math.round(v)));
  return def.step ? Number(v.toPrecision(12)) : v;
}

/**
 * Random search: each trial's parameters drawn independently. Trial k draws from a generator
 * seeded by (seed, k), so a sampler rebuilt from k past trials suggests what the original would.
 */
export function randomSampler(space: SearchSpace, seed: number, history: Observation[] = []): Sampler {
  const names = orderedNames(space);
  let k = history.length;
  const ask = (): Params => {
    const rng = createRng(createRng(seed).fork() ^ Math.imul(k++ + 1, 0x9e3779b1));
    const params: Params = {};
    for (const name of names) if (applies(space[name], params)) params[name] = drawValue(space[name], rng);
    return params;
  };
  return { ask, askBatch: (n) => Array.from({ length: n }, ask), tell: () => {} };
}

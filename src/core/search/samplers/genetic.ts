import type { Rng } from '../../random/prng';
import { applies, orderedNames, type Params, type SearchSpace } from '../space';
import { drawParams, drawValue } from './random';
import { loggedSampler, TrialLog, trialRng, type LoggedTrial, type Observation, type Sampler } from './sampler';
import { scaleOf } from './scale';

/** Options of the genetic sampler. */
export interface GeneticOptions {
  /** Individuals kept, and random trials before breeding starts (20). */
  populationSize?: number;
  /** Individuals drawn per tournament; the best of them becomes a parent (2). */
  tournamentSize?: number;
  /** Chance that a child mixes two parents rather than copying one (0.9, as Optuna's NSGA-II). */
  crossoverProb?: number;
  /** Chance that each parameter mutates; default 1 / number of parameters (as Optuna's NSGA-II). */
  mutationProb?: number;
  /** Spread of a numeric mutation, as a fraction of the parameter's range in its scale (0.1). */
  mutationScale?: number;
}

/**
 * A genetic algorithm. The first `populationSize` trials are random; after that the population
 * is the best `populationSize` trials finished with a value, so the best are never lost
 * (elitism as (μ+λ) selection, as NSGA-II keeps parents and children together). A child takes
 * two parents, each the best of a tournament, mixes them by uniform crossover (each parameter
 * from either parent, conditional ones from whichever parent has them), then mutates each
 * parameter with `mutationProb`: numeric ones by a normal step in their scale (log space for
 * log parameters, then rounded to their step), categorical ones by a fresh choice. Children do
 * not wait for each other, so any number can be asked at once. Child k draws from the
 * generator of (seed, k), so a sampler rebuilt from a history suggests what the original would.
 *
 * @example
 * const ga = geneticSampler({ x: { type: 'float', low: -5, high: 5 } }, 42, { populationSize: 10 });
 * for (const p of ga.askBatch(10)) ga.tell(p, (p.x as number) ** 2);
 */
export function geneticSampler(space: SearchSpace, seed: number, options: GeneticOptions = {}, history: Observation[] = []): Sampler {
  const names = orderedNames(space);
  const { populationSize = 20, tournamentSize = 2, crossoverProb = 0.9, mutationScale = 0.1 } = options;
  const mutationProb = options.mutationProb ?? 1 / Math.max(1, names.length);
  const log = new TrialLog(history);

  const population = (): LoggedTrial[] =>
    log
      .finished()
      .filter((t) => t.value !== null)
      .sort((a, b) => (a.value as number) - (b.value as number) || a.order - b.order)
      .slice(0, populationSize);

  /** The best of `tournamentSize` individuals drawn with replacement; the population is sorted best first. */
  const tournament = (pop: LoggedTrial[], rng: Rng): Params => {
    let best = rng.int(pop.length);
    for (let i = 1; i < tournamentSize; i++) best = Math.min(best, rng.int(pop.length));
    return pop[best].params;
  };

  const mutate = (name: string, value: Params[string], rng: Rng): Params[string] => {
    const def = space[name];
    if (def.type === 'categorical') return drawValue(def, rng);
    const scale = scaleOf(def);
    const range = scale.high - scale.low;
    const t = scale.toInternal(value as number) + rng.normal(0, mutationScale * range);
    // Reflected off the ends rather than clipped, so the ends are not drawn more often than their neighbours.
    const u = (((t - scale.low) % (2 * range)) + 2 * range) % (2 * range);
    return scale.fromInternal(scale.low + (u > range ? 2 * range - u : u));
  };

  const breed = (pop: LoggedTrial[], rng: Rng): Params => {
    const first = tournament(pop, rng);
    const second = rng.next() < crossoverProb ? tournament(pop, rng) : first;
    const child: Params = {};
    for (const name of names) {
      if (!applies(space[name], child)) continue;
      const [a, b] = rng.next() < 0.5 ? [first, second] : [second, first];
      let value = name in a ? a[name] : name in b ? b[name] : drawValue(space[name], rng);
      if (rng.next() < mutationProb) value = mutate(name, value, rng);
      child[name] = value;
    }
    return child;
  };

  return loggedSampler(log, () => {
    const rng = trialRng(seed, log.asked);
    const pop = log.asked < populationSize ? [] : population();
    return pop.length ? breed(pop, rng) : drawParams(space, rng);
  });
}

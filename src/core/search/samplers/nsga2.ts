import type { Rng } from '../../random/prng';
import { dominates, selectElite } from '../multi/pareto';
import { applies, orderedNames, type ParamDef, type Params, type SearchSpace } from '../space';
import { DEFAULT_POPULATION_SIZE, type AskedTrial, type MultiObjectiveObservation, type MultiObjectiveSampler } from './multi-objective';
import { drawParams, drawValue } from './random';
import { paramsKey, trialRng } from './sampler';

/** Options of the NSGA-II sampler, with Optuna 3.1's `NSGAIISampler` defaults. */
export interface Nsga2Options {
  /** Trials per generation (50; at least 2). */
  populationSize?: number;
  /** Chance that a child is bred from two parents rather than copied from one (0.9). */
  crossoverProb?: number;
  /** In uniform crossover, the chance that a parameter comes from the first parent (0.5). */
  swappingProb?: number;
  /** Chance that each inherited parameter is drawn afresh instead; default 1 / number of inherited parameters. */
  mutationProb?: number;
}

/** A trial as NSGA-II keeps it: when asked, in which generation, and its values once told. */
interface Individual {
  params: Params;
  generation: number;
  /** Values to minimize; null for failed or pruned; undefined while pending. */
  values?: readonly number[] | null;
}

/** Whether a parameter can take one value only (Optuna leaves those out of crossover). */
function single(def: ParamDef): boolean {
  return def.type === 'categorical' ? def.choices.length <= 1 : def.low === def.high;
}

/**
 * NSGA-II (Deb et al. 2002) as Optuna 3.1's `NSGAIISampler` runs it. Generation 0 is random.
 * A generation is done once `populationSize` of its trials completed (failed and pruned ones
 * are replaced); its parents are then the elite of that generation together with the previous
 * parents: by non-dominated front, the last front that fits only in part cut by crowding
 * distance. A child: with `crossoverProb`, uniform crossover of two parents, each the winner of
 * a binary tournament (the second candidate unless the first dominates it, the second parent
 * drawn from the others), every parameter from the first parent with `swappingProb`; otherwise
 * a copy of a random parent. Then each inherited parameter mutates with `mutationProb`, that is
 * it is drawn afresh at random, as Optuna does. Only parameters present in every completed
 * trial are inherited (Optuna's intersection search space); the others are drawn at random.
 *
 * A whole generation is asked at once, so it trains as one population; the next one is asked
 * once its results are in. Child k draws from the generator of (seed, k), and each trial's
 * generation is kept with it, so a sampler rebuilt from a history suggests what the original
 * would.
 *
 * @example
 * const nsga = nsga2Sampler({ x: { type: 'float', low: 0, high: 1 } }, 42, { populationSize: 4 });
 * for (const { params } of nsga.askBatch(4)) nsga.tell(params, [params.x as number, 1 - (params.x as number)]);
 */
export function nsga2Sampler(space: SearchSpace, seed: number, options: Nsga2Options = {}, history: MultiObjectiveObservation[] = []): MultiObjectiveSampler {
  const names = orderedNames(space);
  const { crossoverProb = 0.9, swappingProb = 0.5 } = options;
  // Two at least: a child's parents are two different individuals.
  const populationSize = Math.max(2, Math.round(options.populationSize ?? DEFAULT_POPULATION_SIZE));
  const log: Individual[] = history.map((h, k) => ({
    params: h.params,
    generation: h.generation ?? Math.floor(k / populationSize),
    values: h.pending ? undefined : finiteOrNull(h.values),
  }));
  const complete = () => log.filter((t): t is Individual & { values: number[] } => Array.isArray(t.values));

  /** The last generation that is done (−1 for none) and the parents it leaves, as Optuna's `_collect_parent_population`. */
  const parentPopulation = (): { generation: number; parents: Individual[] } => {
    const done = complete();
    let parents: Individual[] = [];
    for (let generation = 0; ; generation++) {
      const members = done.filter((t) => t.generation === generation);
      if (members.length < populationSize) return { generation: generation - 1, parents };
      const pool = [...members, ...parents];
      parents = selectElite(pool.map((t) => t.values as number[]), populationSize).map((i) => pool[i]);
    }
  };

  const tournament = (pop: Individual[], rng: Rng): Individual => {
    const a = pop[rng.int(pop.length)];
    const b = pop[rng.int(pop.length)];
    return dominates(a.values as number[], b.values as number[]) ? a : b;
  };

  const breed = (parents: Individual[], rng: Rng): Params => {
    const done = complete();
    const inherited = names.filter((n) => !single(space[n]) && done.every((t) => n in t.params));
    let child: Params = {};
    if (rng.next() < crossoverProb) {
      const first = tournament(parents, rng);
      const second = tournament(parents.filter((t) => t !== first), rng);
      for (const n of inherited) child[n] = (rng.next() < swappingProb ? first : second).params[n];
    } else {
      const parent = parents[rng.int(parents.length)];
      for (const n of inherited) child[n] = parent.params[n];
    }
    const mutationProb = options.mutationProb ?? 1 / Math.max(1, inherited.length);
    const kept = Object.fromEntries(Object.entries(child).filter(() => rng.next() >= mutationProb));
    child = {};
    for (const n of names) if (applies(space[n], child)) child[n] = n in kept ? kept[n] : drawValue(space[n], rng);
    return child;
  };

  const askBatch = (n: number): AskedTrial[] => {
    const { generation: parentGeneration, parents } = parentPopulation();
    const generation = parentGeneration + 1;
    const taken = log.filter((t) => t.generation === generation && t.values !== null).length;
    const count = Math.max(0, Math.min(n, populationSize - taken));
    const asked: AskedTrial[] = [];
    for (let i = 0; i < count; i++) {
      const rng = trialRng(seed, log.length);
      const params = parentGeneration >= 0 ? breed(parents, rng) : drawParams(space, rng);
      log.push({ params, generation });
      asked.push({ params, generation });
    }
    return asked;
  };

  return {
    askBatch,
    tell(params, values) {
      const key = paramsKey(params);
      const trial = log.find((t) => t.values === undefined && paramsKey(t.params) === key);
      if (trial) trial.values = finiteOrNull(values);
    },
  };
}

function finiteOrNull(values: readonly number[] | null): readonly number[] | null {
  return values && values.every(Number.isFinite) ? values : null;
}

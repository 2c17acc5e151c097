import { gridValues } from '../search/grid';
import type { SearchSpace } from '../search/space';
import { DEFAULT_GRID_RESOLUTION } from '../search';
import { DEFAULT_POPULATION_SIZE } from '../search/samplers/multi-objective';
import { BY_CHOICE_MIN_TRIALS, INTENSIFY_EVERY, INTENSIFY_MIN_TRIALS, LOCAL_WIDTH_TRIALS, tpeRules, type TpeOptions, type TpeRules } from '../search/samplers/tpe/sampler';
import { isMultiObjective } from '../study/objectives';
import type { StudySpec } from '../study/types';
import { pythonLiteral } from './python-literal';

/** Optuna's sampler for the study's, with its options and the study's seed (plus the worker's number, see the README). */
export function samplerCode(study: StudySpec): string {
  const s = study.sampler as Record<string, unknown> & { kind: string };
  const space = study.space as SearchSpace;
  switch (s.kind) {
    case 'random':
      return 'optuna.samplers.RandomSampler(seed=seed)';
    case 'grid': {
      const resolution = (s.resolution as number | undefined) ?? DEFAULT_GRID_RESOLUTION;
      const grid = Object.keys(space).map((name) => `${pythonLiteral(name)}: ${pythonLiteral(gridValues(space[name], resolution))}`);
      return `optuna.samplers.GridSampler({${grid.join(', ')}}, seed=seed)`;
    }
    case 'tpe': {
      const model = tpeRules(study.space as SearchSpace, s as TpeOptions);
      const args = [
        `n_startup_trials=${pythonLiteral(s.nStartupTrials ?? 10)}`,
        `n_ei_candidates=${pythonLiteral(s.nEiCandidates ?? 24)}`,
        `prior_weight=${pythonLiteral(s.priorWeight ?? 1)}`,
        `consider_magic_clip=${pythonLiteral(s.considerMagicClip ?? true)}`,
        `consider_endpoints=${pythonLiteral(s.considerEndpoints ?? false)}`,
        `multivariate=${pythonLiteral(model.multivariate)}`,
        // Optuna's joint model skips conditional parameters unless it splits the space into groups.
        ...(model.multivariate && model.conditional ? ['group=True'] : []),
        // Every trial weighing 1, as tunelab's flatWeights; Optuna's default lets the oldest fade.
        ...(model.flatWeights ? ['weights=numpy.ones'] : []),
        `constant_liar=${pythonLiteral(s.constantLiar ?? true)}`,
      ];
      return `optuna.samplers.TPESampler(${args.join(', ')}, seed=seed)`;
    }
    case 'genetic': {
      const args = [`population_size=${pythonLiteral(s.populationSize ?? 20)}`, `crossover_prob=${pythonLiteral(s.crossoverProb ?? 0.9)}`];
      if (s.mutationProb !== undefined) args.push(`mutation_prob=${pythonLiteral(s.mutationProb)}`);
      return `optuna.samplers.NSGAIISampler(${args.join(', ')}, seed=seed)`;
    }
    case 'nsga2': {
      const args = [
        `population_size=${pythonLiteral(s.populationSize ?? DEFAULT_POPULATION_SIZE)}`,
        // None: each inherited parameter mutates with 1 / their number, as tunelab's default.
        `mutation_prob=${pythonLiteral(s.mutationProb ?? null)}`,
        `crossover=optuna.samplers.nsgaii.UniformCrossover(swapping_prob=${pythonLiteral(s.swappingProb ?? 0.5)})`,
        `crossover_prob=${pythonLiteral(s.crossoverProb ?? 0.9)}`,
      ];
      return `optuna.samplers.NSGAIISampler(${args.join(', ')}, seed=seed)`;
    }
    default:
      throw new Error(`The search strategy “${s.kind}” has no Optuna counterpart here.`);
  }
}

/** Where the study's TPE, following `rules`, does not do what Optuna's does: one sentence each. */
function tpeDifferences(rules: TpeRules): string[] {
  const differences: [boolean, string][] = [
    [
      rules.byChoice,
      `tunelab picks each categorical parameter first, on its own, then models the numeric ones only from the trials that made the same choices (once ${BY_CHOICE_MIN_TRIALS} of them finished): the best learning rate of one optimizer is not the best of another. Optuna has no such model: its multivariate TPE models choices and numbers together in one estimator.`,
    ],
    [
      rules.intensify,
      `tunelab draws the numbers of one trial in ${INTENSIFY_EVERY}, once its choices have ${INTENSIFY_MIN_TRIALS} finished trials, around the mean of the best quarter of those trials (best of 24 by l/g); Optuna draws every candidate from l(x).`,
    ],
    [
      rules.splitWherePresent,
      `tunelab ranks a conditional parameter's trials into good and bad among the trials where it exists (once ${BY_CHOICE_MIN_TRIALS} of them finished); Optuna ranks them by where they fall among all trials.`,
    ],
    [
      rules.formedChoices,
      `tunelab judges the choices of a categorical parameter that has conditional parameters without the first ${BY_CHOICE_MIN_TRIALS} trials of each of them, drawn before it had a model of its own; Optuna judges them by every trial.`,
    ],
    [
      rules.smoothSplit,
      'Where a Gaussian-process fit finds noise in the values, tunelab ranks trials into good and bad by their smoothed values, so that one lucky trial does not draw the search to itself; Optuna ranks by the values as observed.',
    ],
    [
      rules.multivariate,
      `tunelab's joint kernels are as wide as the geometric mean of the univariate gap rule and Scott's rule${rules.widenEarly ? `, from Scott's rule alone when the startup trials end to the even mean by the ${LOCAL_WIDTH_TRIALS}th trial` : ''}; Optuna's multivariate TPE takes Scott's rule alone, one width for every kernel, and explores more widely.`,
    ],
    [
      rules.multivariate && rules.conditional,
      'With group=True Optuna models each group of parameters that occur together on its own; tunelab samples its conditional parameters one by one.',
    ],
  ];
  return differences.filter(([applies]) => applies).map(([, sentence]) => sentence);
}

/**
 * Where the exported sampler does not do what the study's own does, one sentence each (empty
 * when Optuna's sampler is the same algorithm): written into study.py and the README, so that
 * nobody takes the two studies' trials for the same sequence.
 */
export function samplerDifferences(study: StudySpec): string[] {
  const s = study.sampler as Record<string, unknown> & { kind: string };
  const notes = s.kind === 'tpe' ? tpeDifferences(tpeRules(study.space as SearchSpace, s as TpeOptions)) : [];
  if (s.kind === 'genetic') {
    notes.push(
      `tunelab's genetic search keeps the best ${pythonLiteral(s.populationSize ?? 20)} trials, picks parents by tournaments of ${pythonLiteral(s.tournamentSize ?? 2)} and mutates a number by a normal step of ${pythonLiteral(s.mutationScale ?? 0.1)} of its range; Optuna's NSGAIISampler, the nearest it has, breeds generation by generation and mutates by drawing a fresh value.`,
    );
  }
  if (s.kind === 'nsga2' || (s.kind === 'random' && isMultiObjective(study))) {
    notes.push('tunelab trains one generation as one population; here each trial trains on its own, and processes sharing a database share the generations.');
  }
  return notes;
}

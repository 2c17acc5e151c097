import type { Rng } from '../../../random/prng';
import { applies, orderedNames, type ParamDef, type Params, type SearchSpace } from '../../space';
import { drawParams } from '../random';
import { loggedSampler, TrialLog, trialRng, type LoggedTrial, type Observation, type Sampler } from '../sampler';
import { scaleOf } from '../scale';
import { ParzenEstimator, type ParzenOptions } from './parzen';
import { smoothedValues } from './smooth';

/**
 * Options of the TPE sampler; each defaults to Optuna 3.1's TPESampler default unless said. The
 * joint kernels' gap weight is not one: the sampler sets it as trials finish (`widenEarly`).
 */
export interface TpeOptions extends Partial<Omit<ParzenOptions, 'gapWeight'>> {
  /** Trials drawn at random before TPE starts (10). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) (per parameter, or jointly), the best of which by l/g is taken (24). */
  nEiCandidates?: number;
  /**
   * Count trials asked but not finished as the worst, so that trials asked together differ
   * (Optuna's constant_liar). On by default here, unlike Optuna, because tunelab always runs
   * trials in parallel; asking one at a time and telling each before the next is unaffected.
   */
  constantLiar?: boolean;
  /**
   * Sample the unconditional numeric parameters jointly (with the categorical ones too unless
   * `byChoice`), from one Parzen estimator over all of them (Optuna's multivariate), so that
   * l/g sees how they go together, with its own bandwidth rule (see numericKernels). Off, each
   * parameter is sampled on its own, as Optuna 3.1's default TPESampler. By default on, except
   * in spaces with conditional parameters, where it lost to the univariate model in
   * bench/samplers (seeds 1000-1059, median best regret after 50 / 100 trials on Conditional:
   * 0.0151 / 0.00120 jointly, 0.00663 / 0.00141 univariate; with `splitWherePresent`, 0.0064 /
   * 0.0013 jointly, 0.0049 / 0.00095 univariate). Optuna's own `multivariate` with `group`
   * lost there too: 0.016 / 0.0041 against its univariate 0.0079 / 0.0011.
   */
  multivariate?: boolean;
  /**
   * Pick the categorical parameters first, each on its own, then model the numeric ones only
   * from the trials that made the same choices, once at least {@link BY_CHOICE_MIN_TRIALS} of
   * them finished (from every trial before that): the best learning rate of one optimizer is
   * not the best of another. By default on in spaces with categorical and no conditional
   * parameters. Over seeds 1000-1059, with the joint model, after 50 / 100 trials: Mixed
   * 0.0024 / 0.00026 against 0.0050 / 0.00056 for Optuna's univariate model, Mixed 8-D
   * 0.033 / 0.014 against 0.039 / 0.018. One joint model over choices and numbers together
   * (the default before) can lock onto a wrong choice: on Mixed it gave 0.0024 / 0.00047 on
   * seeds 1000-1019 but 0.031 / 0.030 on seeds 0-19, worse than random.
   */
  byChoice?: boolean;
  /**
   * Model a conditional parameter from the trials where it exists, split into good and bad
   * among themselves once at least {@link BY_CHOICE_MIN_TRIALS} of them finished, rather than
   * from those of them that fell into the good or bad share of all trials (Optuna 3.1's
   * split): a value of warmup is good if it is good for a schedule that has warmup, even while
   * that schedule's trials all trail the others'. On by default. Over seeds 1000-1059, median
   * best regret after 50 / 100 trials on Conditional: 0.0049 / 0.00095, against 0.0066 /
   * 0.0014 with Optuna's split (and 0.0079 / 0.0011 for Optuna 3.1 itself on those seeds).
   */
  splitWherePresent?: boolean;
  /**
   * Weigh every trial alike in l(x) and g(x) rather than let the oldest fade as Optuna's
   * default_weights does beyond 25 trials (ParzenOptions' flatWeights). By default on in
   * spaces with conditional parameters: there a parameter's trials are a share of all, and its
   * early ones still say where it is bad. Over seeds 1000-1059, median best regret after 50 /
   * 100 trials on Conditional: 0.0042 / 0.00070 against 0.0049 / 0.00095 with the ramp (better
   * after 50 trials in each block of 20 seeds, after 100 in two of three). In every space it
   * lost on Mixed noisy (0.024 / 0.019 against 0.020 / 0.015) and Branin (0.11 / 0.013 against
   * 0.10 / 0.010).
   */
  flatWeights?: boolean;
  /**
   * Judge the choices of a categorical parameter that has conditional parameters only by its
   * formed trials ({@link formedTrials}): not by the first {@link BY_CHOICE_MIN_TRIALS} trials of
   * each of its conditional parameters, drawn before that parameter had a model of its own. A
   * choice whose early trials placed its own parameters badly (cosine with a long warmup) is
   * otherwise left for good once the others' trials fill l(x), though a few trials with its
   * parameters modelled would beat them; with its unformed trials set aside, it has the
   * prior's share in l(x) and g(x) alike and gets those trials. By default on in spaces with
   * conditional parameters (the only spaces it changes). Over seeds 1000-1059, median best
   * regret after 50 / 100 trials on Conditional: 0.0025 / 0.00038 against 0.0042 / 0.00070
   * (after 50 trials better in each block of 20 seeds, after 100 in two of the three).
   */
  formedChoices?: boolean;
  /**
   * Where the numbers are modelled by choice ({@link TpeOptions.byChoice}), every
   * {@link INTENSIFY_EVERY}rd ask, once the chosen choices have {@link INTENSIFY_MIN_TRIALS}
   * finished trials, draw the candidates around the best quarter of those trials
   * ({@link aroundBest}) rather than from l(x), and take the best of them by l/g as usual. The
   * quarter's mean says where the choice's best lies better than the few trials of l(x), which
   * under noise are as much the lucky as the good ones, so more trials land where the choice is
   * truly good; and the tighter draws refine a minimum that l(x)'s wide kernels only circle. By
   * default on wherever numbers are modelled by choice. Over seeds 1000-1059, median best regret
   * after 50 / 100 trials: Mixed 0.0014 / 0.000089 against 0.0024 / 0.00026, Mixed 8-D 0.033 /
   * 0.011 against 0.033 / 0.014, Mixed noisy 0.020 / 0.012 against 0.020 / 0.015.
   */
  intensify?: boolean;
  /**
   * Rank the trials into good and bad by their values as a Gaussian process smooths them
   * ({@link smoothedValues}), once enough trials finished and the fit finds noise in them: a
   * trial that looked good only by luck no longer draws the next ones to its neighbourhood,
   * and a choice is judged by all its trials rather than its luckiest. By default on in spaces
   * with categorical and no conditional parameters (where `byChoice` is). Over seeds
   * 1000-1059, median best regret after 50 / 100 trials on Mixed noisy: 0.013 / 0.011 against
   * 0.020 / 0.015 without; Mixed (0.0024 / 0.00026) and Mixed 8-D after 50 trials (0.033)
   * unchanged, since the fit finds no noise there or has too few trials, Mixed 8-D after 100
   * 0.015 against 0.014 (55 of 60 seeds unchanged). In spaces of numbers alone it did not help
   * as a whole (see BENCHMARKS.md).
   */
  smoothSplit?: boolean;
  /**
   * Where one joint model of {@link WIDEN_MIN_PARAMETERS} or more parameters is fitted to all
   * the trials (`multivariate` without `byChoice`: a space of numbers alone), start its kernels
   * as wide as Scott's rule alone once the startup trials are done, and narrow them towards the
   * even mean with the gap rule by the {@link LOCAL_WIDTH_TRIALS}th finished trial
   * ({@link jointGapWeight}). With the gaps from the start, the first good trials, a lucky one
   * under noise, draw the next ones so close that the search stays on them: over seeds
   * 1000-1059 the default before ended Hartmann6 noisy above 1.0 on 10 seeds, on 19 of seeds
   * 3000-3099 (Optuna 3.1 on 4 of those 100). Median best regret after 50 / 100 trials, seeds
   * 1000-1059 then 3000-3099, against the default before: Hartmann6 noisy 0.42 / 0.34 and
   * 0.47 / 0.34 against 0.58 / 0.35 and 0.74 / 0.43, Hartmann6 0.33 / 0.18 and 0.35 / 0.16
   * against 0.44 / 0.23 and 0.42 / 0.21; on seeds 4000-4099, held out, 0.52 / 0.36 against
   * 0.65 / 0.40 (Optuna 0.75 / 0.38) and 0.41 / 0.15 against 0.46 / 0.18 (Optuna 0.58 / 0.23).
   * In two dimensions it loses: Branin 0.16 / 0.011 against 0.10 / 0.010 (seeds 1000-1059),
   * and on seven of eight other two-parameter functions (Rosenbrock, Beale, Himmelblau, the
   * six-hump camel, Goldstein-Price, Rastrigin, Ackley: Himmelblau 0.86 / 0.074 against
   * 0.31 / 0.052), while with three to five it gains on four of five (Hartmann3 0.065 / 0.022
   * against 0.081 / 0.035, Rosenbrock 4-D 5.3 / 3.2 against 6.8 / 3.6; `npm run
   * bench:samplers -- --widths`); so by default it starts at three. Given, it applies to any
   * joint model fitted to all trials.
   */
  widenEarly?: boolean;
}

/**
 * Finished trials needed before a subset of the trials is modelled alone: those of the same
 * choices ({@link TpeOptions.byChoice}), or those where a conditional parameter exists
 * ({@link TpeOptions.splitWherePresent}).
 */
export const BY_CHOICE_MIN_TRIALS = 5;

/** Finished trials of the chosen choices before some asks draw around their best ({@link TpeOptions.intensify}). */
export const INTENSIFY_MIN_TRIALS = 15;

/** One ask in this many draws around the best trials, once there are enough ({@link TpeOptions.intensify}). */
export const INTENSIFY_EVERY = 3;

/** Finished trials by which the joint kernels are the even mean of both rules again ({@link TpeOptions.widenEarly}). */
export const LOCAL_WIDTH_TRIALS = 100;

/** Fewest parameters in one joint model for its kernels to start wide ({@link TpeOptions.widenEarly}). */
export const WIDEN_MIN_PARAMETERS = 3;

/**
 * The gap rule's weight in the joint kernels' width ({@link ParzenOptions.gapWeight}) after
 * `finished` trials, of which `startup` were drawn at random ({@link TpeOptions.widenEarly}):
 * 0 when the model starts, rising evenly to 0.5 by {@link LOCAL_WIDTH_TRIALS}.
 */
export function jointGapWeight(finished: number, startup: number): number {
  return 0.5 * Math.min(1, Math.max(0, (finished - startup) / Math.max(1, LOCAL_WIDTH_TRIALS - startup)));
}

/**
 * `size` draws of `sub`'s numeric parameters around the best quarter (at least 3) of `trials`
 * that finished with a value: each parameter from a normal, in its internal scale (log units on
 * a log axis), at their mean and with half their standard deviation, kept inside its range.
 * The mean of many good trials places the optimum where any one of them, lucky under noise or
 * not, does not; half their spread keeps the draws inside where they are all good.
 */
export function aroundBest(sub: SearchSpace, trials: LoggedTrial[], rng: Rng, size: number): Params[] {
  const done = trials.filter((t) => typeof t.value === 'number').sort((a, b) => (a.value as number) - (b.value as number));
  const best = done.slice(0, Math.max(3, Math.round(done.length / 4)));
  const around = Object.keys(sub).map((name) => {
    const def = sub[name];
    if (def.type === 'categorical') throw new Error(`aroundBest draws numbers only, and “${name}” is categorical.`);
    const scale = scaleOf(def);
    const xs = best.map((t) => scale.toInternal(t.params[name] as number));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
    return { name, scale, mean, sd };
  });
  return Array.from({ length: size }, () =>
    Object.fromEntries(around.map(({ name, scale, mean, sd }) => [name, scale.fromInternal(Math.min(scale.high, Math.max(scale.low, rng.normal(mean, sd / 2))))])),
  );
}

/** Optuna's default_gamma: how many of n finished trials count as good, min(⌈n/10⌉, 25). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Whether a stored value is one the parameter can take now (a space may change between runs). */
function fits(def: ParamDef, value: Params[string] | undefined): boolean {
  if (value === undefined) return false;
  if (def.type === 'categorical') return def.choices.includes(value);
  return typeof value === 'number' && value >= def.low && value <= def.high && Number.isFinite(scaleOf(def).toInternal(value));
}

/** The trials of l(x), the good ones, and of g(x), the others. */
export interface Split {
  below: LoggedTrial[];
  above: LoggedTrial[];
}

/**
 * The trials split as Optuna's _split_observation_pairs: ranked by (finished with a value,
 * by value; then failed or pruned; then pending), the best γ(n) of the n finished ones below,
 * the rest above, each kept in ask order so the weights' ramp forgets the oldest.
 */
function split(trials: LoggedTrial[], n: number, valueOf: (t: LoggedTrial) => number = (t) => t.value as number): Split {
  const rank = (t: LoggedTrial) => (t.value === undefined ? 2 : t.value === null ? 1 : 0);
  const ranked = trials.slice().sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? valueOf(a) - valueOf(b) : 0) || a.order - b.order);
  const good = new Set(ranked.slice(0, defaultGamma(n)));
  return { below: trials.filter((t) => good.has(t)), above: trials.filter((t) => !good.has(t)) };
}

/** `trials` split among themselves, or null while fewer than {@link BY_CHOICE_MIN_TRIALS} of them finished. */
function splitAlone(trials: LoggedTrial[], valueOf?: (t: LoggedTrial) => number): Split | null {
  const finished = trials.filter((t) => t.value !== undefined).length;
  return finished >= BY_CHOICE_MIN_TRIALS ? split(trials, finished, valueOf) : null;
}

/**
 * The trials where parameter `name` (defined by `def`) has a value it can take, split among
 * themselves (see {@link TpeOptions.splitWherePresent}), or null while fewer than
 * {@link BY_CHOICE_MIN_TRIALS} of them finished.
 */
export function splitWherePresent(trials: LoggedTrial[], name: string, def: ParamDef): Split | null {
  return splitAlone(trials.filter((t) => fits(def, t.params[name])));
}

/**
 * The trials that say how well the choices of categorical parameter `name` do: all but the
 * first {@link BY_CHOICE_MIN_TRIALS} (in ask order) of each parameter conditional on it, whose
 * values were drawn before that parameter had a model of its own (see
 * {@link TpeOptions.formedChoices}). `trials` itself when no parameter is conditional on `name`.
 */
export function formedTrials(trials: LoggedTrial[], space: SearchSpace, name: string): LoggedTrial[] {
  const unformed = new Set<LoggedTrial>();
  for (const child of Object.keys(space).filter((c) => space[c].condition?.param === name)) {
    for (const t of trials.filter((t) => fits(space[child], t.params[child])).slice(0, BY_CHOICE_MIN_TRIALS)) unformed.add(t);
  }
  return unformed.size ? trials.filter((t) => !unformed.has(t)) : trials;
}

/**
 * Which of TPE's rules are in effect for a space under some options, every default worked out
 * (each true only where it changes what is asked): what the sampler does, and what a study's
 * export says of it where Optuna does otherwise.
 */
export interface TpeRules {
  /** Some parameter is conditional. */
  conditional: boolean;
  /** The unconditional numbers are modelled jointly ({@link TpeOptions.multivariate}). */
  multivariate: boolean;
  /** Choices first, then the numbers per choice ({@link TpeOptions.byChoice}). */
  byChoice: boolean;
  /** Some asks draw around the choice's best trials ({@link TpeOptions.intensify}). */
  intensify: boolean;
  /** A conditional parameter is split where present ({@link TpeOptions.splitWherePresent}). */
  splitWherePresent: boolean;
  /** Every trial weighs alike ({@link TpeOptions.flatWeights}). */
  flatWeights: boolean;
  /** A choice with conditional parameters is judged by its formed trials ({@link TpeOptions.formedChoices}). */
  formedChoices: boolean;
  /** Trials are ranked by smoothed values where the fit finds noise ({@link TpeOptions.smoothSplit}). */
  smoothSplit: boolean;
  /** The joint kernels start at Scott's width and narrow as trials finish ({@link TpeOptions.widenEarly}). */
  widenEarly: boolean;
}

/** The rules {@link tpeSampler} follows in `space` under `options` (see {@link TpeRules}). */
export function tpeRules(space: SearchSpace, options: TpeOptions = {}): TpeRules {
  const names = orderedNames(space);
  const conditional = names.some((n) => space[n].condition);
  const categorical = names.some((n) => space[n].type === 'categorical');
  const byChoice = options.byChoice ?? (categorical && !conditional);
  const multivariate = options.multivariate ?? !conditional;
  const hasChildren = names.some((n) => space[n].type === 'categorical' && names.some((c) => space[c].condition?.param === n));
  return {
    conditional,
    multivariate,
    byChoice,
    intensify: byChoice && (options.intensify ?? true),
    splitWherePresent: conditional && (options.splitWherePresent ?? true),
    flatWeights: options.flatWeights ?? conditional,
    formedChoices: hasChildren && (options.formedChoices ?? conditional),
    smoothSplit: options.smoothSplit ?? (categorical && !conditional),
    widenEarly: multivariate && !byChoice && (options.widenEarly ?? names.filter((n) => !space[n].condition).length >= WIDEN_MIN_PARAMETERS),
  };
}

/**
 * The Tree-structured Parzen Estimator (Bergstra et al. 2011), as Optuna 3.1's TPESampler:
 * after `nStartupTrials` random trials, the parameters are sampled from l(x), a Parzen
 * estimator of the best γ(n) trials, as the one of `nEiCandidates` draws that maximizes
 * l(x)/g(x), g(x) fitted to the other trials. Which parameters are modelled together depends
 * on the space (see `multivariate` and `byChoice`): jointly where all are numeric, with kernels
 * that start wide and narrow as trials finish (see `widenEarly`); choices
 * first, then the numbers jointly from the trials of those choices, where some are
 * categorical; each on its own, as Optuna, where some are conditional. A conditional
 * parameter learns only from trials where it was present, which it splits into good and bad
 * among themselves (see `splitWherePresent`), and a choice that has conditional parameters is
 * judged without the trials drawn before those had a model (see `formedChoices`). Where the
 * numbers are modelled by choice, every third ask draws them around the best quarter of the
 * choice's trials once it has enough (see `intensify`). Trial k
 * draws from the generator of (seed, k), and the sampler's state is its log of trials, so one
 * rebuilt from a history suggests what the original would next.
 *
 * @example
 * const tpe = tpeSampler({ x: { type: 'float', low: -5, high: 5 } }, 42);
 * for (let i = 0; i < 30; i++) { const p = tpe.ask(); tpe.tell(p, (p.x as number) ** 2); }
 */
export function tpeSampler(space: SearchSpace, seed: number, options: TpeOptions = {}, history: Observation[] = []): Sampler {
  const { nStartupTrials = 10, nEiCandidates = 24, constantLiar = true } = options;
  const names = orderedNames(space);
  const { byChoice, intensify, splitWherePresent: ownSplit, formedChoices, smoothSplit, multivariate, flatWeights, widenEarly } = tpeRules(space, options);
  const unconditional = Object.fromEntries(names.filter((n) => !space[n].condition).map((n) => [n, space[n]]));
  /** The smoothed values as of `finished` trials: the asks of a batch, between two finished trials, share one fit. */
  let smoothed: { finished: number; values: Map<LoggedTrial, number> } | null = null;
  const parzen: ParzenOptions = {
    priorWeight: options.priorWeight ?? 1,
    considerMagicClip: options.considerMagicClip ?? true,
    considerEndpoints: options.considerEndpoints ?? false,
    multivariate,
    flatWeights,
  };
  const log = new TrialLog(history);

  /**
   * The one of nEiCandidates draws that maximizes log l − log g, over `sub`'s parameters: draws
   * from l, or around the best of `around` where given ({@link TpeOptions.intensify}); l and g
   * built with `options`.
   */
  const bestCandidate = (sub: SearchSpace, { below, above }: Split, rng: Rng, around?: LoggedTrial[], options = parzen): Params => {
    const keep = (ts: LoggedTrial[]) => ts.filter((t) => Object.keys(sub).every((n) => fits(sub[n], t.params[n]))).map((t) => t.params);
    const l = new ParzenEstimator(sub, keep(below), options);
    const g = new ParzenEstimator(sub, keep(above), options);
    const candidates = around ? aroundBest(sub, around, rng, nEiCandidates) : l.sample(rng, nEiCandidates);
    const ll = l.logPdf(candidates);
    const lg = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
    return candidates[best];
  };

  return loggedSampler(log, () => {
    const rng = trialRng(seed, log.asked);
    const finished = log.finished().length;
    let params: Params;
    if (finished < nStartupTrials) {
      params = drawParams(space, rng);
    } else {
      const pool = constantLiar ? log.trials : log.finished();
      if (smoothSplit && smoothed?.finished !== finished) smoothed = { finished, values: smoothedValues(unconditional, pool) };
      const smooth = smoothSplit ? smoothed?.values : null;
      // A trial the space no longer fits has no smoothed value and ranks after those that do.
      const valueOf = smooth?.size ? (t: LoggedTrial) => smooth.get(t) ?? Infinity : undefined;
      const all = split(pool, finished, valueOf);
      /** The split a categorical parameter is judged by: of its formed trials, or of all. */
      const choiceSplit = (name: string): Split => {
        const formed = formedChoices ? formedTrials(pool, space, name) : pool;
        return formed === pool ? all : split(formed, formed.filter((t) => t.value !== undefined).length, valueOf);
      };
      params = {};
      if (byChoice) {
        for (const name of names) {
          if (space[name].type === 'categorical' && applies(space[name], params)) params[name] = bestCandidate({ [name]: space[name] }, choiceSplit(name), rng)[name];
        }
      }
      const choices = Object.keys(params);
      const same = pool.filter((t) => choices.every((k) => t.params[k] === params[k]));
      const model = byChoice ? (splitAlone(same, valueOf) ?? all) : all;
      const around =
        intensify && log.asked % INTENSIFY_EVERY === 0 && same.filter((t) => typeof t.value === 'number').length >= INTENSIFY_MIN_TRIALS ? same : undefined;
      // Joint sampling covers the parameters present in every trial, as Optuna's intersection space.
      const joint = parzen.multivariate ? names.filter((n) => !(n in params) && !space[n].condition) : [];
      const jointOptions = widenEarly ? { ...parzen, gapWeight: jointGapWeight(finished, nStartupTrials) } : parzen;
      if (joint.length) Object.assign(params, bestCandidate(Object.fromEntries(joint.map((n) => [n, space[n]])), model, rng, around, jointOptions));
      for (const name of names) {
        if (name in params || !applies(space[name], params)) continue;
        const def = space[name];
        const own = ownSplit && def.condition ? splitWherePresent(pool, name, def) : null;
        params[name] = bestCandidate({ [name]: def }, own ?? (def.type === 'categorical' ? choiceSplit(name) : model), rng)[name];
      }
    }
    return params;
  });
}

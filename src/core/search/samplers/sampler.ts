import { createRng, type Rng } from '../../random/prng';
import type { Params } from '../space';

/**
 * The interface every search strategy shares (as Optuna's BaseSampler): ask for parameters,
 * tell how they did. Every strategy is reproducible from its seed and resumable: a sampler
 * made from the history of another suggests what that other would suggest next.
 */
export interface Sampler {
  /** The next trial's parameters, or null when the strategy has nothing left (a finished grid). */
  ask(): Params | null;
  /** Up to n trials at once, for parallel workers; fewer only when a grid runs out. */
  askBatch(n: number): Params[];
  /**
   * The objective (to minimize) of a trial asked before, or null when it failed or was pruned;
   * NaN and ±Infinity count as null.
   */
  tell(params: Params, value: number | null): void;
}

/**
 * A sampler whose state is `log`: each ask takes `propose`'s parameters for the next trial
 * (made from the log as it stands) and logs them, each tell logs the value.
 */
export function loggedSampler(log: TrialLog, propose: () => Params): Sampler {
  const ask = (): Params => {
    const params = propose();
    log.add(params);
    return params;
  };
  return { ask, askBatch: (n) => Array.from({ length: n }, ask), tell: (params, value) => log.tell(params, value) };
}

/**
 * One trial a sampler resumes from, in the order the trials were asked: finished (its value,
 * null for failed or pruned), or `pending` when it was asked and has not finished yet.
 */
export interface Observation {
  params: Params;
  value: number | null;
  pending?: boolean;
}

/**
 * The generator of the k-th trial asked (from 0). Deriving it from (seed, k) rather than
 * drawing on from one stream is what lets a sampler rebuilt from k past trials go on exactly
 * where the original was.
 */
export function trialRng(seed: number, k: number): Rng {
  return createRng(createRng(seed).fork() ^ Math.imul(k + 1, 0x9e3779b1));
}

/** A key equal for equal parameter sets, whatever the order of their names. */
export function paramsKey(params: Params): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}

/** A trial as learning samplers see it: when it was asked, what it tried, how it did. */
export interface LoggedTrial {
  /** Its place in the order of asks, from 0. */
  order: number;
  params: Params;
  /** The objective to minimize; null for failed or pruned; undefined while pending. */
  value?: number | null;
}

/**
 * The trials a learning sampler has handed out, in the order it asked them, with what it was
 * told: the whole state of TPE and the genetic sampler besides the seed, so rebuilding it from
 * a history rebuilds the sampler.
 */
export class TrialLog {
  /** Every trial, in ask order. */
  readonly trials: LoggedTrial[] = [];

  constructor(history: Observation[] = []) {
    for (const h of history) this.trials.push({ order: this.trials.length, params: h.params, value: h.pending ? undefined : finiteOrNull(h.value) });
  }

  /** How many trials were asked so far: the index of the next one. */
  get asked(): number {
    return this.trials.length;
  }

  /** The trials that finished (with a value or as failures). */
  finished(): LoggedTrial[] {
    return this.trials.filter((t) => t.value !== undefined);
  }

  /** Records a trial just asked. */
  add(params: Params): void {
    this.trials.push({ order: this.trials.length, params });
  }

  /**
   * Records how a trial did: the earliest pending trial with these parameters. A trial this
   * sampler never handed out (asked before a reload that was not passed as pending) is
   * recorded as asked now, so that later asks never reuse its generator.
   */
  tell(params: Params, value: number | null): void {
    const key = paramsKey(params);
    const trial = this.trials.find((t) => t.value === undefined && paramsKey(t.params) === key);
    if (trial) trial.value = finiteOrNull(value);
    else this.trials.push({ order: this.trials.length, params, value: finiteOrNull(value) });
  }
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

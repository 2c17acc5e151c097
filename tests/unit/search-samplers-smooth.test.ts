import { describe, expect, test } from 'vitest';
import { createSampler, type Params, type SamplerSpec, type SearchSpace } from '../../src/core/search';
import type { LoggedTrial } from '../../src/core/search/samplers/sampler';
import { smoothedValues } from '../../src/core/search/samplers/tpe/smooth';
import reference from '../support/gp-smooth-reference.json';

const space: SearchSpace = { x: { type: 'float', low: 0, high: 1 }, c: { type: 'categorical', choices: ['a', 'b'] } };

/** The reference's trials as the sampler logs them. */
const logged = (trials: { x: number; c: string; value: number }[]): LoggedTrial[] => trials.map(({ value, ...params }, order) => ({ order, params, value }));

/** Spearman's rank correlation of two series without ties. */
function spearman(a: number[], b: number[]): number {
  const ranks = (xs: number[]) => {
    const r = Array<number>(xs.length);
    xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j]).forEach((i, k) => (r[i] = k));
    return r;
  };
  const [ra, rb] = [ranks(a), ranks(b)];
  const n = a.length;
  return 1 - (6 * ra.reduce((s, r, i) => s + (r - rb[i]) ** 2, 0)) / (n * (n * n - 1));
}

describe('Gaussian-process smoothing of trial values (smoothSplit)', () => {
  test('noisy values: the smoothed ranks equal scipy’s posterior mean for the most likely width and noise share', () => {
    const trials = logged(reference.noisy.trials);
    const smoothed = smoothedValues(space, trials);
    expect(reference.noisy.evidence).toBeGreaterThan(1);
    expect(smoothed.size).toBe(30);
    trials.forEach((t, i) => expect(smoothed.get(t)).toBeCloseTo(reference.noisy.smoothed![i], 9));
    // Ranked by the smoothed values, the trials come nearer their noise-free order (Spearman's
    // correlation with it 0.787 observed, 0.832 smoothed; scipy.stats.spearmanr).
    const truth = trials.map((t) => ((t.params.x as number) - 0.3) ** 2 + (t.params.c === 'b' ? 0.2 : 0));
    expect(spearman(truth, trials.map((t) => t.value as number))).toBeCloseTo(0.787, 3);
    expect(spearman(truth, trials.map((t) => smoothed.get(t)!))).toBeCloseTo(0.832, 3);
  });

  test('noise-free values, too few trials or too many: nothing is smoothed', () => {
    expect(reference.clean.evidence).toBeLessThan(1);
    expect(smoothedValues(space, logged(reference.clean.trials)).size).toBe(0);
    // 11 trials over 3 encoded dimensions: fewer than 4 per dimension.
    expect(smoothedValues(space, logged(reference.noisy.trials.slice(0, 11))).size).toBe(0);
    // More than 150 finished trials: the fit would hold the page too long each time a trial finishes.
    const many = (n: number) =>
      Array.from({ length: n }, (_, i): LoggedTrial => {
        const x = (i * 0.618034) % 1;
        return { order: i, params: { x, c: i % 2 ? 'b' : 'a' }, value: (x - 0.3) ** 2 + (i % 2 ? 0.2 : 0) + 0.3 * Math.sin(12.9898 * i) };
      });
    expect(smoothedValues(space, many(150)).size).toBe(150);
    expect(smoothedValues(space, many(151)).size).toBe(0);
  });

  /** 60 asks of a study whose objective is `f`, every trial told before the next. */
  const asks = (spec: SamplerSpec, s: SearchSpace, f: (p: Params, i: number) => number) => {
    const sampler = createSampler(spec, s, 5);
    return Array.from({ length: 60 }, (_, i) => {
      const p = sampler.ask()!;
      sampler.tell(p, f(p, i));
      return p;
    });
  };
  const noisy = (p: Params, i: number) => ((p.x as number) - 0.3) ** 2 + (p.c === 'b' ? 0.2 : 0) + 0.3 * Math.sin(12.9898 * i);

  test('on by default where choices are modelled first, and it changes what is asked under noise', () => {
    expect(asks({ kind: 'tpe' }, space, noisy)).toEqual(asks({ kind: 'tpe', smoothSplit: true }, space, noisy));
    expect(asks({ kind: 'tpe' }, space, noisy)).not.toEqual(asks({ kind: 'tpe', smoothSplit: false }, space, noisy));
  });

  test('off by default in a space of numbers alone', () => {
    const numeric: SearchSpace = { x: space.x, y: { type: 'float', low: 0, high: 1 } };
    const f = (p: Params, i: number) => ((p.x as number) - 0.3) ** 2 + (p.y as number) + 0.3 * Math.sin(12.9898 * i);
    expect(asks({ kind: 'tpe' }, numeric, f)).toEqual(asks({ kind: 'tpe', smoothSplit: false }, numeric, f));
    expect(asks({ kind: 'tpe' }, numeric, f)).not.toEqual(asks({ kind: 'tpe', smoothSplit: true }, numeric, f));
  });
});

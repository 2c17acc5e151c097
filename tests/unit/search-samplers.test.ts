import { describe, expect, test } from 'vitest';
import { createSampler, type Observation, type Params, type SamplerSpec, type SearchSpace } from '../../src/core/search';
import type { LoggedTrial } from '../../src/core/search/samplers/sampler';
import {
  aroundBest, defaultGamma, formedTrials, INTENSIFY_EVERY, INTENSIFY_MIN_TRIALS, jointGapWeight, LOCAL_WIDTH_TRIALS, splitWherePresent, tpeRules, WIDEN_MIN_PARAMETERS,
} from '../../src/core/search/samplers/tpe/sampler';
import { createRng } from '../../src/core/random/prng';
import { logGaussMass, logNormalPdf, logSumExp } from '../../src/core/search/samplers/tpe/gauss';
import { ParzenEstimator, defaultWeights } from '../../src/core/search/samplers/tpe/parzen';
import flatReference from '../support/optuna-flat-weights.json';

const space: SearchSpace = {
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  dropout: { type: 'float', low: 0, high: 0.5 },
  momentum: { type: 'float', low: 0, high: 0.9, step: 0.15, condition: { param: 'kind', in: ['momentum', 'nesterov'] } },
  kind: { type: 'categorical', choices: ['sgd', 'momentum', 'nesterov', 'adam'] },
  units: { type: 'int', low: 2, high: 64, log: true },
  layers: { type: 'int', low: 0, high: 4 },
  batch: { type: 'int', low: 8, high: 128, step: 8 },
};

/** An objective all samplers can learn from: smallest near lr 0.01, dropout 0.1, 3 layers, adam. */
function objective(p: Params): number {
  return (
    Math.log10(p.lr as number) ** 2 / 4 -
    Math.log10(p.lr as number) +
    (((p.dropout as number) - 0.1) * 10) ** 2 +
    ((p.layers as number) - 3) ** 2 +
    (p.kind === 'adam' ? 0 : 1) +
    (p.batch as number) / 128
  );
}

/** A study run one trial at a time: every trial asked, then told its objective. */
function runSequential(spec: SamplerSpec, seed: number, n: number, f = objective, s = space): { params: Params; value: number }[] {
  const sampler = createSampler(spec, s, seed);
  return Array.from({ length: n }, () => {
    const params = sampler.ask()!;
    const value = f(params);
    sampler.tell(params, value);
    return { params, value };
  });
}

const LEARNING: SamplerSpec[] = [{ kind: 'tpe' }, { kind: 'tpe', multivariate: false }, { kind: 'genetic', populationSize: 10 }];

describe('every sampler respects the space', () => {
  test.each([{ kind: 'random' } as SamplerSpec, ...LEARNING])('%o: bounds, steps, integers and conditions over 300 trials', (spec) => {
    const trials = runSequential(spec, 11, 300);
    for (const { params: p } of trials) {
      expect(p.lr).toBeGreaterThanOrEqual(1e-4);
      expect(p.lr).toBeLessThanOrEqual(1);
      expect(p.dropout).toBeGreaterThanOrEqual(0);
      expect(p.dropout).toBeLessThanOrEqual(0.5);
      expect(['sgd', 'momentum', 'nesterov', 'adam']).toContain(p.kind);
      expect('momentum' in p).toBe(p.kind === 'momentum' || p.kind === 'nesterov');
      if ('momentum' in p) expect([0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9]).toContain(p.momentum);
      expect(Number.isInteger(p.units) && (p.units as number) >= 2 && (p.units as number) <= 64).toBe(true);
      expect([0, 1, 2, 3, 4]).toContain(p.layers);
      expect(Array.from({ length: 16 }, (_, i) => 8 + 8 * i)).toContain(p.batch);
      expect(Object.keys(p).sort()).toEqual(['batch', 'dropout', 'kind', 'layers', 'lr', ...('momentum' in p ? ['momentum'] : []), 'units'].sort());
    }
    // Every integer, end values included, is reached.
    expect(new Set(trials.map((t) => t.params.layers)).size).toBe(5);
  });

  test('random: log-uniform on a log range, every integer and step equally likely', () => {
    const draws = createSampler({ kind: 'random' }, space, 3).askBatch(4000);
    const share = (pred: (p: Params) => boolean) => draws.filter(pred).length / draws.length;
    // Half below the geometric middle of [1e-4, 1], 1e-2.
    expect(share((p) => (p.lr as number) < 1e-2)).toBeCloseTo(0.5, 1);
    // Layers 0..4: a fifth each, the ends as likely as the middle.
    for (const l of [0, 2, 4]) expect(share((p) => p.layers === l)).toBeCloseTo(0.2, 1);
    // Units log-uniform over [1.5, 64.5]: 2 takes log(2.5/1.5)/log(64.5/1.5) = 13.6 %.
    expect(share((p) => p.units === 2)).toBeCloseTo(0.136, 1);
  });
});

describe('grid', () => {
  test('hands out every combination once, then null; resumes past asked and pending points', () => {
    const small: SearchSpace = {
      kind: { type: 'categorical', choices: ['sgd', 'momentum'] },
      momentum: { type: 'float', low: 0, high: 0.9, step: 0.45, condition: { param: 'kind', in: ['momentum'] } },
      lr: { type: 'float', low: 0.001, high: 0.1, log: true },
    };
    const grid = createSampler({ kind: 'grid', resolution: 3 }, small, 4);
    const all = grid.askBatch(100);
    // (sgd + momentum × 3) × lr 3 = 12
    expect(all).toHaveLength(12);
    expect(new Set(all.map((p) => JSON.stringify(p))).size).toBe(12);
    expect(grid.ask()).toBeNull();
    expect(grid.askBatch(3)).toEqual([]);
    const history: Observation[] = all.slice(0, 5).map((params, i) => ({ params, value: i < 3 ? 1 : null, pending: i >= 3 ? true : undefined }));
    expect(createSampler({ kind: 'grid', resolution: 3 }, small, 4, JSON.parse(JSON.stringify(history))).askBatch(100)).toEqual(all.slice(5));
  });
});

describe('learning samplers: seeded and resumable', () => {
  test.each(LEARNING)('%o replays from its seed, and resumes after a JSON round trip to the same next suggestion', (spec) => {
    const live = createSampler(spec, space, 5);
    const history: Observation[] = [];
    for (let i = 0; i < 30; i++) {
      const params = live.ask()!;
      const value = i % 7 === 3 ? null : objective(params);
      live.tell(params, value);
      history.push({ params, value });
    }
    // A batch for parallel workers, told out of order, two still pending.
    const batch = live.askBatch(4);
    live.tell(batch[2], objective(batch[2]));
    live.tell(batch[0], objective(batch[0]));
    batch.forEach((params, i) => history.push(i === 0 || i === 2 ? { params, value: objective(params) } : { params, value: null, pending: true }));

    const resumed = createSampler(spec, space, 5, JSON.parse(JSON.stringify(history)));
    const next = live.askBatch(3);
    expect(resumed.askBatch(3)).toEqual(next);

    const replay = createSampler(spec, space, 5);
    const first = replay.ask()!;
    expect(first).toEqual(history[0].params);
    expect(createSampler(spec, space, 6).ask()).not.toEqual(first);
  });
});

describe('tpe', () => {
  test('Parzen estimator log-densities equal Optuna 3.1 _ParzenEstimator.log_pdf on the same observations', () => {
    const obs = [1.0, -3.0, 7.5, 2.2, 9.9, 0.1, 4.4];
    const options = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false, flatWeights: false };
    const at = (def: SearchSpace[string], values: number[], xs: number[]) =>
      new ParzenEstimator({ x: def }, values.map((x) => ({ x })), options).logPdf(xs.map((x) => ({ x })));
    // Reference numbers printed by optuna 3.1.0 (Debian's python3-optuna).
    const cases: [SearchSpace[string], number[], number[], number[]][] = [
      [{ type: 'float', low: -5, high: 10 }, obs, [-4.5, 0, 1, 3.5, 9.5], [-1.6333942583674037, -1.177893594763616, -1.0994263982355639, -1.2072286543860886, -1.2830806251316664]],
      [{ type: 'float', low: 0.01, high: 10, log: true }, obs.map((x) => Math.abs(x) + 0.01), [0.02, 0.5, 1, 3.5, 9.5], [-2.009091347803518, -1.5911891573448327, -1.3968519517968914, -0.9445255865919362, -1.029219572873283]],
      [{ type: 'int', low: -5, high: 10 }, obs.map(Math.round), [-4, 0, 1, 4, 9], [-3.2990020997844605, -2.4435502676608896, -2.3224711722661313, -2.7724137354894065, -2.707560838467685]],
      [{ type: 'int', low: 1, high: 64, log: true }, [1, 3, 8, 2, 10, 1, 4], [1, 2, 5, 16, 64], [-1.2874951012839193, -1.2023522965890123, -1.2384048365808211, -1.6810466508796262, -2.161224328044697]],
      [{ type: 'float', low: -5, high: 10, step: 0.5 }, obs.map((x) => Math.round(x * 2) / 2), [-4.5, 0, 1, 3.5, 9.5], [-4.117323817288593, -3.1667254149360806, -3.020953216593697, -3.284336083066273, -3.436409450008159]],
    ];
    for (const [def, values, xs, optuna] of cases) at(def, values, xs).forEach((v, i) => expect(v).toBeCloseTo(optuna[i], 5));
  });

  test('flat weights, and the default ramp past 25 observations, give Optuna 3.1\'s log-densities (tests/support/optuna-flat-weights.py)', () => {
    const at = (flatWeights: boolean) =>
      new ParzenEstimator({ x: { type: 'float', low: -5, high: 10 } }, flatReference.observations.map((x) => ({ x })), {
        priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: false, flatWeights,
      }).logPdf(flatReference.points.map((x) => ({ x })));
    at(true).forEach((v, i) => expect(v).toBeCloseTo(flatReference.flat[i], 6));
    at(false).forEach((v, i) => expect(v).toBeCloseTo(flatReference.default[i], 6));
    expect(flatReference.flat[0]).not.toBeCloseTo(flatReference.default[0], 2);
  });

  // Observations 10, 20, …, 80 on [0, 100]: every gap to a neighbour is 10 (the prior sits at
  // 50), and Scott's rule gives 0.2 · 8^(−1/5) of the range.
  const SCOTT = 0.2 * 8 ** (-1 / 5) * 100;
  /** Checks the joint estimator of those observations, `gapWeight` given to it (left out: its default), against kernels all `sigma` wide. */
  const expectJointKernels = (sigma: number, gapWeight?: number) => {
    const obs = [10, 20, 30, 40, 50, 60, 70, 80];
    const options = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, multivariate: true, flatWeights: false, ...(gapWeight === undefined ? {} : { gapWeight }) };
    const estimator = new ParzenEstimator({ x: { type: 'float', low: 0, high: 100 } }, obs.map((x) => ({ x })), options);
    const kernels = [...obs.map((mu) => [mu, sigma]), [50, 100]];
    const expected = (x: number) =>
      logSumExp(kernels.map(([mu, s]) => Math.log(1 / 9) + logNormalPdf((x - mu) / s, 0, 1) - logGaussMass((0 - mu) / s, (100 - mu) / s)));
    estimator.logPdf([5, 25, 77, 99].map((x) => ({ x }))).forEach((v, i) => expect(v).toBeCloseTo(expected([5, 25, 77, 99][i]), 10));
  };

  test("jointly, each kernel is as wide as the geometric mean of Optuna's gap rule and Scott's rule", () => {
    expectJointKernels(Math.sqrt(10 * SCOTT));
  });

  test('a categorical kernel keeps its choice and spreads the prior weight over every choice, as Optuna 3.1', () => {
    // Observations a, a, b and the prior, each weighing 1/4 (prior weight 1): an observation's
    // row is (1 + 1/4 on its choice, 1/4 on the others) / 1.75, the prior's 1/3 each, so
    // P(a) = (5/7 + 5/7 + 1/7 + 1/3) / 4 = 10/21, P(b) = 1/3, P(c) = 4/21. With prior weight 2
    // the weights are 1/5, 1/5, 1/5, 2/5 and a row is (1.5, 0.5, 0.5) / 2.5: P(a) = 0.41333…,
    // P(c) = 0.25333…. optuna 3.1.0's _ParzenEstimator.log_pdf gives the same numbers.
    const pdf = (priorWeight: number) =>
      new ParzenEstimator({ c: { type: 'categorical', choices: ['a', 'b', 'c'] } }, [{ c: 'a' }, { c: 'a' }, { c: 'b' }], {
        priorWeight,
        considerMagicClip: true,
        considerEndpoints: false,
        multivariate: false,
        flatWeights: false,
      })
        .logPdf([{ c: 'a' }, { c: 'b' }, { c: 'c' }])
        .map(Math.exp);
    pdf(1).forEach((p, i) => expect(p).toBeCloseTo([10 / 21, 1 / 3, 4 / 21][i], 12));
    pdf(2).forEach((p, i) => expect(p).toBeCloseTo([0.41333333333333333, 1 / 3, 0.25333333333333335][i], 12));
  });

  test('by choice, a number is modelled from the trials of the chosen choice once five of them finished', () => {
    // Two optimizers, equally good, whose best x differ: a at 2, b at 8. The two best trials
    // (γ(20) = 2) are b at 8.5 and a at 1.5, so the univariate l(x) has a bump at each.
    const choices: SearchSpace = { opt: { type: 'categorical', choices: ['a', 'b'] }, x: { type: 'float', low: 0, high: 10 } };
    const best = (opt: Params[string]) => (opt === 'a' ? 2 : 8);
    const f = (p: Params) => ((p.x as number) - best(p.opt)) ** 2 / 10;
    const trial = (opt: string, x: number) => ({ params: { opt, x }, value: f({ opt, x }) });
    const history = [
      trial('b', 8.5),
      trial('a', 1.5),
      ...[0, 3.2, 4, 5, 6, 7, 9, 10].map((x) => trial('a', x)),
      ...[0, 1, 3, 4, 5, 6.6, 9.6, 10].map((x) => trial('b', x)),
    ];
    const asks = (spec: SamplerSpec) => Array.from({ length: 12 }, (_, seed) => createSampler(spec, choices, seed, history).ask()!);
    const nearOwn = (p: Params) => Math.abs((p.x as number) - best(p.opt)) < 1.5;
    // By choice, each choice's x comes from its own trials, near its own best.
    const byChoice = asks({ kind: 'tpe' });
    expect(new Set(byChoice.map((p) => p.opt)).size).toBe(2);
    for (const p of byChoice) expect(nearOwn(p)).toBe(true);
    // Optuna's univariate TPE takes x from the best trials of both: some land at the other's best.
    expect(asks({ kind: 'tpe', multivariate: false, byChoice: false }).filter((p) => !nearOwn(p)).length).toBeGreaterThan(0);
  });

  test('the default models jointly where every parameter is numeric, numbers jointly by choice with categoricals, and each on its own with conditions, a conditional one split where it exists, every trial weighing alike', () => {
    const numeric: SearchSpace = { a: { type: 'float', low: 0, high: 1 }, b: { type: 'int', low: 1, high: 9 } };
    const withChoice: SearchSpace = { ...numeric, c: { type: 'categorical', choices: ['x', 'y', 'z'] } };
    const f = (p: Params) => (p.a as number) + (p.b as number) / 10 + (p.c === 'x' ? 0 : 0.3) + ((p.momentum as number | undefined) ?? 0);
    const same = (s: SearchSpace, explicit: SamplerSpec, other: SamplerSpec) => {
      const history = runSequential({ kind: 'random' }, 3, 30, f, s);
      const next = (spec: SamplerSpec) => createSampler(spec, s, 4, history).askBatch(8);
      expect(next({ kind: 'tpe' })).toEqual(next(explicit));
      expect(next({ kind: 'tpe' })).not.toEqual(next(other));
    };
    same(numeric, { kind: 'tpe', multivariate: true, byChoice: false }, { kind: 'tpe', multivariate: false });
    same(withChoice, { kind: 'tpe', multivariate: true, byChoice: true }, { kind: 'tpe', multivariate: true, byChoice: false });
    same(space, { kind: 'tpe', multivariate: false, byChoice: false }, { kind: 'tpe', multivariate: false, byChoice: true });
    same(space, { kind: 'tpe', multivariate: false, byChoice: false, splitWherePresent: true }, { kind: 'tpe', multivariate: false, byChoice: false, splitWherePresent: false });
    // With conditions, every trial weighs alike (no fading of the oldest past 25).
    same(space, { kind: 'tpe', flatWeights: true }, { kind: 'tpe', flatWeights: false });
    // With conditions, a choice is judged by its formed trials.
    same(space, { kind: 'tpe', formedChoices: true }, { kind: 'tpe', formedChoices: false });
    // Three numbers or more alone start wide; two, or numbers modelled by choice, do not.
    same({ ...numeric, d: { type: 'float', low: 0, high: 1 } }, { kind: 'tpe', widenEarly: true }, { kind: 'tpe', widenEarly: false });
    expect(tpeRules(numeric).widenEarly).toBe(false);
    expect(tpeRules(numeric, { widenEarly: true }).widenEarly).toBe(true);
    expect(tpeRules({ ...withChoice, d: { type: 'float', low: 0, high: 1 } }).widenEarly).toBe(false);
    expect(tpeRules(space).widenEarly).toBe(false);
  });

  test("three numbers or more alone: the joint kernels are Scott's rule once the startup ends, and the even mean with the gap rule by the hundredth trial", () => {
    expect([10, 11, 55, 100, 400].map((n) => jointGapWeight(n, 10))).toEqual([0, 0.5 / 90, 0.25, 0.5, 0.5]);
    expect(jointGapWeight(3, 10)).toBe(0);
    expect([LOCAL_WIDTH_TRIALS, WIDEN_MIN_PARAMETERS]).toEqual([100, 3]);
    // w = 0 is Scott's rule alone, w = 0.25 a quarter of the way to the gap.
    expectJointKernels(SCOTT, 0);
    expectJointKernels(10 ** 0.25 * SCOTT ** 0.75, 0.25);
  });

  test('around the best: each number from a normal at the mean of the best quarter of the trials, with half their spread, in its own scale', () => {
    const sub: SearchSpace = { lr: { type: 'float', low: 1e-5, high: 1, log: true }, x: { type: 'float', low: 0, high: 10 } };
    // Twelve trials, so the best quarter is three: values 0.1, 0.2, 0.3 at lr 1e-3, 1e-2, 1e-4
    // and x 4, 5, 9. The failed one (null) and the pending one count nowhere.
    const rows: [number | null | undefined, number, number][] = [
      [0.5, 1e-5, 0], [0.2, 1e-2, 5], [null, 1e-3, 6], [0.9, 1, 10], [0.1, 1e-3, 4], [0.6, 0.5, 1],
      [0.3, 1e-4, 9], [0.7, 1e-5, 2], [undefined, 1e-3, 6], [0.4, 0.1, 8], [0.8, 0.2, 3], [0.45, 1e-5, 7],
      [0.55, 1e-5, 0], [0.65, 1, 10],
    ];
    const trials = rows.map(([value, lr, x], order): LoggedTrial => ({ order, params: { lr, x }, value }));
    // ln lr: mean ln 1e-3, sd ln 10 · √(2/3); x: mean 6, sd √(14/3). Normal deviates 0, 1, −1, 3, 0, 5 in turn.
    const z = [0, 1, -1, 3, 0, 5];
    let i = 0;
    const rng = { ...createRng(0), normal: (mean = 0, std = 1) => mean + std * z[i++] };
    const draws = aroundBest(sub, trials, rng, 3);
    const lrSd = Math.LN10 * Math.sqrt(2 / 3);
    const xSd = Math.sqrt(14 / 3);
    const expected = [
      [1e-3, 6 + xSd / 2],
      [1e-3 * Math.exp(-lrSd / 2), 6 + (3 * xSd) / 2],
      [1e-3, 10], // 6 + 5 · 1.08 lies past the range's end: kept at it
    ];
    draws.forEach((d, k) => {
      expect(d.lr as number).toBeCloseTo(expected[k][0], 12);
      expect(d.x as number).toBeCloseTo(expected[k][1], 12);
    });
    expect(expected[1][0]).toBeCloseTo(3.9062e-4, 7);
    expect(() => aroundBest({ c: { type: 'categorical', choices: ['a'] } }, trials, rng, 1)).toThrow(/categorical/);
  });

  test('by choice, every third ask once the choice has fifteen trials draws its numbers around their best quarter', () => {
    // Optimizers a (best x 3) and b (0.5 worse) have 20 trials each at the same x, spread over
    // [0, 10], and a has two more pending. The best quarter of a's finished trials (5) is x 2.2,
    // 2.5, 3.1, 3.6 and 4.2: mean 3.12, spread 0.725. The ask at index 42 (a multiple of three) draws there.
    expect([INTENSIFY_MIN_TRIALS, INTENSIFY_EVERY]).toEqual([15, 3]);
    const choices: SearchSpace = { opt: { type: 'categorical', choices: ['a', 'b'] }, x: { type: 'float', low: 0, high: 10 } };
    const f = (p: Params) => ((p.x as number) - 3) ** 2 / 10 + (p.opt === 'a' ? 0 : 0.5);
    const xs = [0, 0.5, 1, 1.5, 2.2, 2.5, 3.1, 3.6, 4.2, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10];
    const history: Observation[] = [
      ...xs.map((x) => ({ params: { opt: 'a', x }, value: f({ opt: 'a', x }) })),
      ...xs.map((x) => ({ params: { opt: 'b', x }, value: f({ opt: 'b', x }) })),
      ...[2.2, 3.6].map((x) => ({ params: { opt: 'a', x }, value: null, pending: true })),
    ];
    const asks = (spec: SamplerSpec) => Array.from({ length: 40 }, (_, seed) => createSampler(spec, choices, seed, history).ask()!);
    const ofA = (intensify: boolean) => asks({ kind: 'tpe', intensify }).filter((p) => p.opt === 'a');
    const spread = Math.sqrt([2.2, 2.5, 3.1, 3.6, 4.2].reduce((a, x) => a + (x - 3.12) ** 2, 0) / 5);
    expect(spread).toBeCloseTo(0.72498, 5);
    const on = ofA(true);
    const off = ofA(false);
    expect([on.length, off.length]).toEqual([40, 40]);
    // Four half-spreads around the mean hold every ask (each the best by l/g of 24 draws there) …
    expect(on.every((p) => Math.abs((p.x as number) - 3.12) <= 2 * spread)).toBe(true);
    // … and the asks crowd there: their x varies less than half as much as from l(x), whose
    // kernels are as wide as the gaps between the four good trials and the clip allow.
    const sd = (ps: Params[]) => {
      const x = ps.map((p) => p.x as number);
      const m = x.reduce((a, b) => a + b, 0) / x.length;
      return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / x.length);
    };
    expect(sd(on)).toBeLessThan(sd(off) / 2);
    // On by default where numbers are modelled by choice.
    expect(asks({ kind: 'tpe' })).toEqual(asks({ kind: 'tpe', intensify: true }));
  });

  test("a choice with conditional parameters is judged by its trials after its parameters' first five", () => {
    // Warmup exists under cosine only; cosine with warmup 5 is the best schedule (0.00 against
    // constant's 0.03), but its first five trials drew warmups of 14-20 (0.08-0.23), before
    // warmup had a model of its own. The twelve constant trials all beat them.
    const schedules: SearchSpace = {
      schedule: { type: 'categorical', choices: ['constant', 'cosine'] },
      warmup: { type: 'int', low: 0, high: 20, condition: { param: 'schedule', in: ['cosine'] } },
    };
    const f = (p: Params) => (p.schedule === 'constant' ? 0.03 : 0.001 * ((p.warmup as number) - 5) ** 2);
    const constant = (i: number): Observation => ({ params: { schedule: 'constant' }, value: f({ schedule: 'constant' }) + 0.001 * i });
    const cosine = (w: number): Observation => ({ params: { schedule: 'cosine', warmup: w }, value: f({ schedule: 'cosine', warmup: w }) });
    const history = [cosine(14), constant(0), cosine(20), constant(1), cosine(17), cosine(15), constant(2), cosine(19), ...[3, 4, 5, 6, 7, 8, 9, 10, 11].map(constant)];
    const logged = history.map((h, order): LoggedTrial => ({ order, ...h }));
    // Set aside: the five cosine trials (orders 0, 2, 4, 5, 7); the constant ones are formed.
    expect(formedTrials(logged, schedules, 'schedule').map((t) => t.order)).toEqual([1, 3, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(formedTrials(logged, schedules, 'warmup')).toBe(logged);
    // Judged by every trial, cosine (five trials, none among the γ(17) = 2 best) is never
    // asked; judged by its formed trials, where it has none, it is asked, with a warmup
    // modelled from the five cosine trials (the good one at 14, the bad at 15-20): l/g is
    // largest well below them all.
    const asks = (spec: SamplerSpec) => Array.from({ length: 10 }, (_, seed) => createSampler(spec, schedules, seed, history).ask()!);
    expect(asks({ kind: 'tpe', formedChoices: false }).map((p) => p.schedule)).toEqual(Array(10).fill('constant'));
    const formed = asks({ kind: 'tpe' });
    expect(formed.map((p) => p.schedule)).toEqual(Array(10).fill('cosine'));
    expect(formed.map((p) => p.warmup)).toEqual([3, 3, 4, 3, 3, 5, 3, 5, 5, 2]);
  });

  test('a conditional parameter is split among the trials where it exists, once five of them finished', () => {
    // Warmup exists under the cosine schedule only. Every constant trial beats every cosine one,
    // so the best γ(12) = 2 of all twelve are constant and Optuna's split leaves warmup no good
    // trial. Among the six cosine trials, γ(6) = 1: the good one is 0.9 (warmup 5), the other
    // five are bad, in ask order; warmup 25, outside [0, 20] now, counts nowhere.
    const warmup: SearchSpace[string] = { type: 'int', low: 0, high: 20, condition: { param: 'schedule', in: ['cosine'] } };
    const cosine: [number, number][] = [[1.4, 18], [0.9, 5], [1.2, 14], [1.1, 6], [1.6, 20], [1.3, 2]];
    const trials = cosine.flatMap(([value, w], i): LoggedTrial[] => [
      { order: 2 * i, params: { schedule: 'constant' }, value: 0.1 * (i + 1) },
      { order: 2 * i + 1, params: { schedule: 'cosine', warmup: w }, value },
    ]);
    trials.push({ order: 12, params: { schedule: 'cosine', warmup: 25 }, value: 0.01 });
    const orders = (ts: LoggedTrial[]) => ts.map((t) => t.order);
    const own = splitWherePresent(trials, 'warmup', warmup)!;
    expect(orders(own.below)).toEqual([3]);
    expect(orders(own.above)).toEqual([1, 5, 7, 9, 11]);
    // A pending trial waits in the bad share and does not count as finished: with four cosine
    // trials finished there are too few to split.
    const pending: LoggedTrial = { order: 13, params: { schedule: 'cosine', warmup: 4 } };
    expect(orders(splitWherePresent([...trials, pending], 'warmup', warmup)!.above)).toEqual([1, 5, 7, 9, 11, 13]);
    expect(splitWherePresent([...trials.slice(0, 8), pending], 'warmup', warmup)).toBeNull();
  });

  test("Optuna's default gamma and weights", () => {
    expect([1, 10, 11, 100, 250, 251, 1000].map(defaultGamma)).toEqual([1, 1, 2, 10, 25, 25, 25]);
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    expect(defaultWeights(26)).toEqual([1 / 26, ...Array(25).fill(1)]);
    const w = defaultWeights(30);
    [1 / 30, 0.275, 0.5166666666666667, 0.7583333333333333, 1].forEach((x, i) => expect(w[i]).toBeCloseTo(x, 12));
    expect(w.slice(5)).toEqual(Array(25).fill(1));
  });

  test('beats random search on a 1-D quadratic after 60 trials (median best over 5 seeds)', () => {
    const line: SearchSpace = { x: { type: 'float', low: -10, high: 10 } };
    const f = (p: Params) => ((p.x as number) - 3) ** 2;
    const medianBest = (spec: SamplerSpec) => {
      const bests = [0, 1, 2, 3, 4].map((seed) => Math.min(...runSequential(spec, seed, 60, f, line).map((t) => t.value))).sort((a, b) => a - b);
      return bests[2];
    };
    const tpe = medianBest({ kind: 'tpe' });
    const random = medianBest({ kind: 'random' });
    expect(tpe).toBeLessThan(random / 10);
    expect(tpe).toBeLessThan(1e-3);
  });

  test.each([false, true])('constant liar (multivariate %s): trials asked together count the pending ones as the worst, so they differ', (multivariate) => {
    const base = runSequential({ kind: 'tpe', multivariate }, 2, 20);
    const history = base.map(({ params, value }) => ({ params, value }));
    const liar = createSampler({ kind: 'tpe', multivariate }, space, 2, history).askBatch(3);
    const honest = createSampler({ kind: 'tpe', multivariate, constantLiar: false }, space, 2, history).askBatch(3);
    expect(liar[0]).toEqual(honest[0]);
    // Jointly, one argmax over whole candidates decides, so a pending trial may leave the next one as it was.
    if (!multivariate) expect(liar[1]).not.toEqual(honest[1]);
    expect(liar[2]).not.toEqual(honest[2]);
  });
});

describe('genetic', () => {
  const pop = (trials: { params: Params; value: number }[], size: number) =>
    trials
      .slice()
      .sort((a, b) => a.value - b.value)
      .slice(0, size)
      .map((t) => JSON.stringify(t.params));

  test('without crossover or mutation, every child is a copy of one of the best populationSize trials (elitism)', () => {
    const trials = runSequential({ kind: 'random' }, 8, 40);
    const history = trials.map(({ params, value }) => ({ params, value }));
    const children = createSampler({ kind: 'genetic', populationSize: 10, crossoverProb: 0, mutationProb: 0 }, space, 8, history).askBatch(50);
    const best = pop(trials, 10);
    for (const c of children) expect(best).toContain(JSON.stringify(c));
    // Tournaments favour the best: the best trial is copied more often than the tenth.
    const count = (k: number) => children.filter((c) => JSON.stringify(c) === best[k]).length;
    expect(count(0)).toBeGreaterThan(count(9));
  });

  test('with crossover and no mutation, every value of a child comes from a population member', () => {
    const trials = runSequential({ kind: 'random' }, 9, 40);
    const members = trials.slice().sort((a, b) => a.value - b.value).slice(0, 10).map((t) => t.params);
    const children = createSampler({ kind: 'genetic', populationSize: 10, crossoverProb: 1, mutationProb: 0 }, space, 9, trials).askBatch(50);
    for (const c of children) {
      for (const [name, value] of Object.entries(c)) {
        const fromMember = members.some((m) => m[name] === value);
        // A conditional parameter whose parents both lacked it is drawn fresh.
        if (!fromMember) expect(name).toBe('momentum');
      }
    }
    expect(children.some((c) => !members.some((m) => JSON.stringify(m) === JSON.stringify(c)))).toBe(true);
  });

  test('improves on its random first generation', () => {
    const trials = runSequential({ kind: 'genetic', populationSize: 10 }, 3, 200);
    const best = (from: number, to: number) => Math.min(...trials.slice(from, to).map((t) => t.value));
    expect(best(100, 200)).toBeLessThan(best(0, 10));
  });
});

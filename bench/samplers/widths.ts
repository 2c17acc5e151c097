/**
 * Whether the joint kernels that start wide (TpeOptions.widenEarly) help, by the number of
 * parameters: the default TPE with and without them on standard test functions outside the
 * suite, two to five parameters, the median over seeds of the best regret after 50 and 100
 * trials. `npm run bench:samplers -- --widths [--seeds=1000-1059]`. Asked for, the rule applies
 * to two parameters too, where the default leaves it off, to show why it does.
 */
import { createSampler, type SamplerSpec, type SearchSpace } from '../../src/core/search';
import { median } from './bench';

interface Problem {
  name: string;
  space: SearchSpace;
  minimum: number;
  f: (x: number[]) => number;
}

/** [lo, hi]^d as x0 … x(d−1). */
const box = (d: number, lo: number, hi: number): SearchSpace =>
  Object.fromEntries(Array.from({ length: d }, (_, i) => [`x${i}`, { type: 'float', low: lo, high: hi }]));
const rosenbrock = (x: number[]) => x.slice(0, -1).reduce((s, v, i) => s + 100 * (x[i + 1] - v * v) ** 2 + (1 - v) ** 2, 0);
const rastrigin = (x: number[]) => 10 * x.length + x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
const ackley = (x: number[]) =>
  -20 * Math.exp(-0.2 * Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length)) - Math.exp(x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / x.length) + 20 + Math.E;
const styblinskiTang = (x: number[]) => x.reduce((s, v) => s + (v ** 4 - 16 * v * v + 5 * v) / 2, 0);
const ST_MINIMUM = -39.16616570377142;
const H3_ALPHA = [1, 1.2, 3, 3.2];
const H3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]];
const H3_P = [[0.3689, 0.117, 0.2673], [0.4699, 0.4387, 0.747], [0.1091, 0.8732, 0.5547], [0.03815, 0.5743, 0.8828]];
const hartmann3 = (x: number[]) => -H3_ALPHA.reduce((s, a, i) => s + a * Math.exp(-H3_A[i].reduce((t, A, j) => t + A * (x[j] - H3_P[i][j]) ** 2, 0)), 0);

/** Surjanovic & Bingham's Virtual Library of Simulation Experiments, on their usual domains. */
const PROBLEMS: Problem[] = [
  { name: 'Rosenbrock 2-D', space: box(2, -2, 2), minimum: 0, f: rosenbrock },
  { name: 'Beale', space: box(2, -4.5, 4.5), minimum: 0, f: ([x, y]) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2 },
  { name: 'Himmelblau', space: box(2, -5, 5), minimum: 0, f: ([x, y]) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2 },
  { name: 'Six-hump camel', space: box(2, -2, 2), minimum: -1.0316284535, f: ([x, y]) => (4 - 2.1 * x * x + x ** 4 / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y },
  {
    name: 'Goldstein-Price',
    space: box(2, -2, 2),
    minimum: 3,
    f: ([x, y]) =>
      (1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y)) *
      (30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y)),
  },
  { name: 'Rastrigin 2-D', space: box(2, -5.12, 5.12), minimum: 0, f: rastrigin },
  { name: 'Ackley 2-D', space: box(2, -5, 5), minimum: 0, f: ackley },
  { name: 'Styblinski-Tang 2-D', space: box(2, -5, 5), minimum: 2 * ST_MINIMUM, f: styblinskiTang },
  { name: 'Hartmann3', space: box(3, 0, 1), minimum: -3.86278, f: hartmann3 },
  { name: 'Rastrigin 3-D', space: box(3, -5.12, 5.12), minimum: 0, f: rastrigin },
  { name: 'Rosenbrock 4-D', space: box(4, -2, 2), minimum: 0, f: rosenbrock },
  { name: 'Styblinski-Tang 4-D', space: box(4, -5, 5), minimum: 4 * ST_MINIMUM, f: styblinskiTang },
  { name: 'Ackley 5-D', space: box(5, -5, 5), minimum: 0, f: ackley },
];

/** Median best regret after 50 and 100 trials over `seeds`. */
function regrets(problem: Problem, spec: SamplerSpec, seeds: number[]): string {
  const runs = seeds.map((seed) => {
    const sampler = createSampler(spec, problem.space, seed);
    let best = Infinity;
    const out: number[] = [];
    for (let t = 0; t < 100; t++) {
      const params = sampler.ask()!;
      const value = problem.f(Object.keys(problem.space).map((k) => params[k] as number));
      sampler.tell(params, value);
      best = Math.min(best, value);
      if (t === 49 || t === 99) out.push(best - problem.minimum);
    }
    return out;
  });
  return `${median(runs.map((r) => r[0])).toPrecision(3)} / ${median(runs.map((r) => r[1])).toPrecision(3)}`;
}

/** Prints, per function, the joint TPE with the even mean and with kernels that start wide. */
export function main(args: string[] = []): void {
  const [first, last] = (args.find((a) => a.startsWith('--seeds='))?.slice(8) ?? '1000-1059').split('-').map(Number);
  const seeds = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  console.log(`Median best regret @50 / @100 over seeds ${first}-${last}\n`);
  console.log(`${'function'.padEnd(20)} ${'even mean'.padEnd(22)} start wide`);
  for (const problem of PROBLEMS) {
    const even = regrets(problem, { kind: 'tpe', widenEarly: false }, seeds);
    const wide = regrets(problem, { kind: 'tpe', widenEarly: true }, seeds);
    console.log(`${problem.name.padEnd(20)} ${even.padEnd(22)} ${wide}`);
  }
}

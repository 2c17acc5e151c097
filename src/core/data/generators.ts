import { createRng, type Rng } from '../random/prng';
import { REGRESSION_KINDS, type DataSpec, type Dataset, type DatasetKind, type ProblemType } from './types';

/** Half-width of the square every generated set lives in, as TensorFlow Playground's. */
const RADIUS = 6;

/** Receives one generated point and its target. */
type PointSink = (x1: number, x2: number, y: number) => void;

/**
 * Draws `n` points into `put`. `noise` is a fraction, 0 to 0.5 (the slider's percent / 100),
 * used as TensorFlow Playground uses it: for most sets it jitters the position the label is
 * computed from, so a noisy point may sit on the wrong side of the boundary.
 */
type Generator = (rng: Rng, n: number, noise: number, put: PointSink) => void;

const clampToDomain = (v: number): number => Math.min(RADIUS, Math.max(-RADIUS, v));

/** A class 0/1 from TensorFlow Playground's ±1 convention. */
const classOf = (positive: boolean): number => (positive ? 1 : 0);

/** Inner disc (r < 2.5) is class 1, ring 3.5 < r < 5 is class 0. */
function circle(rng: Rng, n: number, noise: number, put: PointSink): void {
  const radius = 5;
  const ring = (count: number, rMin: number, rMax: number) => {
    for (let i = 0; i < count; i++) {
      const r = rng.uniform(rMin, rMax);
      const angle = rng.uniform(0, 2 * Math.PI);
      const x1 = r * Math.sin(angle);
      const x2 = r * Math.cos(angle);
      const n1 = rng.uniform(-radius, radius) * noise;
      const n2 = rng.uniform(-radius, radius) * noise;
      put(x1, x2, classOf(Math.hypot(x1 + n1, x2 + n2) < radius * 0.5));
    }
  };
  ring(Math.ceil(n / 2), 0, radius * 0.5);
  ring(Math.floor(n / 2), radius * 0.7, radius);
}

/** Class 1 where x1·x2 ≥ 0; points keep 0.3 away from the axes. */
function xor(rng: Rng, n: number, noise: number, put: PointSink): void {
  const padding = 0.3;
  const padded = (v: number) => v + (v > 0 ? padding : -padding);
  for (let i = 0; i < n; i++) {
    const x1 = padded(rng.uniform(-5, 5));
    const x2 = padded(rng.uniform(-5, 5));
    const n1 = rng.uniform(-5, 5) * noise;
    const n2 = rng.uniform(-5, 5) * noise;
    put(x1, x2, classOf((x1 + n1) * (x2 + n2) >= 0));
  }
}

/**
 * Two Gaussians at (2, 2) (class 1) and (−2, −2) (class 0) whose variance grows from 0.5 to 4
 * with the noise. Unlike the other sets their tails are unbounded, so points are clamped to
 * the domain the decision picture shows.
 */
function gauss(rng: Rng, n: number, noise: number, put: PointSink): void {
  const std = Math.sqrt(0.5 + (noise / 0.5) * 3.5);
  const blob = (count: number, center: number, label: number) => {
    for (let i = 0; i < count; i++) {
      put(clampToDomain(rng.normal(center, std)), clampToDomain(rng.normal(center, std)), label);
    }
  };
  blob(Math.ceil(n / 2), 2, 1);
  blob(Math.floor(n / 2), -2, 0);
}

/** Two interleaved spirals of 1.75 turns out to radius 5. */
function spiral(rng: Rng, n: number, noise: number, put: PointSink): void {
  const arm = (count: number, phase: number, label: number) => {
    for (let i = 0; i < count; i++) {
      const r = (i / count) * 5;
      const t = ((1.75 * i) / count) * 2 * Math.PI + phase;
      put(r * Math.sin(t) + rng.uniform(-1, 1) * noise, r * Math.cos(t) + rng.uniform(-1, 1) * noise, label);
    }
  };
  arm(Math.ceil(n / 2), 0, 1);
  arm(Math.floor(n / 2), Math.PI, 0);
}

/**
 * Two interleaving half circles (scikit-learn's make_moons: upper moon (cos t, sin t), lower
 * moon (1 − cos t, 0.5 − sin t), t in [0, π]), centred and scaled by 3 into the domain. The
 * noise is Gaussian jitter of standard deviation `noise` in moon units (up to 1.5 in the
 * domain), clamped to the domain.
 */
function moons(rng: Rng, n: number, noise: number, put: PointSink): void {
  const scale = 3;
  const moon = (count: number, label: number, at: (t: number) => [number, number]) => {
    for (let i = 0; i < count; i++) {
      const [u, v] = at(rng.uniform(0, Math.PI));
      const x1 = (u - 0.5 + rng.normal(0, noise)) * scale;
      const x2 = (v - 0.25 + rng.normal(0, noise)) * scale;
      put(clampToDomain(x1), clampToDomain(x2), label);
    }
  };
  moon(Math.ceil(n / 2), 1, (t) => [Math.cos(t), Math.sin(t)]);
  moon(Math.floor(n / 2), 0, (t) => [1 - Math.cos(t), 0.5 - Math.sin(t)]);
}

/** Target (x1 + x2) / 10, so about [−1.2, 1.2] over the domain. */
function plane(rng: Rng, n: number, noise: number, put: PointSink): void {
  for (let i = 0; i < n; i++) {
    const x1 = rng.uniform(-RADIUS, RADIUS);
    const x2 = rng.uniform(-RADIUS, RADIUS);
    const n1 = rng.uniform(-RADIUS, RADIUS) * noise;
    const n2 = rng.uniform(-RADIUS, RADIUS) * noise;
    put(x1, x2, (x1 + n1 + x2 + n2) / 10);
  }
}

/** Centres (x1, x2) and signs of the six bumps of the multi-Gaussian regression set. */
const BUMPS: [number, number, number][] = [
  [-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],
  [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1],
];

/**
 * Six signed bumps, each ±(1 − d/2) within distance d < 2 of its centre; a point takes the
 * bump of largest magnitude, so the target lies in [−1, 1] and is 0 between bumps.
 */
function multigauss(rng: Rng, n: number, noise: number, put: PointSink): void {
  const target = (x1: number, x2: number) => {
    let best = 0;
    for (const [c1, c2, sign] of BUMPS) {
      const value = sign * Math.max(0, 1 - Math.hypot(x1 - c1, x2 - c2) / 2);
      if (Math.abs(value) > Math.abs(best)) best = value;
    }
    return best;
  };
  for (let i = 0; i < n; i++) {
    const x1 = rng.uniform(-RADIUS, RADIUS);
    const x2 = rng.uniform(-RADIUS, RADIUS);
    const n1 = rng.uniform(-RADIUS, RADIUS) * noise;
    const n2 = rng.uniform(-RADIUS, RADIUS) * noise;
    put(x1, x2, target(x1 + n1, x2 + n2));
  }
}

const GENERATORS: Record<DatasetKind, Generator> = { circle, xor, gauss, spiral, moons, plane, multigauss };

/** The square every generated dataset is drawn in, and the decision picture shows. */
export const GENERATED_DOMAIN: [number, number] = [-RADIUS, RADIUS];

/** Whether a generated dataset kind is a classification or a regression problem. */
export function problemOf(kind: DatasetKind): ProblemType {
  return (REGRESSION_KINDS as readonly DatasetKind[]).includes(kind) ? 'regression' : 'classification';
}

/**
 * The points of a generated dataset, the same for the same spec. The sets follow TensorFlow
 * Playground's `src/dataset.ts` (github.com/tensorflow/playground): domain [−6, 6]², circle
 * of radius 5 with an inner disc and an outer ring, xor, two Gaussians, two spirals, the plane
 * and the six-bump multi-Gaussian regressions; two moons are added. Classes are 0/1 rather
 * than Playground's ±1. `noise` is in percent (0 to 50), as Playground's slider.
 *
 * @example
 * const data = generateDataset({ kind: 'circle', n: 500, noise: 10, seed: 1 });
 * data.x; // Float32Array [x1, x2, x1, x2, …] of length 1000
 */
export function generateDataset(spec: Pick<DataSpec, 'kind' | 'n' | 'noise' | 'seed'>): Dataset {
  const x = new Float32Array(spec.n * 2);
  const y = new Float32Array(spec.n);
  let i = 0;
  GENERATORS[spec.kind](createRng(spec.seed), spec.n, spec.noise / 100, (x1, x2, target) => {
    x[2 * i] = x1;
    x[2 * i + 1] = x2;
    y[i++] = target;
  });
  const problem = problemOf(spec.kind);
  return { problem, n: spec.n, x, y, dims: 2, classes: problem === 'classification' ? 2 : 0, domain: [...GENERATED_DOMAIN] };
}

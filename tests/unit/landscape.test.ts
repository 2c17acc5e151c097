import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  BUILT_IN_SURFACES,
  BUILT_IN_SURFACE_IDS,
  DIVERGED,
  NOT_CONVERGED,
  basinMap,
  bowl,
  evaluateFormula,
  gridStart,
  logSpace,
  lrSweep,
  resolveSurface,
  stabilityBound,
  surfaceGrid,
  trajectory,
  type Surface,
} from '../../src/core/landscape';
import { surfaceCode } from '../../src/core/landscape/descent';
import { evaluateSurfaceCode } from '../../src/core/landscape/surface-code';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** f and ‖∇f‖ at one point, in double precision, from the surface's compiled formula. */
function valueAndGradientNorm(surface: Surface, x: number, y: number): [number, number] {
  const [value, dx, dy] = evaluateSurfaceCode(surfaceCode(surface.ast!), x, y);
  return [value, Math.hypot(dx, dy)];
}

const HIMMELBLAU_FORMULA = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';

describe('built-in surfaces', () => {
  test.each(BUILT_IN_SURFACE_IDS.map((id) => [id, BUILT_IN_SURFACES[id]] as const))(
    '%s: each listed minimum and saddle is stationary, has its value, and lies in the domain',
    (_id, surface) => {
      for (const point of [...surface.minima, ...surface.saddles]) {
        // The listed coordinates have 12 digits: Goldstein–Price's curvature (2.6·10⁴) makes that relative.
        const scale = Math.max(1, Math.abs(point.value));
        const [value, gradientNorm] = valueAndGradientNorm(surface, point.x, point.y);
        expect(gradientNorm, `‖∇f‖ at (${point.x}, ${point.y})`).toBeLessThan(1e-4 * scale);
        expect(Math.abs(value - point.value), `f at (${point.x}, ${point.y})`).toBeLessThan(1e-4 * scale);
        expect(point.x).toBeGreaterThanOrEqual(surface.domain.x[0]);
        expect(point.x).toBeLessThanOrEqual(surface.domain.x[1]);
        expect(point.y).toBeGreaterThanOrEqual(surface.domain.y[0]);
        expect(point.y).toBeLessThanOrEqual(surface.domain.y[1]);
      }
    },
  );

  test.each(BUILT_IN_SURFACE_IDS.map((id) => [id, BUILT_IN_SURFACES[id]] as const))(
    '%s: each listed minimum is lower than the points around it, and the global ones are lowest',
    (_id, surface) => {
      const lowest = Math.min(...surface.minima.map((m) => m.value));
      for (const m of surface.minima) {
        if (m.kind === 'global') expect(m.value).toBe(lowest);
        else expect(m.value).toBeGreaterThan(lowest);
        const [centre] = valueAndGradientNorm(surface, m.x, m.y);
        for (let k = 0; k < 8; k++) {
          const angle = (k * Math.PI) / 4;
          const [around] = valueAndGradientNorm(surface, m.x + 0.02 * Math.cos(angle), m.y + 0.02 * Math.sin(angle));
          expect(around, `f around (${m.x}, ${m.y})`).toBeGreaterThan(centre);
        }
      }
    },
  );

  test.each(BUILT_IN_SURFACE_IDS.map((id) => [id, BUILT_IN_SURFACES[id]] as const))(
    '%s: evaluated on a batch of points, gives what it gives point by point',
    async (_id, surface) => {
      const size = 3;
      const heights = await surfaceGrid(surface, size);
      for (let j = 0; j < size; j++) {
        for (let i = 0; i < size; i++) {
          const [x, y] = gridStart(size, surface.domain, i, j);
          const value = evaluateFormula(surface.ast!, x, y);
          // The heights are float32 for drawing.
          expect(Math.abs(heights[j * size + i] - value)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(value)));
        }
      }
    },
  );

  test('the documented minima are listed', () => {
    const kinds = (id: keyof typeof BUILT_IN_SURFACES) => BUILT_IN_SURFACES[id].minima.map((m) => m.kind);
    expect(kinds('himmelblau')).toEqual(['global', 'global', 'global', 'global']);
    expect(kinds('six-hump-camel').filter((k) => k === 'global')).toHaveLength(2);
    expect(kinds('six-hump-camel').filter((k) => k === 'local')).toHaveLength(4);
    expect(BUILT_IN_SURFACES['goldstein-price'].minima[0]).toEqual({ x: 0, y: -1, value: 3, kind: 'global' });
    const st = BUILT_IN_SURFACES['styblinski-tang'].minima[0];
    expect([st.x, st.y, st.value]).toEqual([
      expect.closeTo(-2.903534, 6),
      expect.closeTo(-2.903534, 6),
      expect.closeTo(-78.33234, 4),
    ]);
    expect(BUILT_IN_SURFACES.saddle.minima).toEqual([]);
    expect(BUILT_IN_SURFACES.saddle.saddles).toEqual([{ x: 0, y: 0, value: 0 }]);
  });

  test('the bowl is 0.5·(κu² + v²) in axes turned by θ, with L = κ and stability bound 2/κ', () => {
    const turned = bowl({ condition: 4, rotation: 90 });
    // θ = 90°: u = y, v = −x, so f(1, 2) = 0.5·(4·4 + 1) = 8.5.
    expect(valueAndGradientNorm(turned, 1, 2)[0]).toBeCloseTo(8.5, 5);
    expect(valueAndGradientNorm(bowl({ condition: 4, rotation: 0 }), 1, 2)[0]).toBeCloseTo(4, 5);
    expect(turned.L).toBe(4);
    expect(stabilityBound(turned)).toBe(0.5);
    expect(stabilityBound({ id: 'bowl', condition: 25, rotation: 10 })).toBe(0.08);
    expect(stabilityBound('rosenbrock')).toBeUndefined();
    expect(() => bowl({ condition: 0.5, rotation: 0 })).toThrow(RangeError);
  });
});

describe('surface specs', () => {
  test('a string is a built-in id, or else a formula', () => {
    const builtIn = resolveSurface('himmelblau');
    expect(builtIn.ok && builtIn.surface).toBe(BUILT_IN_SURFACES.himmelblau);
    const formula = resolveSurface(HIMMELBLAU_FORMULA);
    expect(formula.ok && [formula.surface.id, formula.surface.formula, formula.surface.domain]).toEqual([
      'formula',
      HIMMELBLAU_FORMULA,
      { x: [-5, 5], y: [-5, 5] },
    ]);
  });

  test('bad specs give an error for the field they came from', () => {
    expect(resolveSurface('x + foo(y)')).toEqual({
      ok: false,
      error: { field: 'formula', message: "Unknown name 'foo' at position 4", position: 4 },
    });
    expect(resolveSurface({ formula: 'x', domain: { x: [1, -1], y: [0, 1] } })).toEqual({
      ok: false,
      error: { field: 'domain', message: 'The x range must be two finite numbers, low < high; got [1, -1]' },
    });
    expect(resolveSurface({ id: 'bowl', condition: 0, rotation: 0 })).toMatchObject({ ok: false, error: { field: 'condition' } });
    expect(resolveSurface({ id: 'bowl', condition: 2, rotation: NaN })).toMatchObject({ ok: false, error: { field: 'rotation' } });
  });

  test('surfaceGrid evaluates cell centres, row 0 at the lowest y', async () => {
    // Cell centres of a 2 × 2 grid on [−5, 5]² are ±2.5.
    expect(Array.from(await surfaceGrid('x + 10*y', 2))).toEqual([-27.5, -22.5, 22.5, 27.5]);
    expect(gridStart(2, { x: [-5, 5], y: [-5, 5] }, 1, 0)).toEqual([2.5, -2.5]);
  });
});

describe('trajectories follow the optimizer of core/optim', () => {
  const a = 4;
  const flatInY = { id: 'bowl' as const, condition: a, rotation: 0 };

  test('gradient descent on a·x²/2 follows x_k = (1 − lr·a)^k·x0', async () => {
    const lr = 0.1;
    for (const surface of [flatInY, `0.5*${a}*x^2 + 0*y`]) {
      const { points, values } = await trajectory({
        surface,
        optimizer: { kind: 'sgd', lr },
        start: [1.5, 0],
        steps: 20,
      });
      expect(points).toHaveLength(21);
      expect(points[0]).toEqual([1.5, 0]);
      points.forEach(([x, y], k) => {
        const expected = (1 - lr * a) ** k * 1.5;
        expect(Math.abs(x - expected) / Math.abs(expected)).toBeLessThan(1e-6);
        expect(y).toBe(0);
        expect(values[k]).toBeCloseTo(0.5 * a * expected * expected, 6);
      });
    }
  });

  test('gradient descent diverges exactly when lr > 2/a', async () => {
    const bound = 2 / a;
    const steps = 400;
    const sweep = await lrSweep({
      surface: flatInY,
      optimizer: { kind: 'sgd', lr: 1 },
      start: [1, 0],
      steps,
      lrs: [0.99 * bound, 1.01 * bound],
    });
    expect(sweep.diverged).toEqual([false, true]);
    expect(sweep.threshold).toBe(1.01 * bound);
    // |1 − lr·a| = 0.98 and 1.02: f = 2·x² shrinks and grows geometrically.
    expect(sweep.finalLoss[0]).toBeCloseTo(0.5 * a * 0.98 ** (2 * steps), 6);
    expect(sweep.finalLoss[1] / (0.5 * a * 1.02 ** (2 * steps))).toBeCloseTo(1, 3);
  });

  test("Adam's first step moves each coordinate by lr", async () => {
    const lr = 0.05;
    const { points } = await trajectory({
      surface: 'rosenbrock',
      optimizer: { kind: 'adam', lr },
      start: [-1.2, 1],
      steps: 1,
    });
    // ∇f(−1.2, 1) = (−215.6, −88): both coordinates step up by lr.
    expect(points[1][0] - points[0][0]).toBeCloseTo(lr, 6);
    expect(points[1][1] - points[0][1]).toBeCloseTo(lr, 6);
  });

  test('gradient descent on Himmelblau from the origin reaches the minimum (3, 2)', async () => {
    const { points, values } = await trajectory({
      surface: 'himmelblau',
      optimizer: { kind: 'sgd', lr: 0.01 },
      start: [0, 0],
      steps: 100,
    });
    const [x, y] = points[100];
    expect(Math.abs(x - 3)).toBeLessThan(1e-3);
    expect(Math.abs(y - 2)).toBeLessThan(1e-3);
    expect(values[0]).toBe(170);
    expect(values[100]).toBeLessThan(1e-6);
  });

  test('Himmelblau typed as a formula gives the same trajectory as the built-in', async () => {
    const run = (surface: string) =>
      trajectory({ surface, optimizer: { kind: 'momentum', lr: 0.005, momentum: 0.9 }, start: [-1, -4], steps: 60 });
    const [builtIn, typed] = await Promise.all([run('himmelblau'), run(HIMMELBLAU_FORMULA)]);
    typed.points.forEach(([x, y], k) => {
      expect(x).toBeCloseTo(builtIn.points[k][0], 5);
      expect(y).toBeCloseTo(builtIn.points[k][1], 5);
    });
  });

  test('progress is reported every chunk of steps, and an abort rejects and frees every tensor', async () => {
    const spec = { surface: 'beale', optimizer: { kind: 'adam' as const, lr: 0.01 }, start: [1, 1] as [number, number] };
    const seen: number[] = [];
    await trajectory({ ...spec, steps: 120 }, { onProgress: (done) => seen.push(done) });
    expect(seen).toEqual([50, 100, 120]);

    const baseline = tf.memory().numTensors;
    const controller = new AbortController();
    const run = trajectory({ ...spec, steps: 1000 }, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('batched runs', () => {
  test('lrSweep on the bowl finds the divergence threshold within one grid step of 2/L', async () => {
    const surface = bowl({ condition: 10, rotation: 30 });
    const range = { low: 1e-3, high: 1, count: 41 };
    const lrs = logSpace(range);
    const gridStep = lrs[1] / lrs[0];
    expect(gridStep).toBeCloseTo(10 ** (3 / 40), 12);
    const sweep = await lrSweep({ surface, optimizer: { kind: 'sgd', lr: 0.1 }, start: [1, 1], steps: 100, lrs: range });
    const bound = stabilityBound(surface)!;
    expect(bound).toBe(0.2);
    expect(sweep.lrs).toEqual(lrs);
    expect(sweep.threshold).toBeGreaterThan(bound);
    expect(sweep.threshold).toBeLessThan(bound * gridStep);
    expect(sweep.diverged).toEqual(lrs.map((lr) => lr >= sweep.threshold!));
  });

  test('basinMap on Himmelblau finds its four basins', async () => {
    const size = 32;
    const map = await basinMap({
      surface: 'himmelblau',
      optimizer: { kind: 'sgd', lr: 0.01 },
      grid: { size },
      steps: 300,
    });
    expect(map.labels).toHaveLength(size * size);
    // Float64 reference (numpy, the same grid and steps): 261, 267, 241, 255 starts and none lost.
    expect(map.counts).toEqual([261, 267, 241, 255]);
    expect([map.diverged, map.notConverged, map.shareGlobal]).toEqual([0, 0, 1]);
    // Each start next to a minimum ends in that minimum.
    BUILT_IN_SURFACES.himmelblau.minima.forEach((m, index) => {
      const i = Math.floor(((m.x + 5) / 10) * size);
      const j = Math.floor(((m.y + 5) / 10) * size);
      expect(map.labels[j * size + i]).toBe(index);
    });
  });

  test('basinMap labels divergence and starts that have not arrived', async () => {
    const saddle = await basinMap({ surface: 'saddle', optimizer: { kind: 'sgd', lr: 0.1 }, grid: { size: 4 }, steps: 200 });
    expect(saddle.diverged).toBe(16);
    expect(Array.from(saddle.labels)).toEqual(new Array(16).fill(DIVERGED));
    expect(saddle.shareGlobal).toBe(0);
    const early = await basinMap({ surface: 'rosenbrock', optimizer: { kind: 'sgd', lr: 1e-4 }, grid: { size: 4 }, steps: 5 });
    expect(Array.from(early.labels)).toEqual(new Array(16).fill(NOT_CONVERGED));
    expect(early.counts).toEqual([0]);
  });

  test('the landscape functions leave no tensor behind', async () => {
    const baseline = tf.memory().numTensors;
    await trajectory({ surface: 'ackley', optimizer: { kind: 'rmsprop', lr: 0.01 }, start: [2, -1], steps: 70 });
    await basinMap({ surface: 'six-hump-camel', optimizer: { kind: 'adam', lr: 0.02 }, grid: { size: 8 }, steps: 60 });
    await lrSweep({ surface: 'beale', optimizer: { kind: 'nesterov', lr: 0.1, momentum: 0.9 }, start: [1, 1], steps: 60, lrs: { low: 1e-4, high: 1e-1, count: 5 } });
    await surfaceGrid('goldstein-price', 16);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { bowl, logSpace, lrSweep } from '../../src/core/landscape';
import { descend } from '../../src/core/landscape/descent';
import { SWEEP_RANGE } from '../../src/core/landscape/lab-spec';
import { classifySweep, lossCurve, pickCurveLrs, regionSpans, type SweepRuns } from '../../src/ui/lab/sweep-regions';

/**
 * Gradient descent on f = x²/2 from (1, 0), by hand: x_k = (1 − lr)^k, so each rate's regime
 * is known in advance.
 */
function handRuns(lrs: number[], steps: number): SweepRuns {
  const n = lrs.length;
  const values = new Float32Array((steps + 1) * n);
  const path = new Float32Array((steps + 1) * n * 2);
  lrs.forEach((lr, r) => {
    for (let k = 0; k <= steps; k++) {
      const x = (1 - lr) ** k;
      path[2 * (k * n + r)] = x;
      values[k * n + r] = x * x / 2;
    }
  });
  return { lrs, diverged: lrs.map((lr) => lr > 2), steps, values, path };
}

describe('sweep regimes from hand-computed runs', () => {
  const lrs = [0.001, 0.01, 0.5, 0.9, 1.5, 1.9, 2.1, 3];
  const runs = handRuns(lrs, 20);

  test('too small, good, oscillating and diverging, in that order', () => {
    // 0.01: 1 − 0.99^40 = 33% of the drop; 0.5 and 0.9 do > 99.99%; above 1 every step flips sign.
    expect(classifySweep(runs)).toEqual(['too-small', 'too-small', 'good', 'good', 'oscillating', 'oscillating', 'diverging', 'diverging']);
  });

  test('a run that ends higher than it started diverges even when it stayed on the plot', () => {
    const notFar = { ...runs, diverged: lrs.map(() => false) };
    expect(classifySweep(notFar).slice(6)).toEqual(['diverging', 'diverging']);
  });

  test('bands meet halfway on the log axis between neighbouring rates', () => {
    const spans = regionSpans(lrs, classifySweep(runs));
    expect(spans.map((s) => s.region)).toEqual(['too-small', 'good', 'oscillating', 'diverging']);
    expect(spans[0].from).toBe(0.001);
    expect(spans[0].to).toBeCloseTo(Math.sqrt(0.01 * 0.5), 12);
    expect(spans[2].to).toBeCloseTo(Math.sqrt(1.9 * 2.1), 12);
    expect(spans[3].to).toBe(3);
  });

  test('one curve per regime: the middle rate of each band', () => {
    expect(pickCurveLrs(lrs, classifySweep(runs))).toEqual([0.001, 0.5, 1.5, 2.1]);
    expect(Array.from(lossCurve(runs, 2).slice(0, 3))).toEqual([0.5, 0.125, 0.03125]);
  });
});

describe('sweep regimes on the bowl, from the engine', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  test('L = 10: oscillating exactly from 2/(L + 1), diverging exactly above 2/L, as lrSweep finds', async () => {
    const surface = bowl({ condition: 10, rotation: 30 });
    const start: [number, number] = [-1.5, 1.5];
    const lrs = logSpace(SWEEP_RANGE);
    const sweep = await lrSweep({ surface, optimizer: { kind: 'sgd', lr: 0.1 }, start, steps: 100, lrs });
    const starts = new Float64Array(2 * lrs.length);
    for (let r = 0; r < lrs.length; r++) starts.set(start, 2 * r);
    const end = await descend({ surface, optimizer: { kind: 'sgd', lr: 0.1 }, starts, steps: 100, lrs: Float64Array.from(lrs), recordPath: true });
    // As the worker sends them to the page.
    const [values, path] = [Float32Array.from(end.pathValues!), Float32Array.from(end.path!)];
    const regions = classifySweep({ lrs, diverged: sweep.diverged, steps: 100, values, path });

    expect(regions.filter((r) => r === 'diverging').length).toBe(lrs.filter((lr) => lr > 0.2).length);
    expect(lrs[regions.indexOf('diverging')]).toBe(sweep.threshold);
    // Between 2/11 and 2/10 the steep direction shrinks slower than the flat one, and flips every step.
    lrs.forEach((lr, i) => {
      if (lr > 2 / 11 && lr < 0.2) expect(regions[i]).toBe('oscillating');
      if (lr < 0.1) expect(regions[i]).not.toBe('oscillating');
    });
    const order = ['too-small', 'good', 'oscillating', 'diverging'];
    for (let i = 1; i < regions.length; i++) expect(order.indexOf(regions[i])).toBeGreaterThanOrEqual(order.indexOf(regions[i - 1]));
    expect(regions[0]).toBe('too-small');
    expect(regions).toContain('good');
  });
});

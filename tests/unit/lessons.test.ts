import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { basinMap, lrSweep, stabilityBound, trajectory } from '../../src/core/landscape';
import { labSurface, validateLab } from '../../src/core/landscape/lab-spec';
import { LESSONS } from '../../src/core/landscape/lessons';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const lesson = (id: string) => LESSONS.find((l) => l.id === id)!.setup;
const paths = (id: string) => {
  const s = lesson(id);
  return Promise.all(s.optimizers.map((optimizer) => trajectory({ surface: labSurface(s), optimizer, start: s.start, steps: s.steps })));
};
const last = (t: { values: number[] }) => t.values.at(-1)!;

describe('lessons show what their text says', () => {
  test('there are at least eight, each a valid lab setup', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(8);
    LESSONS.forEach((l) => expect(validateLab(l.setup)).toMatchObject({ ok: true }));
  });

  test('learning rates: too small is still far, right arrives, oscillating settles, diverging flies off', async () => {
    const [small, right, oscillating, diverging] = await paths('learning-rates');
    expect(last(small)).toBeGreaterThan(0.1 * small.values[0]);
    expect(last(right)).toBeLessThan(1e-6);
    expect(Math.sign(oscillating.points[1][0])).toBe(-Math.sign(oscillating.points[0][0]));
    expect(last(oscillating)).toBeLessThan(oscillating.values[0] * 1e-3);
    expect(last(diverging)).toBeGreaterThan(diverging.values[0] * 10);
  });

  test('stability bound: the sweep diverges exactly above 2/L', async () => {
    const s = lesson('stability-bound');
    const sweep = await lrSweep({ surface: labSurface(s), optimizer: s.optimizers[0], start: s.start, steps: s.steps, lrs: { low: 1e-3, high: 1, count: 60 } });
    const bound = stabilityBound(labSurface(s))!;
    expect(bound).toBeCloseTo(0.2, 10);
    sweep.lrs.forEach((lr, i) => expect(sweep.diverged[i]).toBe(lr > bound * 1.02 ? true : lr < bound * 0.98 ? false : sweep.diverged[i]));
  });

  test('momentum crosses the ravine long before gradient descent', async () => {
    const [sgd, momentum] = await paths('momentum-ravine');
    expect(last(momentum)).toBeLessThan(last(sgd) / 10);
  });

  test("Adam walks down Rosenbrock's valley where SGD barely moves", async () => {
    const [sgd, adam] = await paths('adam-rosenbrock');
    expect(last(sgd)).toBeGreaterThan(1);
    expect(last(adam)).toBeLessThan(last(sgd) / 10);
  });

  test('gradient descent waits at the saddle while Adam leaves', async () => {
    const [sgd, adam] = await paths('saddle');
    expect(Math.abs(sgd.points.at(-1)![1])).toBeLessThan(0.1);
    expect(Math.abs(sgd.points.at(-1)![0])).toBeLessThan(0.3);
    expect(Math.abs(adam.points.at(-1)![1])).toBeGreaterThan(1);
  });

  test('basins: four on Himmelblau; momentum reaches the global minima of the camel more often', async () => {
    const h = lesson('himmelblau-basins');
    const himmelblau = await basinMap({ surface: h.surface, optimizer: h.optimizers[0], grid: { size: 24 }, steps: h.steps });
    expect(himmelblau.counts.filter((c) => c > 0)).toHaveLength(4);
    const c = lesson('six-hump-trap');
    const [sgd, momentum] = await Promise.all(c.optimizers.map((optimizer) => basinMap({ surface: c.surface, optimizer, grid: { size: 24 }, steps: c.steps })));
    expect(sgd.shareGlobal).toBeGreaterThan(0.3);
    expect(sgd.shareGlobal).toBeLessThan(0.7);
    expect(momentum.shareGlobal).toBeGreaterThan(sgd.shareGlobal);
  });

  test('RMSProp and Adagrad shrink both directions while SGD is still far out', async () => {
    const [sgd, rmsprop, adagrad] = await paths('adaptive-scaling');
    expect(last(rmsprop)).toBeLessThan(last(sgd) / 5);
    expect(last(adagrad)).toBeLessThan(last(sgd) / 5);
  });

  test("Rastrigin traps most starts in a ripple", async () => {
    const r = lesson('rastrigin');
    const map = await basinMap({ surface: r.surface, optimizer: r.optimizers[0], grid: { size: 24 }, steps: r.steps });
    expect(map.shareGlobal).toBeLessThan(0.2);
  });
});

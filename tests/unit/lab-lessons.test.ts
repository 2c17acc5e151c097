import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, test } from 'vitest';
import { basinMap, DIVERGED, lrSweep, NOT_CONVERGED, resolveSurface, stabilityBound, trajectory, type Trajectory } from '../../src/core/landscape';
import { labSurface, SWEEP_RANGE, validateLab } from '../../src/core/landscape/lab-spec';
import { findLesson, LESSONS, validateLessonLab, type LessonStep } from '../../src/core/landscape/lessons';
import type { LabSpec } from '../../src/core/landscape/lab-spec';
import type { OptimizerSpec } from '../../src/core/optim/types';
import { validateExperiment } from '../../src/core/spec/schema';

let baseline = 0;
beforeAll(async () => {
  await tf.setBackend('cpu');
  baseline = tf.memory().numTensors;
});

const lesson = (id: string) => findLesson(id)!.setup;
const paths = (id: string) => {
  const s = lesson(id);
  return Promise.all(s.optimizers.map((optimizer) => trajectory({ surface: labSurface(s), optimizer, start: s.start, steps: s.steps })));
};
const last = (t: Trajectory) => t.values.at(-1)!;
const end = (t: Trajectory) => t.points.at(-1)!;
/** Index of the surface's minimum within 0.01 of a point, or -1. */
const minimumAt = (id: string, [x, y]: [number, number]) => {
  const r = resolveSurface(id);
  if (!r.ok) throw new Error(id);
  return r.surface.minima.findIndex((m) => Math.hypot(m.x - x, m.y - y) < 0.01);
};

/** A number as a step's text writes it: not as part of a longer number. */
const number = (v: number) => new RegExp(`(?<![\\d.])${String(v).replace('.', '\\.')}(?![\\d])`);
/** How a step's text names each optimizer. */
const KIND_NAMES: Record<string, RegExp> = { sgd: /[Gg]radient descent/, momentum: /[Mm]omentum/, nesterov: /Nesterov/, adam: /Adam\b/, adamw: /AdamW/, rmsprop: /RMSProp/, adagrad: /Adagrad/ };
/** How a step's text names each view. */
const VIEW_NAMES: Record<LabSpec['view'], RegExp> = { paths: /path/, basins: /map of every start|map colours every start/, sweep: /sweep of sixty-four learning rates/ };
/** How a step's text names each surface. */
const SURFACE_NAMES: Record<string, RegExp> = { bowl: /bowl/, rosenbrock: /Rosenbrock/, saddle: /saddle/, himmelblau: /Himmelblau/, 'six-hump-camel': /six-hump camel/, rastrigin: /Rastrigin/ };

/** What a text must say of an optimizer it brings in: its learning rate and other settings, and its name unless `known` (one of its kind is already shown). */
function expectNamesOptimizer(text: string, o: OptimizerSpec, where: string, known = false) {
  if (!known) expect(text, where).toMatch(KIND_NAMES[o.kind]);
  for (const [key, v] of Object.entries(o)) if (key !== 'kind') expect(text, `${where}: ${key}`).toMatch(number(v as number));
}

/** The settings of the lab (and the training link) that differ from one step to the next. */
function changedFields(before: LessonStep, after: LessonStep): string[] {
  const fields = (Object.keys(after.setup) as (keyof LabSpec)[]).filter((k) => k !== 'lessonStep' && JSON.stringify(before.setup[k]) !== JSON.stringify(after.setup[k]));
  return JSON.stringify(before.training) === JSON.stringify(after.training) ? fields : [...fields, 'training'];
}

describe('lesson narratives', () => {
  test('every lesson has steps, each a valid setup of its lesson numbered from 1, the last its whole picture', () => {
    for (const l of LESSONS) {
      expect(l.steps.length, l.id).toBeGreaterThanOrEqual(2);
      l.steps.forEach((st, k) => {
        expect(validateLessonLab(st.setup), `${l.id} step ${k + 1}`).toEqual({ ok: true, spec: st.setup });
        expect(st.setup).toMatchObject({ lesson: l.id, lessonStep: k + 1 });
        expect(st.text.split(/[.!?](\s|$)/).filter((x) => x.trim().length > 2).length, `${l.id} step ${k + 1}`).toBeLessThanOrEqual(2);
      });
      expect(l.steps.at(-1)!.setup, l.id).toEqual(l.setup);
    }
  });

  test("the first step's text names its surface and every optimizer it shows", () => {
    for (const l of LESSONS) {
      const [first] = l.steps;
      expect(first.text, l.id).toMatch(SURFACE_NAMES[first.setup.surface]);
      first.setup.optimizers.forEach((o, k) => expectNamesOptimizer(first.text, o, `${l.id} optimizer ${k + 1}`));
    }
  });

  test('each later step changes something, and its text names what it changes: the new optimizers, the view, the start, the training', () => {
    for (const l of LESSONS) {
      for (let k = 1; k < l.steps.length; k++) {
        const [before, after] = [l.steps[k - 1], l.steps[k]];
        const where = `${l.id} step ${k + 1}`;
        const changed = changedFields(before, after);
        expect(changed.length, where).toBeGreaterThan(0);
        for (const field of changed) {
          if (field === 'optimizers') {
            after.setup.optimizers.forEach((o, i) => {
              const known = before.setup.optimizers.some((b) => b.kind === o.kind);
              if (JSON.stringify(o) !== JSON.stringify(before.setup.optimizers[i])) expectNamesOptimizer(after.text, o, `${where} optimizer ${i + 1}`, known);
            });
          } else if (field === 'view') expect(after.text, where).toMatch(VIEW_NAMES[after.setup.view]);
          else if (field === 'start') after.setup.start.forEach((v) => expect(after.text, where).toMatch(number(v)));
          else if (field === 'training') expect(after.text, where).toMatch(number(after.training!.spec.training.batchSize));
          else throw new Error(`${where} changes ${field}, which no rule of this test reads`);
        }
      }
    }
  });

  test('the steps that claim a behaviour show it: the saddle lets a start off the ridge go, stability converges at 0.1, Rastrigin traps in a ripple', async () => {
    const saddle = findLesson('saddle')!.steps;
    const off = await trajectory({ surface: 'saddle', optimizer: saddle[0].setup.optimizers[0], start: saddle[0].setup.start, steps: saddle[0].setup.steps });
    // |y| grows by 1.02 a step: 0.5 · 1.02^100 ≈ 3.6, past the plot's edge at 2.
    expect(Math.abs(end(off)[1])).toBeCloseTo(0.5 * 1.02 ** 100, 6);
    const stuck = await trajectory({ surface: 'saddle', optimizer: saddle[1].setup.optimizers[0], start: saddle[1].setup.start, steps: saddle[1].setup.steps });
    expect(Math.hypot(...end(stuck))).toBeLessThan(0.3);

    const stable = findLesson('stability-bound')!.steps[0].setup;
    const [path] = await Promise.all(stable.optimizers.map((optimizer) => trajectory({ surface: labSurface(stable), optimizer, start: stable.start, steps: stable.steps })));
    // The flat direction (curvature 1) shrinks by 0.9 a step, the steep one (curvature 10) is solved in one.
    expect(last(path) / path.values[0]).toBeLessThan(0.9 ** 180);

    const ripple = findLesson('rastrigin')!.steps[0].setup;
    const fallen = await trajectory({ surface: ripple.surface, optimizer: ripple.optimizers[0], start: ripple.start, steps: ripple.steps });
    // The ripple's bottom near (2, 2): each coordinate's term x² − 10·cos(2πx) is lowest at 1.99, about 3.98 above the global minimum's.
    expect(Math.hypot(end(fallen)[0] - 2, end(fallen)[1] - 2)).toBeLessThan(0.05);
    expect(last(fallen)).toBeCloseTo(2 * 3.98, 1);
  });
});

describe('lessons show what their text says', () => {
  test('there are at least eight, each a valid lab setup that starts inside its surface', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(8);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const l of LESSONS) {
      expect(validateLab(l.setup)).toMatchObject({ ok: true });
      expect(l.setup.lesson).toBe(l.id);
      const r = resolveSurface(labSurface(l.setup));
      if (!r.ok) throw new Error(l.id);
      const [x, y] = l.setup.start;
      expect(x >= r.surface.domain.x[0] && x <= r.surface.domain.x[1] && y >= r.surface.domain.y[0] && y <= r.surface.domain.y[1], l.id).toBe(true);
      // Two or three sentences: short enough to read out.
      expect(l.text.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 2).length, l.id).toBeLessThanOrEqual(4);
    }
  });

  test('learning rates: too small is still far, right arrives, oscillating settles, diverging flies off', async () => {
    const [small, right, oscillating, diverging] = await paths('learning-rates');
    // 0.02 on f = (x² + y²)/2 shrinks the distance by 0.98 a step: 0.98^80 ≈ 0.2 of the loss is left.
    expect(last(small) / small.values[0]).toBeCloseTo(0.98 ** 80, 3);
    expect(last(right)).toBeLessThan(1e-12);
    for (let k = 1; k <= 40; k++) expect(Math.sign(oscillating.points[k][0])).toBe(k % 2 ? 1 : -1);
    expect(last(oscillating) / oscillating.values[0]).toBeCloseTo(0.8 ** 80, 9);
    expect(last(diverging) / diverging.values[0]).toBeCloseTo(1.05 ** 80, 0);
  });

  test('stability bound: in the 64-rate sweep the first diverging rate is the first one above 2/L = 0.2', async () => {
    const s = lesson('stability-bound');
    const sweep = await lrSweep({ surface: labSurface(s), optimizer: s.optimizers[0], start: s.start, steps: s.steps, lrs: SWEEP_RANGE });
    expect(stabilityBound(labSurface(s))).toBeCloseTo(0.2, 12);
    const first = sweep.lrs.findIndex((lr) => lr > 0.2);
    expect(sweep.threshold).toBe(sweep.lrs[first]);
    expect(sweep.diverged).toEqual(sweep.lrs.map((lr) => lr > 0.2));
  });

  test('momentum is ten times closer than gradient descent after 100 steps in the ravine', async () => {
    const [sgd, momentum] = await paths('momentum-ravine');
    expect(Math.hypot(...end(momentum))).toBeLessThan(Math.hypot(...end(sgd)) / 10);
  });

  test("Adam walks down Rosenbrock's valley where SGD barely moves", async () => {
    const [sgd, adam] = await paths('adam-rosenbrock');
    expect(last(sgd)).toBeGreaterThan(1);
    expect(last(adam)).toBeLessThan(last(sgd) / 10);
    const toMinimum = ([x, y]: [number, number]) => Math.hypot(x - 1, y - 1);
    expect(toMinimum(end(adam))).toBeLessThan(toMinimum(end(sgd)) / 2);
  });

  test('gradient descent waits at the saddle while Adam leaves', async () => {
    const [sgd, adam] = await paths('saddle');
    expect(Math.hypot(...end(sgd))).toBeLessThan(0.3);
    expect(Math.abs(end(adam)[1])).toBeGreaterThan(1);
  });

  test('the saddle holds exactly the starts within 0.11 of its ridge; all others slide off', async () => {
    const s = lesson('saddle-stall');
    const map = await basinMap({ surface: s.surface, optimizer: s.optimizers[0], grid: { size: 24 }, steps: s.steps });
    // |y| grows by 1.02 a step: 1.02^300 ≈ 380, and a start diverges beyond 2 + 10 widths = 42.
    for (let j = 0; j < 24; j++) {
      const y = -2 + ((j + 0.5) * 4) / 24;
      const expected = Math.abs(y) * 1.02 ** 300 > 42 ? DIVERGED : NOT_CONVERGED;
      for (let i = 0; i < 24; i++) expect(map.labels[j * 24 + i]).toBe(expected);
    }
    expect(map.notConverged).toBe(48);
    // The closer to the ridge, the longer the stall: steps until |y| passes 1.
    const escape = async (y: number) => (await trajectory({ surface: 'saddle', optimizer: s.optimizers[0], start: [1.5, y], steps: 400 })).points.findIndex(([, py]) => Math.abs(py) > 1);
    const [near, far] = [await escape(0.01), await escape(0.1)];
    expect(near - far).toBe(Math.round(Math.log(10) / Math.log(1.02)));
  });

  test("Himmelblau's four basins are all reached", async () => {
    const h = lesson('himmelblau-basins');
    const map = await basinMap({ surface: h.surface, optimizer: h.optimizers[0], grid: { size: 24 }, steps: h.steps });
    expect(map.counts.every((c) => c > 0)).toBe(true);
    expect(map.shareGlobal).toBeGreaterThan(0.9);
  });

  test('six-hump camel: the small step ends in a local minimum, momentum in a global one, and momentum wins over all starts', async () => {
    const [sgd, momentum] = await paths('six-hump-trap');
    expect(minimumAt('six-hump-camel', end(sgd))).toBe(3); // local (1.70, −0.80)
    expect(minimumAt('six-hump-camel', end(momentum))).toBe(0); // global (0.09, −0.71)
    const c = lesson('six-hump-trap');
    const [a, b] = await Promise.all(c.optimizers.map((optimizer) => basinMap({ surface: c.surface, optimizer, grid: { size: 24 }, steps: c.steps })));
    expect(a.shareGlobal).toBeGreaterThan(0.35);
    expect(a.shareGlobal).toBeLessThan(0.65);
    expect(b.shareGlobal).toBeGreaterThan(a.shareGlobal);
  });

  test("Rastrigin traps most starts in a ripple", async () => {
    const r = lesson('rastrigin');
    const map = await basinMap({ surface: r.surface, optimizer: r.optimizers[0], grid: { size: 24 }, steps: r.steps });
    expect(map.shareGlobal).toBeLessThan(0.1);
    expect(map.counts.slice(1).reduce((a, b) => a + b, 0)).toBeGreaterThan(map.counts[0]);
  });

  test('RMSProp and Adagrad shrink both directions while SGD is still far out', async () => {
    const [sgd, rmsprop, adagrad] = await paths('adaptive-scaling');
    expect(Math.abs(end(sgd)[1])).toBeGreaterThan(0.2);
    expect(last(rmsprop)).toBeLessThan(last(sgd) / 5);
    expect(last(adagrad)).toBeLessThan(last(sgd) / 5);
  });

  test('full batch against mini-batch links two valid experiments that differ only in the batch size', () => {
    const [full, mini] = findLesson('mini-batch-noise')!.training!;
    expect(validateExperiment(full.spec)).toMatchObject({ ok: true });
    expect(validateExperiment(mini.spec)).toMatchObject({ ok: true });
    expect(full.spec.training.batchSize).toBe(150); // every training point: 300 × 0.5
    expect({ ...mini.spec, training: { ...mini.spec.training, batchSize: 150 } }).toEqual(full.spec);
  });

  test('no tensor is left behind', () => {
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

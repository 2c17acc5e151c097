import { describe, expect, test } from 'vitest';
import { DEFAULT_LAB, optimizerListValue, pointValue, numberListValue, validateLab, type LabSpec } from '../../src/core/landscape/lab-spec';
import { findLesson, LESSONS, validateLessonLab } from '../../src/core/landscape/lessons';
import { decodeLab, encodeLab } from '../../src/ui/lab/lab-link';

const lab = (change: Partial<LabSpec>): LabSpec => ({ ...structuredClone(DEFAULT_LAB), ...change });
const errorsOf = (input: unknown) => {
  const r = validateLab(input);
  return r.ok ? [] : r.errors;
};

describe('validateLab', () => {
  test('accepts the defaults and every lesson, and returns a copy', () => {
    const r = validateLab(DEFAULT_LAB);
    expect(r).toEqual({ ok: true, spec: DEFAULT_LAB });
    if (r.ok) expect(r.spec.optimizers).not.toBe(DEFAULT_LAB.optimizers);
    for (const l of LESSONS) expect(validateLab(l.setup).ok).toBe(true);
  });

  test('names the field and the allowed values of each refused setting', () => {
    expect(errorsOf(lab({ optimizers: [{ kind: 'sgd', lr: 0.1 }, { kind: 'adam', lr: -1 }] }))).toEqual([
      { path: 'optimizers.1.lr', message: 'The learning rate of optimizer 2 must be greater than 0 and at most 10 (got -1).' },
    ]);
    expect(errorsOf(lab({ optimizers: [{ kind: 'momentum', lr: 0.1, momentum: 1 }] }))).toEqual([
      { path: 'optimizers.0.momentum', message: 'The momentum μ of optimizer 1 must be at least 0 and less than 1 (got 1).' },
    ]);
    expect(errorsOf(lab({ steps: 2.5 }))).toEqual([{ path: 'steps', message: 'Steps must be a whole number from 1 to 2000 (got 2.5).' }]);
    expect(errorsOf(lab({ condition: 0.5 }))).toEqual([{ path: 'condition', message: 'The condition number must be from 1 to 1000 (got 0.5).' }]);
    expect(errorsOf(lab({ focus: 3 }))).toEqual([{ path: 'focus', message: 'The optimizer in focus must be a whole number from 0 to 2 (got 3).' }]);
    expect(errorsOf(lab({ view: 'map' as LabSpec['view'] }))).toEqual([{ path: 'view', message: 'The view must be one of paths, basins, sweep (got "map").' }]);
    expect(errorsOf(lab({ optimizers: [] }))).toEqual([{ path: 'optimizers', message: 'The lab compares 1 to 6 optimizers (got 0).' }]);
    expect(errorsOf(lab({ grid: 100 }))).toEqual([{ path: 'grid', message: "The basin map's starts per side must be one of 64, 128, 256, 512 (got 100)." }]);
    expect(errorsOf(lab({ rates: 2048 }))).toEqual([{ path: 'rates', message: "The sweep's number of learning rates must be one of 64, 128, 256, 512, 1024 (got 2048)." }]);
  });

  test('refuses a formula with the position of its error', () => {
    expect(errorsOf(lab({ surface: 'x^2 + foo(y)' }))).toEqual([{ path: 'surface', message: "Unknown name 'foo' at position 6" }]);
    expect(validateLab(lab({ surface: 'x^2 + 3*y^2' })).ok).toBe(true);
  });

  test('refuses unknown optimizer settings, prototype keys included, and non-objects', () => {
    const hostile = JSON.parse('{"kind":"sgd","lr":0.1,"__proto__":{"polluted":1}}');
    expect(errorsOf(lab({ optimizers: [hostile] }))).toEqual([{ path: 'optimizers.0', message: 'Optimizer 1 has an unknown setting "__proto__".' }]);
    expect(errorsOf(lab({ optimizers: [{ kind: 'sgd', lr: 0.1, nesterov: true } as never] }))[0].path).toBe('optimizers.0');
    expect(errorsOf(null)).toEqual([{ path: '', message: 'The lab setup must be an object (got null).' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('value codecs', () => {
  test('optimizer lists round-trip and refuse prototype names', () => {
    const list = [{ kind: 'sgd' as const, lr: 0.01 }, { kind: 'adam' as const, lr: 0.1, beta1: 0.8, eps: 1e-6, weightDecay: 0.01 }];
    expect(optimizerListValue.format(list)).toBe('sgd:0.01,adam:0.1:b1_0.8:e_0.000001:wd_0.01');
    expect(optimizerListValue.parse(optimizerListValue.format(list))).toEqual(list);
    expect(optimizerListValue.parse('sgd:0.1:__proto___1')).toBeUndefined();
    expect(optimizerListValue.parse('sgd:0.1:constructor_1')).toBeUndefined();
    expect(optimizerListValue.parse('sgd:1e-3:m_0.9')).toEqual([{ kind: 'sgd', lr: 0.001, momentum: 0.9 }]);
    expect(optimizerListValue.parse('sgd:0x10')).toBeUndefined();
    expect(optimizerListValue.parse('eval:1')).toBeUndefined();
  });

  test('points and number lists', () => {
    expect(pointValue.parse('-1.5,2')).toEqual([-1.5, 2]);
    expect(pointValue.parse('1,2,3')).toBeUndefined();
    expect(pointValue.parse('Infinity,1')).toBeUndefined();
    expect(numberListValue.parse('')).toEqual([]);
    expect(numberListValue.parse('0.01,1e-3')).toEqual([0.01, 0.001]);
    expect(numberListValue.parse('0.01,,1')).toBeUndefined();
  });
});

describe('the lab link', () => {
  test('the defaults are #/lab and a lesson is its name alone', () => {
    expect(encodeLab(DEFAULT_LAB)).toBe('#/lab');
    expect(encodeLab(findLesson('six-hump-trap')!.setup)).toBe('#/lab?lesson=six-hump-trap');
    expect(decodeLab('#/lab?lesson=six-hump-trap')).toEqual({ spec: findLesson('six-hump-trap')!.setup });
    expect(decodeLab('#/lab')).toEqual({ spec: DEFAULT_LAB });
  });

  test('writes only what differs from the lesson or the defaults, and reads it back exactly', () => {
    const saddle = { ...findLesson('saddle')!.setup, start: [1, 0.25] as [number, number], view: 'basins' as const };
    expect(encodeLab(saddle)).toBe('#/lab?lesson=saddle&start=1,0.25&view=basins');
    const own = lab({
      surface: '(x^2 + y - 11)^2 + sin(x*y)',
      optimizers: [{ kind: 'rmsprop', lr: 0.01, alpha: 0.9, momentum: 0.5 }, { kind: 'adamw', lr: 0.003, weightDecay: 0.1 }],
      start: [-0.1, 1e-7],
      steps: 777,
      view: 'sweep',
      focus: 1,
      curves: [0.001, 0.3],
      grid: 512,
      rates: 1024,
    });
    expect(encodeLab(own)).toBe(
      '#/lab?surface=(x%5E2%20%2B%20y%20-%2011)%5E2%20%2B%20sin(x*y)&opt=rmsprop:0.01:m_0.5:a_0.9,adamw:0.003:wd_0.1&start=-0.1,1e-7&steps=777&view=sweep&focus=1&curves=0.001,0.3&grid=512&rates=1024',
    );
    for (const spec of [own, saddle, ...LESSONS.map((l) => l.setup)]) expect(decodeLab(encodeLab(spec))).toEqual({ spec });
  });

  test('a malformed or hostile hash falls back, setting by setting, with a notice, and never throws', () => {
    const partly = decodeLab('#/lab?lesson=saddle&steps=-4&start=1,0.5');
    expect(partly.spec).toEqual({ ...findLesson('saddle')!.setup, start: [1, 0.5] });
    expect(partly.notice).toBe('Some settings in the link were ignored and their defaults used. steps: Steps must be a whole number from 1 to 2000 (got -4).');

    const hostile = [
      '#/lab?surface=%3Cimg%20src=x%20onerror=alert(1)%3E',
      '#/lab?opt=__proto__:1&constructor=1&__proto__=1',
      '#/lab?lesson=%E0%A4%A&view=%',
      `#/lab?surface=${'('.repeat(5000)}`,
      '#/lab?surface=' + '('.repeat(400) + 'x' + ')'.repeat(400),
      '#/lab?lesson=../../etc&focus=1e400&curves=1,2,3,4,5,6,7',
    ];
    for (const hash of hostile) {
      const { spec, notice } = decodeLab(hash);
      expect(validateLab(spec).ok, hash).toBe(true);
      expect(notice, hash).toMatch(/^(Some settings in the link were ignored|The link's settings could not be used)/);
    }
    expect(decodeLab(hostile[0]).spec).toEqual(DEFAULT_LAB);
    expect(({} as Record<string, unknown>)['1']).toBeUndefined();
  });

  test("a lesson step's link is the lesson and the step alone, and reproduces that step exactly", () => {
    const saddle = findLesson('saddle')!;
    expect(saddle.steps.map((st) => encodeLab(st.setup))).toEqual(['#/lab?lesson=saddle&lessonStep=1', '#/lab?lesson=saddle&lessonStep=2', '#/lab?lesson=saddle']);
    expect(decodeLab('#/lab?lesson=saddle&lessonStep=1')).toEqual({ spec: saddle.steps[0].setup });
    expect(decodeLab('#/lab?lesson=saddle&lessonStep=1').spec.start).toEqual([1.5, 0.5]);
    // A step moved on by hand writes what differs from that step.
    const moved = { ...saddle.steps[1].setup, view: 'basins' as const };
    expect(encodeLab(moved)).toBe('#/lab?lesson=saddle&lessonStep=2&view=basins');
    for (const l of LESSONS) for (const st of l.steps) expect(decodeLab(encodeLab(st.setup)), `${l.id} ${st.setup.lessonStep}`).toEqual({ spec: st.setup });
  });

  test('a step the lesson does not have falls back to its whole picture, with a notice', () => {
    const saddle = findLesson('saddle')!;
    expect(decodeLab('#/lab?lesson=saddle&lessonStep=4')).toEqual({
      spec: saddle.setup,
      notice: 'Some settings in the link were ignored and their defaults used. lessonStep: The lesson "Stuck at a saddle point" has steps 1 to 3 (got 4).',
    });
    expect(decodeLab('#/lab?lessonStep=2')).toEqual({
      spec: DEFAULT_LAB,
      notice: 'Some settings in the link were ignored and their defaults used. lessonStep: A setup without a lesson has no lesson step (got 2).',
    });
    expect(decodeLab('#/lab?lesson=saddle&lessonStep=1.5').notice).toBe(
      'Some settings in the link were ignored and their defaults used. lessonStep: The lesson step must be a whole number from 0 to 8 (got 1.5).',
    );
    expect(validateLessonLab({ ...DEFAULT_LAB, lesson: 'not-a-lesson', lessonStep: 1 })).toEqual({
      ok: false,
      errors: [{ path: 'lessonStep', message: 'Only a known lesson has steps (got step 1).' }],
    });
  });
});

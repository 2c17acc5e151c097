import type { DataSpec } from '../../src/core/data/types';
import { describe, expect, test, vi } from 'vitest';
import { ACTIVATIONS, FEATURES, type FeatureId } from '../../src/core/model/types';
import { OPTIMIZER_KINDS } from '../../src/core/optim/types';
import { DATASET_KINDS } from '../../src/core/data/types';
import { createRng, type Rng } from '../../src/core/random/prng';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { validateExperiment, type ValidationResult } from '../../src/core/spec/schema';
import type { ScheduleSpec } from '../../src/core/train/types';
import { createHashCodec, decodeExperiment, encodeExperiment, listValue, numberValue } from '../../src/runtime/url-state';

const DEFAULT_HASH =
  'data=circle&n=500&noise=0&split=0.5&dataSeed=1&features=x1,x2&hidden=4:tanh,2:tanh&l1=0&l2=0&dropout=0' +
  '&opt=adam&lr=0.03&batch=10&epochs=200&clip=0&patience=0&schedule=constant&seed=1';

/** A valid experiment with every field drawn at random, optional fields sometimes left out. */
function randomSpec(rng: Rng): ExperimentSpec {
  const pick = <T>(items: readonly T[]) => items[rng.int(items.length)];
  const maybe = (value: number) => (rng.next() < 0.5 ? value : undefined);
  const n = 10 + rng.int(1991);
  const trainRatio = rng.uniform(0.1, 0.9);
  const features = rng.shuffle([...FEATURES]).slice(0, 1 + rng.int(FEATURES.length)) as FeatureId[];
  const schedules: ScheduleSpec[] = [
    { kind: 'constant' },
    { kind: 'step', every: 1 + rng.int(100), gamma: rng.uniform(0.01, 1) },
    { kind: 'cosine', minFactor: rng.next() },
  ];
  const spec: ExperimentSpec = {
    version: 1,
    data: { kind: pick(DATASET_KINDS), n, noise: rng.uniform(0, 50), trainRatio, seed: rng.fork() },
    model: {
      features,
      hidden: Array.from({ length: rng.int(9) }, () => ({ units: 1 + rng.int(64), activation: pick(ACTIVATIONS) })),
      l1: rng.uniform(0, 10),
      l2: pick([0, 1e-4, 3e-3]),
      dropout: rng.uniform(0, 0.9),
    },
    optimizer: {
      kind: pick(OPTIMIZER_KINDS),
      lr: pick([1e-8, 0.1 + 0.2, 10, rng.uniform(1e-4, 1)]),
      momentum: maybe(rng.next()),
      alpha: maybe(0.99),
      beta1: maybe(0.9),
      beta2: maybe(rng.next()),
      eps: maybe(1e-8),
      weightDecay: maybe(rng.uniform(0, 0.1)),
    },
    training: {
      batchSize: 1 + rng.int(Math.round(n * trainRatio)),
      epochs: 1 + rng.int(10000),
      clipNorm: pick([0, 1, rng.uniform(0, 5)]),
      patience: rng.int(50),
      schedule: pick(schedules),
    },
    seed: rng.fork(),
  };
  for (const key of Object.keys(spec.optimizer) as (keyof typeof spec.optimizer)[]) {
    if (spec.optimizer[key] === undefined) delete spec.optimizer[key];
  }
  expect(validateExperiment(spec).ok).toBe(true);
  return spec;
}

describe('encodeExperiment', () => {
  test('writes the default experiment as a short readable hash, one parameter per setting', () => {
    expect(encodeExperiment(DEFAULT_EXPERIMENT)).toBe(DEFAULT_HASH);
  });

  test('writes optional optimizer settings only when set, and schedules with their numbers', () => {
    const spec = structuredClone(DEFAULT_EXPERIMENT);
    spec.optimizer = { kind: 'sgd', lr: 0.1, momentum: 0.9 };
    spec.training.schedule = { kind: 'step', every: 50, gamma: 0.5 };
    spec.model.hidden = [];
    const hash = encodeExperiment(spec);
    expect(hash).toContain('&opt=sgd&lr=0.1&momentum=0.9&batch=');
    expect(hash).toContain('&schedule=step:50:0.5&');
    expect(hash).toContain('&hidden=&');
    expect(hash).not.toContain('beta1');
  });
});

describe('decodeExperiment', () => {
  test('reads the default hash back as the default experiment, with or without "#" or a route', () => {
    for (const hash of [DEFAULT_HASH, `#${DEFAULT_HASH}`, `#/train?${DEFAULT_HASH}`, '', '#']) {
      expect(decodeExperiment(hash)).toEqual({ spec: DEFAULT_EXPERIMENT });
    }
  });

  test('encode then decode is the identity for valid specs', () => {
    const rng = createRng(2024);
    for (let i = 0; i < 200; i++) {
      const spec = randomSpec(rng);
      expect(decodeExperiment(encodeExperiment(spec))).toEqual({ spec });
    }
  });

  test('a partial hash keeps what it gives and takes the defaults for the rest', () => {
    const { spec, notice } = decodeExperiment('#data=spiral&noise=25&hidden=8:relu,8:relu,4:relu&lr=0.01');
    expect(notice).toBeUndefined();
    expect(spec.data).toEqual({ ...DEFAULT_EXPERIMENT.data, kind: 'spiral', noise: 25 });
    expect(spec.model.hidden).toEqual([
      { units: 8, activation: 'relu' },
      { units: 8, activation: 'relu' },
      { units: 4, activation: 'relu' },
    ]);
    expect(spec.optimizer).toEqual({ kind: 'adam', lr: 0.01 });
  });

  test('#lr=-1 gives the default learning rate and says why', () => {
    const { spec, notice } = decodeExperiment('#lr=-1');
    expect(spec).toEqual(DEFAULT_EXPERIMENT);
    expect(notice).toBe(
      'Some settings in the link were ignored and their defaults used. lr: Learning rate must be greater than 0 and at most 10 (got -1).',
    );
  });

  test('#activation=<script> is an unknown setting: ignored, and quoted as text', () => {
    const { spec, notice } = decodeExperiment('#activation=<script>alert(1)</script>');
    expect(spec).toEqual(DEFAULT_EXPERIMENT);
    expect(notice).toBe('Some settings in the link were ignored and their defaults used. "activation" is not a setting.');
  });

  test('script in a known value is refused by the schema', () => {
    const { spec, notice } = decodeExperiment('#data=%3Cscript%3E&hidden=4:<img onerror=x>&n=800');
    expect(spec).toEqual({ ...DEFAULT_EXPERIMENT, data: { ...DEFAULT_EXPERIMENT.data, n: 800 } });
    expect(notice).toContain('data: Dataset must be one of circle, xor, gauss, spiral, moons, plane, multigauss or a table (got "<script>").');
    expect(notice).toContain('hidden: Activation must be one of');
  });

  test('#n=1e309 (Infinity) and unreadable numbers fall back to the default', () => {
    const huge = decodeExperiment('#n=1e309');
    expect(huge.spec).toEqual(DEFAULT_EXPERIMENT);
    expect(huge.notice).toContain('n: Number of points must be a whole number from 10 to 2000 (got Infinity).');
    for (const bad of ['#n=0x20', '#n=', '#n', '#n=12abc', '#n=%E0%A4%A']) {
      const { spec, notice } = decodeExperiment(bad);
      expect(spec).toEqual(DEFAULT_EXPERIMENT);
      expect(notice).toBe('Some settings in the link were ignored and their defaults used. "n" could not be read.');
    }
  });

  test('garbage never throws and never yields an invalid spec', () => {
    const hostile = [
      '%%%&&==&=x', '#=', '#__proto__=1&constructor=2&toString=3', '#hidden=:::,,,', '#schedule=step:5',
      '#schedule=__proto__', '#features=', '#lr=NaN', '#seed=-0.5', `#${'n=1&'.repeat(2000)}`, '#data=circle&n=12',
      '#\u0000\uffff=\ud800', '#schedule=constant:1', '#hidden=4:tanh:extra',
    ];
    for (const hash of hostile) {
      const { spec, notice } = decodeExperiment(hash);
      expect(validateExperiment(spec).ok, hash).toBe(true);
      expect(typeof notice, hash).toBe('string');
    }
  });

  test('a hash too long to be a link of ours gives the defaults', () => {
    const { spec, notice } = decodeExperiment(`#data=xor&x=${'a'.repeat(5000)}`);
    expect(spec).toEqual(DEFAULT_EXPERIMENT);
    expect(notice).toBe("The link's settings could not be used, so the defaults are shown. The link is too long to be one of tunelab's.");
  });

  test('a table link of 20 MB is refused before its table is read', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const { spec, notice } = decodeExperiment(`#/train?table=${encodeURIComponent(JSON.stringify({ kind: 'table', pad: 'x'.repeat(20 << 20) }))}`);
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    expect(spec).toEqual(DEFAULT_EXPERIMENT);
    expect(notice).toBe("The link's settings could not be used, so the defaults are shown. The link is too long to be one of tunelab's.");
  });

  test('a setting given twice keeps the first', () => {
    const { spec, notice } = decodeExperiment('n=100&n=200');
    expect((spec.data as DataSpec).n).toBe(100);
    expect(notice).toContain('"n" is given twice; the first is used.');
  });

  test('a bad schedule falls back to the default schedule alone', () => {
    const { spec, notice } = decodeExperiment('lr=0.2&schedule=step:0:0.5');
    expect(spec.optimizer.lr).toBe(0.2);
    expect(spec.training.schedule).toEqual({ kind: 'constant' });
    expect(notice).toContain('schedule: Step every (epochs) must be a whole number at least 1 (got 0).');
  });

  test('a conflict the bad fields alone cannot resolve gives the whole default experiment', () => {
    const { spec, notice } = decodeExperiment('#n=10&split=0.2');
    expect(spec).toEqual(DEFAULT_EXPERIMENT);
    expect(notice).toBe(
      "The link's settings could not be used, so the defaults are shown. Batch size must be at most the training-set size, 2 points (got 10).",
    );
  });

  test('the decoded spec is a copy: editing it leaves the defaults alone', () => {
    const { spec } = decodeExperiment('');
    spec.model.hidden[0].units = 64;
    const fallback = decodeExperiment(`#${'x'.repeat(5000)}`).spec;
    (fallback.data as DataSpec).n = 11;
    expect(DEFAULT_EXPERIMENT.model.hidden[0].units).toBe(4);
    expect((DEFAULT_EXPERIMENT.data as DataSpec).n).toBe(500);
  });
});

describe('createHashCodec', () => {
  interface View {
    zoom: number;
    layers: string[];
  }
  const defaults: View = { zoom: 1, layers: ['grid'] };
  const validate = (input: unknown): ValidationResult<View> => {
    const view = input as View;
    return view.zoom > 0
      ? { ok: true, spec: view }
      : { ok: false, errors: [{ path: 'zoom', message: `Zoom must be greater than 0 (got ${view.zoom}).` }] };
  };
  const codec = createHashCodec<View>(
    [
      { name: 'z', path: 'zoom', type: numberValue },
      { name: 'show', path: 'layers', type: listValue },
    ],
    defaults,
    validate,
  );

  test('serves another screen with its own table', () => {
    expect(codec.encode({ zoom: 2.5, layers: ['grid', 'path'] })).toBe('z=2.5&show=grid,path');
    expect(codec.decode('#z=2.5&show=grid,path')).toEqual({ spec: { zoom: 2.5, layers: ['grid', 'path'] } });
    expect(codec.decode('#z=-3&show=path')).toEqual({
      spec: { zoom: 1, layers: ['path'] },
      notice: 'Some settings in the link were ignored and their defaults used. z: Zoom must be greater than 0 (got -3).',
    });
  });

  test('escapes what would break the hash and reads it back', () => {
    const view = { zoom: 3, layers: ['a&b=c', 'd e#f', 'ünï'] };
    const hash = codec.encode(view);
    expect(hash).not.toMatch(/[ #]/);
    expect(hash.split('&')).toHaveLength(2);
    expect(codec.decode(hash)).toEqual({ spec: view });
  });
});

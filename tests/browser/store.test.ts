import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { EpochMetrics } from '../../src/core/train/types';
import type { BackendInfo } from '../../src/runtime/backend-types';
import { lockedIds, runLock, tryLock } from '../../src/runtime/locks';
import type { StoredDataset } from '../../src/core/data/table/types';
import { DB_VERSION, MIGRATIONS, openDatasetStore, openStore as open, type RunStore } from '../../src/runtime/store';

const DB = 'tunelab-test';
const webgpu: BackendInfo = { requested: 'auto', name: 'webgpu', adapter: 'SwiftShader' };
const epoch = (k: number): EpochMetrics => ({ epoch: k, trainLoss: 1 / k, valLoss: 1.1 / k, trainMetric: 0.5 + k / 100, valMetric: 0.5 + k / 110 });
const FULL = 'Storage is full: new progress is not being saved until you delete something; saved runs are kept.';

const opened: RunStore[] = [];
/** Opens the test database, remembering the connection so that it is closed after the test. */
async function openStore() {
  const result = await open(DB);
  opened.push(result.store);
  return result;
}

/** Runs `body` with `IDBObjectStore.prototype.put` throwing as a full disk makes it throw. */
async function withFullDisk(body: () => Promise<void>): Promise<void> {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = () => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  try {
    await body();
  } finally {
    IDBObjectStore.prototype.put = put;
  }
}

beforeEach(async () => {
  await deleteDB(DB);
});
afterEach(() => {
  opened.splice(0).forEach((s) => s.close());
});

describe('the run store in IndexedDB', () => {
  test('keeps a run, its epochs, backend and exact weights, lists newest first, and deletes', async () => {
    const { store, persistent, problem } = await openStore();
    expect(persistent).toBe(true);
    expect(problem).toBeUndefined();
    const first = await store.createRun(DEFAULT_EXPERIMENT, null);
    expect(first).toMatchObject({ status: 'running', epochs: [], backend: null });
    await store.setBackend(first.id, webgpu);
    await store.appendEpochs(first.id, [epoch(1)]);
    await store.appendEpochs(first.id, [epoch(2)]);
    // The whole history at the end of a run, then a callback that came late: each epoch once.
    await store.appendEpochs(first.id, [epoch(1), epoch(2), epoch(3)]);
    await store.appendEpochs(first.id, [epoch(3)]);
    const weights = [Float32Array.from([0.1, -2.5, 3e-8]), Float32Array.from([Math.PI])];
    const finished = await store.finishRun(first.id, { status: 'complete', message: 'Done.', weights, weightShapes: [[1, 3], [1]] });
    expect(finished?.status).toBe('complete');
    // createdAt is in milliseconds: the next run must be created in a later one to sort after.
    while (Date.now() === first.createdAt) await new Promise((r) => setTimeout(r, 1));
    const second = await store.createRun({ ...DEFAULT_EXPERIMENT, seed: 2 }, webgpu);

    const reopened = (await openStore()).store;
    const runs = await reopened.listRuns();
    expect(runs.map((r) => r.id)).toEqual([second.id, first.id]);
    const saved = runs[1];
    expect(saved).toMatchObject({ status: 'complete', message: 'Done.', backend: webgpu, spec: DEFAULT_EXPERIMENT, weightShapes: [[1, 3], [1]] });
    expect(saved.epochs).toEqual([epoch(1), epoch(2), epoch(3)]);
    expect(saved.updatedAt).toBeGreaterThanOrEqual(saved.createdAt);
    expect(saved.weights![0]).toBeInstanceOf(Float32Array);
    expect(Array.from(saved.weights![0])).toEqual([Math.fround(0.1), -2.5, Math.fround(3e-8)]);
    expect(Array.from(saved.weights![1])).toEqual([Math.fround(Math.PI)]);
    expect(await reopened.getRun(second.id)).toMatchObject({ id: second.id, status: 'running', spec: { seed: 2 } });

    await reopened.deleteRun(first.id);
    expect((await reopened.listRuns()).map((r) => r.id)).toEqual([second.id]);
    expect(await reopened.getRun(first.id)).toBeUndefined();
  });

  test('after a reload, runs left running or paused are interrupted with their metrics; finished ones stay', async () => {
    const { store } = await openStore();
    const running = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
    await store.appendEpochs(running.id, [epoch(1), epoch(2)]);
    const paused = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
    await store.appendEpochs(paused.id, [epoch(1)]);
    await store.finishRun(paused.id, { status: 'paused' });
    const done = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
    await store.finishRun(done.id, { status: 'diverged', divergedAt: 1 });

    // The page goes away mid-run; the next page opens the store and marks what was left unfinished.
    const next = (await openStore()).store;
    await next.markInterrupted();
    expect(await next.getRun(running.id)).toMatchObject({ status: 'interrupted', epochs: [epoch(1), epoch(2)] });
    expect(await next.getRun(paused.id)).toMatchObject({ status: 'interrupted', epochs: [epoch(1)] });
    expect(await next.getRun(done.id)).toMatchObject({ status: 'diverged', divergedAt: 1 });
  });

  test('start-up leaves alone the runs another tab holds the lock of, and interrupts them once it is let go', async () => {
    const { store } = await openStore();
    const live = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
    const left = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
    const release = await tryLock(runLock(live.id));
    expect(release).not.toBeNull();
    expect(await tryLock(runLock(live.id))).toBeNull();
    const next = (await openStore()).store;
    await next.markInterrupted(await lockedIds('run'));
    expect((await next.getRun(live.id))?.status).toBe('running');
    expect((await next.getRun(left.id))?.status).toBe('interrupted');
    await release!();
    await next.markInterrupted(await lockedIds('run'));
    expect((await next.getRun(live.id))?.status).toBe('interrupted');
  });

  test('studies and trials that do not read back are skipped; the others are listed', async () => {
    const { studies } = await openStore();
    const good = await studies.createStudy({
      version: 1, name: 'lr', base: DEFAULT_EXPERIMENT, space: { 'optimizer.lr': { type: 'float', low: 0.001, high: 1, log: true } },
      sampler: { kind: 'random' }, pruner: { kind: 'none' }, objective: { metric: 'valLoss', direction: 'minimize' }, nTrials: 2, workers: 1, seed: 1,
    });
    await studies.putTrial({ studyId: good.id, number: 0, params: { 'optimizer.lr': 0.01 }, spec: DEFAULT_EXPERIMENT, state: 'complete', value: 0.5, epochs: [] });
    const raw = await openDB(DB);
    await raw.put('studies', { ...good, id: 'polluted', spec: { ...good.spec, space: { '__proto__.x': { type: 'float', low: 0, high: 1 } } } });
    await raw.put('trials', { studyId: good.id, number: 1, params: { 'optimizer.lr': { evil: true } }, spec: DEFAULT_EXPERIMENT, state: 'complete', epochs: [] });
    raw.close();
    expect((await studies.listStudies()).map((s) => s.id)).toEqual([good.id]);
    expect(await studies.getStudy('polluted')).toBeUndefined();
    expect((await studies.listTrials(good.id)).map((t) => t.number)).toEqual([0]);
  });

  test('a study and a trial that do not read back are listed as damaged, with why, and deleting them leaves the good ones as they were', async () => {
    const { studies } = await openStore();
    const good = await studies.createStudy({
      version: 1, name: 'lr', base: DEFAULT_EXPERIMENT, space: { 'optimizer.lr': { type: 'float', low: 0.001, high: 1, log: true } },
      sampler: { kind: 'random' }, pruner: { kind: 'none' }, objective: { metric: 'valLoss', direction: 'minimize' }, nTrials: 3, workers: 1, seed: 1,
    });
    const trial = { studyId: good.id, number: 0, params: { 'optimizer.lr': 0.01 }, spec: DEFAULT_EXPERIMENT, state: 'complete' as const, value: 0.5, epochs: [] };
    await studies.putTrial(trial);
    const raw = await openDB(DB);
    await raw.put('studies', { ...good, id: 'broken-study', createdAt: 7, spec: { ...good.spec, nTrials: 0 } });
    await raw.put('trials', { ...trial, number: 1, state: 'finished-somehow' });
    await raw.put('trials', { studyId: 'broken-study', number: 0, params: {}, spec: DEFAULT_EXPERIMENT, state: 'complete', epochs: [{ epoch: 'one' }] });
    raw.close();

    // Trials come in their key's order, and the good study's id is random: compare as sets.
    const damaged = await studies.listDamaged();
    expect(damaged).toHaveLength(3);
    expect(damaged).toEqual(expect.arrayContaining([
      { kind: 'study', id: 'broken-study', createdAt: 7, problem: 'its spec.nTrials does not read' },
      { kind: 'trial', id: good.id, number: 1, problem: 'its state does not read' },
      { kind: 'trial', id: 'broken-study', number: 0, problem: 'its epochs.0.epoch does not read' },
    ]));
    await studies.deleteTrial(good.id, 1);
    await studies.deleteStudy('broken-study');
    expect(await studies.listDamaged()).toEqual([]);
    expect(await studies.listStudies()).toEqual([good]);
    expect(await studies.listTrials(good.id)).toEqual([trial]);
    const after = await openDB(DB);
    expect([await after.count('studies'), await after.count('trials')]).toEqual([1, 1]);
    after.close();
  });

  test('a trial\'s kept network reads back exactly, is listed with its bytes, one that does not fit its shapes is skipped, and the study takes them along when deleted', async () => {
    const { studies } = await openStore();
    const study = await studies.createStudy({
      version: 1, name: 'lr', base: DEFAULT_EXPERIMENT, space: { 'optimizer.lr': { type: 'float', low: 0.001, high: 1, log: true } },
      sampler: { kind: 'random' }, pruner: { kind: 'none' }, objective: { metric: 'valLoss', direction: 'minimize' }, nTrials: 3, workers: 1, seed: 1,
    });
    const evaluation = { val: { n: 30, loss: 0.25, accuracy: 0.9, confusion: [[14, 1], [2, 13]], perClass: [{ precision: 0.875, recall: 14 / 15 }, { precision: 13 / 14, recall: 13 / 15 }] } };
    const kept = { studyId: study.id, number: 2, weights: [Float32Array.from([0.1, -2.5, 3e-8, 7]), Float32Array.from([Math.PI, -0])], shapes: [[2, 2], [2]], evaluation, folds: 3 };
    await studies.putWeights(kept);
    await studies.putWeights({ ...kept, number: 0, weights: [new Float32Array(4), new Float32Array(2)] });
    const raw = await openDB(DB);
    await raw.put('trialWeights', { ...kept, number: 1, shapes: [[3, 2], [2]] });
    raw.close();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const back = await studies.getWeights(study.id, 2);
      expect(back).toEqual(kept);
      expect(back!.weights[1][1]).toBe(-0);
      expect(await studies.getWeights(study.id, 1)).toBeUndefined();
      expect(await studies.keptWeights(study.id)).toEqual([{ number: 0, bytes: 24 }, { number: 2, bytes: 24 }]);
    } finally {
      warn.mockRestore();
    }
    await studies.deleteWeights(study.id, 0);
    expect(await studies.keptWeights(study.id)).toEqual([{ number: 2, bytes: 24 }]);
    await studies.deleteStudy(study.id);
    const after = await openDB(DB);
    expect(await after.count('trialWeights')).toBe(0);
    after.close();
  });

  test('a full disk stops saving with a message, throws nothing, loses nothing already saved, and saves again once a delete frees space', async () => {
    const { store } = await openStore();
    const kept = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
    await store.appendEpochs(kept.id, [epoch(1)]);
    const heard: (string | undefined)[] = [];
    store.onProblem((p) => heard.push(p));
    const unsubscribed: (string | undefined)[] = [];
    store.onProblem((p) => unsubscribed.push(p))();

    await withFullDisk(async () => {
      await store.appendEpochs(kept.id, [epoch(2)]);
      expect(await store.finishRun(kept.id, { status: 'complete' })).toBeUndefined();
      await store.createRun({ ...DEFAULT_EXPERIMENT, seed: 3 }, webgpu);
    });
    expect(store.problem).toBe(FULL);
    expect(heard).toEqual([FULL]);
    expect(unsubscribed).toEqual([]);
    // Stopped: nothing more is tried until something is deleted.
    await store.appendEpochs(kept.id, [epoch(3)]);
    expect(await store.listRuns()).toMatchObject([{ id: kept.id, status: 'running', epochs: [epoch(1)] }]);

    // Deleting frees space, so it still goes through, and saving starts again.
    await store.deleteRun(kept.id);
    expect(await store.listRuns()).toEqual([]);
    expect(store.problem).toBeUndefined();
    expect(heard).toEqual([FULL, undefined]);
    const next = await store.createRun({ ...DEFAULT_EXPERIMENT, seed: 4 }, webgpu);
    await store.appendEpochs(next.id, [epoch(1)]);
    expect(await store.listRuns()).toMatchObject([{ id: next.id, epochs: [epoch(1)] }]);

    // Still no room: the next write stops saving again, and says so again.
    await withFullDisk(() => store.appendEpochs(next.id, [epoch(2)]));
    expect(store.problem).toBe(FULL);
    expect(heard).toEqual([FULL, undefined, FULL]);
  });

  test('deleting a dataset frees space too: the runs and studies stopped on a full disk save again', async () => {
    const { store, studies } = await openStore();
    const library = await openDatasetStore(DB);
    const table: StoredDataset = {
      id: 'plants', name: 'plants', source: 'file', createdAt: 5, bytes: 20,
      table: { rows: 2, columns: [{ name: 'size', kind: 'number', values: new Float64Array([1, 2]) }] },
      profiles: [{ name: 'size', detected: 'numeric', type: 'numeric', missing: 0, distinct: 2 }],
    };
    try {
      expect(await library.put(table)).toEqual({ ok: true });
      const kept = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
      const heard: (string | undefined)[] = [];
      store.onProblem((p) => heard.push(p));
      await withFullDisk(() => store.appendEpochs(kept.id, [epoch(1)]));
      expect(store.problem).toBe(FULL);
      await store.appendEpochs(kept.id, [epoch(2)]);
      expect((await store.getRun(kept.id))?.epochs).toEqual([]);

      expect(await library.delete('plants')).toEqual({ ok: true });
      expect(await library.list()).toEqual([]);
      expect(store.problem).toBeUndefined();
      expect(heard).toEqual([FULL, undefined]);
      await store.appendEpochs(kept.id, [epoch(3)]);
      expect((await store.getRun(kept.id))?.epochs).toEqual([epoch(3)]);
      const study = await studies.createStudy({
        version: 1, name: 'lr', base: DEFAULT_EXPERIMENT, space: { 'optimizer.lr': { type: 'float', low: 0.001, high: 1, log: true } },
        sampler: { kind: 'random' }, pruner: { kind: 'none' }, objective: { metric: 'valLoss', direction: 'minimize' }, nTrials: 2, workers: 1, seed: 1,
      });
      expect((await studies.listStudies()).map((s) => s.id)).toEqual([study.id]);
    } finally {
      library.close();
    }
  });

  test('a record that does not read back is skipped with a warning, not a crash', async () => {
    const { store } = await openStore();
    const good = await store.createRun(DEFAULT_EXPERIMENT, null);
    const raw = await openDB(DB);
    await raw.put('runs', { id: 'bad-spec', createdAt: 1, updatedAt: 1, spec: { nonsense: true }, backend: null, epochs: [], status: 'complete' });
    await raw.put('runs', { id: 'bad-weights', createdAt: 2, updatedAt: 2, spec: DEFAULT_EXPERIMENT, backend: null, epochs: [], status: 'complete', weights: [new Float32Array(2)], weightShapes: [[3]] });
    raw.close();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect((await store.listRuns()).map((r) => r.id)).toEqual([good.id]);
      expect(await store.getRun('bad-spec')).toBeUndefined();
      expect(warn.mock.calls.map((call) => call[1])).toEqual(['bad-weights', 'bad-spec', 'bad-spec']);
    } finally {
      warn.mockRestore();
    }
  });

  test('records that do not read back are listed as damaged, with why, and can be deleted', async () => {
    const { store } = await openStore();
    const good = await store.createRun(DEFAULT_EXPERIMENT, null);
    const raw = await openDB(DB);
    await raw.put('runs', { id: 'bad-spec', createdAt: 1, updatedAt: 1, spec: { nonsense: true }, backend: null, epochs: [], status: 'complete' });
    const recipe = { spec: { target: 't', features: ['x'] }, columns: [{ name: 'x', kind: 'numeric', fill: 0, shift: 0, scale: 0 }], inputs: ['x'], target: { kind: 'value', mean: 0, std: 1 } };
    await raw.put('runs', { id: 'bad-recipe', createdAt: 2, updatedAt: 2, spec: DEFAULT_EXPERIMENT, backend: null, epochs: [], status: 'complete', recipe });
    raw.close();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect((await store.listRuns()).map((r) => r.id)).toEqual([good.id]);
    } finally {
      warn.mockRestore();
    }
    expect(await store.listDamaged()).toEqual([
      { kind: 'run', id: 'bad-recipe', createdAt: 2, problem: 'its recipe is broken: columns.0.scale: a scale of 0' },
      { kind: 'run', id: 'bad-spec', createdAt: 1, problem: 'its spec does not read' },
    ]);
    await store.deleteRun('bad-spec');
    await store.deleteRun('bad-recipe');
    expect(await store.listDamaged()).toEqual([]);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([good.id]);
  });

  test('a database of the first version upgrades to the current one and keeps its runs', async () => {
    const old = await openDB(DB, 1, { upgrade: (db, _o, _n, tx) => MIGRATIONS[0](db as never, tx as never) });
    const run = { id: 'old-run', createdAt: 1, updatedAt: 1, spec: DEFAULT_EXPERIMENT, backend: null, status: 'complete', epochs: [epoch(1)] };
    await old.put('runs', run);
    old.close();
    const { store, studies } = await openStore();
    expect(DB_VERSION).toBe(MIGRATIONS.length);
    expect(await store.listRuns()).toEqual([run]);
    expect(await studies.listStudies()).toEqual([]);
    const raw = await openDB(DB);
    expect(raw.version).toBe(DB_VERSION);
    expect([...raw.objectStoreNames].sort()).toEqual(['datasets', 'lessons', 'runs', 'studies', 'trialWeights', 'trials']);
    expect([...raw.transaction('runs').store.indexNames]).toEqual(['createdAt']);
    raw.close();
  });

  test('a newer tunelab in another tab takes the database: this one stops saving and says so', async () => {
    const { store } = await openStore();
    const kept = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
    const heard: (string | undefined)[] = [];
    store.onProblem((p) => heard.push(p));
    // Opens only if this tab's connection lets go.
    const newer = await openDB(DB, DB_VERSION + 1);
    const stopped = 'tunelab was updated in another tab: this tab no longer saves runs; reload it to go on saving.';
    expect(store.problem).toBe(stopped);
    expect(heard).toEqual([stopped]);
    await store.appendEpochs(kept.id, [epoch(1)]);
    expect(await store.listRuns()).toEqual([]);
    newer.close();
    // This older page, reloaded, cannot open the upgraded database and says what to do.
    expect(await openStore()).toMatchObject({
      persistent: false,
      problem: 'Runs are not being saved: a newer version of tunelab has upgraded the saved data; reload the page to get it.',
    });
  });
});

describe('the in-memory fallback', () => {
  test('without IndexedDB the page works in memory with the same interface and says runs are not saved', async () => {
    const openDatabase = IDBFactory.prototype.open;
    IDBFactory.prototype.open = () => {
      throw new DOMException('IndexedDB is not available in this mode.', 'InvalidStateError');
    };
    let result: Awaited<ReturnType<typeof openStore>>;
    try {
      result = await openStore();
    } finally {
      IDBFactory.prototype.open = openDatabase;
    }
    const { store, persistent, problem } = result;
    expect(persistent).toBe(false);
    expect(problem).toBe('Runs are not being saved: storage could not be opened (IndexedDB is not available in this mode.).');
    expect(store.problem).toBe(problem);

    const first = await store.createRun(DEFAULT_EXPERIMENT, null);
    await store.setBackend(first.id, webgpu);
    await store.appendEpochs(first.id, [epoch(1), epoch(2)]);
    const weights = [Float32Array.from([0.25, -1])];
    expect(await store.finishRun(first.id, { status: 'complete', weights, weightShapes: [[2]] })).toMatchObject({ status: 'complete', backend: webgpu });
    weights[0][0] = 99; // the caller's arrays are not the stored ones
    while (Date.now() === first.createdAt) await new Promise((r) => setTimeout(r, 1));
    const second = await store.createRun(DEFAULT_EXPERIMENT, webgpu);
    await store.markInterrupted();

    const runs = await store.listRuns();
    expect(runs.map((r) => [r.id, r.status])).toEqual([[second.id, 'interrupted'], [first.id, 'complete']]);
    expect(runs[1].epochs).toEqual([epoch(1), epoch(2)]);
    expect(Array.from(runs[1].weights![0])).toEqual([0.25, -1]);
    await store.deleteRun(first.id);
    expect(await store.getRun(first.id)).toBeUndefined();
    expect((await store.listRuns()).map((r) => r.id)).toEqual([second.id]);
  });

  test('an older tab that will not let the database upgrade leaves the page working in memory', async () => {
    // An old page of tunelab holds version 1 open and does not close it when asked.
    const old = await openDB(DB, 1, { upgrade: (db, _o, _n, tx) => MIGRATIONS[0](db as never, tx as never) });
    const { store, persistent, problem } = await openStore();
    old.close();
    expect(persistent).toBe(false);
    expect(problem).toBe('Runs are not being saved: tunelab is open in another tab with an older version; close that tab and reload this one.');
    const run = await store.createRun(DEFAULT_EXPERIMENT, null);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([run.id]);
  });
});

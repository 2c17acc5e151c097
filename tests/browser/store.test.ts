import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { EpochMetrics } from '../../src/core/train/types';
import { DB_VERSION, MIGRATIONS, MemoryRunStore, openStore as open, type RunStore } from '../../src/runtime/store';

const DB = 'tunelab-test';
const backend = { requested: 'auto', name: 'webgpu', adapter: 'SwiftShader' } as const;
const epoch = (k: number): EpochMetrics => ({ epoch: k, trainLoss: 1 / k, valLoss: 1.1 / k, trainMetric: 0.5 + k / 100, valMetric: 0.5 + k / 110 });

const opened: RunStore[] = [];
/** Opens the test database, remembering the connection so that it is closed after the test. */
async function openStore(name: string) {
  const result = await open(name);
  opened.push(result.store);
  return result;
}

beforeEach(async () => {
  await deleteDB(DB);
});
afterEach(() => {
  opened.splice(0).forEach((s) => s.close());
});

describe('the run store', () => {
  test('keeps a run, its epochs and its weights exactly, newest first, and deletes it', async () => {
    const { store, persistent } = await openStore(DB);
    expect(persistent).toBe(true);
    const first = await store.createRun(DEFAULT_EXPERIMENT, backend);
    await store.appendEpochs(first.id, [epoch(1)]);
    await store.appendEpochs(first.id, [epoch(2), epoch(3)]);
    const weights = [Float32Array.from([0.1, -2.5, 3e-8]), Float32Array.from([Math.PI])];
    await store.finishRun(first.id, { status: 'complete', weights, weightShapes: [[1, 3], [1]] });
    await new Promise((r) => setTimeout(r, 5));
    const second = await store.createRun({ ...DEFAULT_EXPERIMENT, seed: 2 }, null);

    const reopened = (await openStore(DB)).store;
    const runs = await reopened.listRuns();
    expect(runs.map((r) => r.id)).toEqual([second.id, first.id]);
    const saved = runs[1];
    expect(saved.status).toBe('complete');
    expect(saved.epochs).toEqual([epoch(1), epoch(2), epoch(3)]);
    expect(saved.weights).toEqual(weights);
    expect(saved.weights![0]).toBeInstanceOf(Float32Array);
    expect(saved.backend).toEqual(backend);
    await reopened.deleteRun(first.id);
    expect((await reopened.listRuns()).map((r) => r.id)).toEqual([second.id]);
  });

  test('a run cut off by a reload shows as interrupted with its metrics so far', async () => {
    const { store } = await openStore(DB);
    const run = await store.createRun(DEFAULT_EXPERIMENT, backend);
    await store.appendEpochs(run.id, [epoch(1), epoch(2)]);
    // The page goes away mid-run; the next page opens the store and marks what was left running.
    const next = (await openStore(DB)).store;
    await next.markInterrupted();
    const [saved] = await next.listRuns();
    expect(saved.status).toBe('interrupted');
    expect(saved.epochs).toHaveLength(2);
  });

  test('a full disk stops saving with a message and loses nothing already saved', async () => {
    const { store } = await openStore(DB);
    const kept = await store.createRun(DEFAULT_EXPERIMENT, backend);
    await store.appendEpochs(kept.id, [epoch(1)]);
    const heard: string[] = [];
    store.onProblem((p) => heard.push(p));
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      await store.appendEpochs(kept.id, [epoch(2)]);
      await store.createRun({ ...DEFAULT_EXPERIMENT, seed: 3 }, backend);
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect(store.problem).toBe('Storage is full: new progress is not being saved; saved runs are kept.');
    expect(heard).toEqual([store.problem]);
    const runs = await store.listRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0].epochs).toEqual([epoch(1)]);
  });

  test('without IndexedDB the page still works in memory and says runs are not saved', async () => {
    const store = new MemoryRunStore('Runs are not being saved: storage could not be opened (blocked).');
    const run = await store.createRun(DEFAULT_EXPERIMENT, null);
    await store.appendEpochs(run.id, [epoch(1)]);
    await store.finishRun(run.id, { status: 'diverged', divergedAt: 1 });
    expect(await store.listRuns()).toMatchObject([{ id: run.id, status: 'diverged', divergedAt: 1, epochs: [epoch(1)] }]);
    expect(store.problem).toMatch(/not being saved/);
  });

  test('a record that does not read back is skipped, not a crash', async () => {
    const { store } = await openStore(DB);
    await store.createRun(DEFAULT_EXPERIMENT, null);
    const raw = indexedDB.open(DB);
    await new Promise((resolve) => (raw.onsuccess = resolve));
    const tx = raw.result.transaction('runs', 'readwrite');
    tx.objectStore('runs').put({ id: 'broken', createdAt: 1, spec: { nonsense: true }, epochs: [], status: 'complete' });
    await new Promise((resolve) => (tx.oncomplete = resolve));
    raw.result.close();
    expect(await store.listRuns()).toHaveLength(1);
  });

  test('a database of the first version upgrades to the current one with its runs', async () => {
    const old = await openDB(DB, 1, { upgrade: (db, _o, _n, tx) => MIGRATIONS[0](db as never, tx as never) });
    const run = { id: 'old-run', createdAt: 1, updatedAt: 1, spec: DEFAULT_EXPERIMENT, backend: null, status: 'complete', epochs: [epoch(1)] };
    await old.put('runs', run);
    old.close();
    const { store, studies } = await openStore(DB);
    expect(DB_VERSION).toBeGreaterThan(1);
    expect(await store.listRuns()).toEqual([run]);
    expect(await studies.listStudies()).toEqual([]);
  });
});

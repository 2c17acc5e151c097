import { deleteDB } from 'idb';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { StoredDataset } from '../../src/core/data/table/types';
import { DEFAULT_LAB } from '../../src/core/landscape/lab-spec';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { newLesson, openPackStore, packText, readPack, type PackStore } from '../../src/runtime/class-pack';
import { openDatasetStore, openStore, type RunStore } from '../../src/runtime/store';
import { PENGUINS } from '../support/penguins-table';

const HOME = 'tunelab-pack-home';
const CLASS = 'tunelab-pack-class';
const open: { close(): void }[] = [];
const keep = <T extends { close(): void }>(x: T) => (open.push(x), x);

beforeEach(async () => {
  await Promise.all([deleteDB(HOME), deleteDB(CLASS)]);
});
afterEach(() => {
  open.splice(0).forEach((x) => x.close());
});

const garden: StoredDataset = {
  id: 'garden-1', name: 'garden', source: 'file', createdAt: 5, bytes: 40,
  table: { rows: 2, columns: [{ name: 'size', kind: 'number', values: new Float64Array([1, 2]) }, { name: 'kind', kind: 'text', codes: new Int32Array([0, 1]), levels: ['a', 'b'] }] },
  profiles: [{ name: 'size', detected: 'numeric', type: 'numeric', missing: 0, distinct: 2 }, { name: 'kind', detected: 'categorical', type: 'categorical', missing: 0, distinct: 2 }],
};
const onGarden = { ...DEFAULT_EXPERIMENT, data: { ...PENGUINS, dataset: 'garden-1' } } as ExperimentSpec;

/** At home: a finished run on the garden table, the table itself, and a lesson. */
async function home(): Promise<{ runs: RunStore; packs: PackStore; runId: string; lessonId: string }> {
  const { store: runs } = await openStore(HOME);
  keep(runs);
  const library = keep(await openDatasetStore(HOME));
  expect(await library.put(garden)).toEqual({ ok: true });
  const run = await runs.createRun(onGarden, null);
  await runs.appendEpochs(run.id, [{ epoch: 1, trainLoss: 0.5, valLoss: 0.6, trainMetric: 0.7, valMetric: 0.8 }]);
  await runs.finishRun(run.id, { status: 'complete', weights: [new Float32Array([0.5, -0.25])], weightShapes: [[2]] });
  const packs = keep(await openPackStore(HOME));
  const lesson = newLesson('Saddle', 'Adam leaves.', { ...DEFAULT_LAB, surface: 'saddle' });
  if (!lesson.ok) throw new Error(lesson.message);
  expect(await packs.saveLesson(lesson.lesson)).toEqual({ ok: true });
  return { runs, packs, runId: run.id, lessonId: lesson.lesson.id };
}

test('a gathered pack carries the chosen run with the dataset it trains on, and merges into another browser once, overwriting nothing', async () => {
  const { packs, runId, lessonId } = await home();
  const pack = await packs.gather({ runs: [runId], studies: [], datasets: [], lessons: [lessonId] }, 99);
  expect(pack.datasets).toEqual([garden]);
  expect(pack.runs[0].weights).toEqual([new Float32Array([0.5, -0.25])]);
  const read = readPack(packText(pack));
  if (!read.ok) throw new Error(read.message);

  // In class, a dataset of the same id is here already, renamed: it stays as it is.
  const classroom = keep(await openDatasetStore(CLASS));
  await classroom.put({ ...garden, name: 'our garden' });
  const target = keep(await openPackStore(CLASS));
  const first = await target.merge(read.pack);
  expect(first.ok && [first.plan.added, first.plan.already]).toEqual([{ runs: 1, studies: 0, datasets: 0, lessons: 1 }, { runs: 0, studies: 0, datasets: 1, lessons: 0 }]);
  const inventory = await target.inventory();
  expect(inventory.runs.map((r) => [r.id, r.status, r.epochs.length])).toEqual([[runId, 'complete', 1]]);
  expect(inventory.datasets.map((d) => d.name)).toEqual(['our garden']);
  expect(inventory.lessons.map((l) => l.title)).toEqual(['Saddle']);
  const second = await target.merge(read.pack);
  expect(second.ok && second.plan.added).toEqual({ runs: 0, studies: 0, datasets: 0, lessons: 0 });
});

test('an import that fails half-way (a full disk) leaves everything as it was', async () => {
  const { packs, runId, lessonId } = await home();
  const read = readPack(packText(await packs.gather({ runs: [runId], studies: [], datasets: [], lessons: [lessonId] })));
  if (!read.ok) throw new Error(read.message);
  const target = keep(await openPackStore(CLASS));
  const add = IDBObjectStore.prototype.add;
  let calls = 0;
  IDBObjectStore.prototype.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
    if (++calls === 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return add.apply(this, args);
  };
  try {
    expect(await target.merge(read.pack)).toEqual({
      ok: false, message: 'Storage is full: the class pack was not imported, and nothing was changed. Delete runs or datasets you no longer need and try again.',
    });
  } finally {
    IDBObjectStore.prototype.add = add;
  }
  expect(calls).toBe(3);
  const inventory = await target.inventory();
  expect([inventory.runs, inventory.datasets, inventory.lessons]).toEqual([[], [], []]);
});

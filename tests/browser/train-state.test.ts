import { expect, test } from 'vitest';
import { loadExperimentData } from '../../src/runtime/experiment-data';
import { TrainState } from '../../src/ui/train/train-state.svelte';
import { PENGUINS_SPEC } from '../support/penguins-network';
import { RealWorker, testDatabase } from '../support/worker-doubles';

const db = testDatabase('tunelab-train-state-test');

/** The names of the calls the page makes to its workers from now on. */
function recordCalls(): string[] {
  const calls: string[] = [];
  globalThis.Worker = class extends RealWorker {
    override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
      const call = message as { type?: string; path?: string[] };
      if (call?.type === 'APPLY' && call.path) calls.push(call.path.join('.'));
      super.postMessage(message, transfer as Transferable[]);
    }
  };
  return calls;
}

test('the training screen has its table prepared by the training worker, not in the page, and gets the same rows and recipe', async () => {
  const calls = recordCalls();
  const { store } = await db.open();
  const train = new TrainState(structuredClone(PENGUINS_SPEC), store, () => {});
  await expect.poll(() => train.table?.recipe !== undefined, { timeout: 60_000 }).toBe(true);
  expect(calls).toContain('prepareData');

  const reference = await loadExperimentData(PENGUINS_SPEC);
  expect(train.table!.recipe).toEqual(reference.recipe);
  const data = train.table!.data!;
  // 344 penguins: 70 % for training, 15 % each for validation and test, 9 inputs, 3 species.
  expect([data.train.n, data.val.n, data.test!.n, data.train.dims, data.train.classes]).toEqual([reference.data.train.n, reference.data.val.n, reference.data.test!.n, 9, 3]);
  expect(data.train.x).toEqual(reference.data.train.x);
  expect(data.test!.y).toEqual(reference.data.test!.y);
});

test('a table the experiment schema refuses on a field the screen does not show is said in a notice, and the experiment stays as it was', async () => {
  const { store } = await db.open();
  const train = new TrainState(structuredClone(PENGUINS_SPEC), store, () => {});
  const before = JSON.parse(JSON.stringify(train.spec));
  if (PENGUINS_SPEC.data.kind !== 'table') throw new Error('the penguins are a table');
  train.useTable({ ...PENGUINS_SPEC.data, name: 'n'.repeat(201) });
  expect(train.hiddenErrors).toEqual([{ path: 'data.name', message: `Dataset name must have 1 to 200 characters (got "${'n'.repeat(40)}…").` }]);
  expect(JSON.parse(JSON.stringify(train.spec))).toEqual(before);
  // A field the screen shows keeps its error beside it, not in the notice.
  train.errorFor('training.epochs');
  train.edit((draft) => (draft.training.epochs = 0));
  expect(train.errors.map((e) => e.path)).toEqual(['training.epochs']);
  expect(train.hiddenErrors).toEqual([]);
});

test('a run opened from a size-against-accuracy point says how its network was compressed, and the experiment it trains again has no compression while its record keeps it', async () => {
  const { store } = await db.open();
  const source = await store.createRun(structuredClone(PENGUINS_SPEC), null);
  const compress = { run: source.id, sparsity: 0.9, bits: 4, distilled: true, distill: { widthFactor: 0.5, temperature: 2, alpha: 0.7, epochs: 15 } };
  const point = await store.createRun({ ...structuredClone(PENGUINS_SPEC), compress }, null);
  await store.finishRun(point.id, { status: 'complete', message: 'Trial 3 of the study “Size against accuracy”, as trained there.' });
  const train = new TrainState(structuredClone(PENGUINS_SPEC), store, () => {});
  await train.openSaved(point.id);
  expect(train.currentRunId).toBe(point.id);
  expect(train.spec.compress).toBeUndefined();
  expect((await store.getRun(point.id))!.spec.compress).toEqual(compress);
  expect(train.message).toBe(
    `Trial 3 of the study “Size against accuracy”, as trained there. This network was compressed from the run of ${new Date(source.createdAt).toLocaleString()}: 90 % of its kernel weights pruned and its kernels at 4 bits, as a student 0.5 times as wide distilled from it first. Training again trains this experiment anew, without compression.`,
  );
});

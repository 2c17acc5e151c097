import { expect, test } from 'vitest';
import { DEFAULT_EXPERIMENT } from '../../src/core/spec/defaults';
import type { ExperimentSpec } from '../../src/core/spec/experiment';
import { TrainClient } from '../../src/runtime/train-client';
import { captureWorkers, testDatabase } from '../support/worker-doubles';

const db = testDatabase('tunelab-train-client-test');
/** A run long enough to be caught in the middle: the cpu's step takes a few microseconds, so the whole of a short run can end between two looks at the store. */
const spec: ExperimentSpec = {
  ...structuredClone(DEFAULT_EXPERIMENT),
  data: { kind: 'circle', n: 2000, noise: 0, trainRatio: 0.5, seed: 2 },
  training: { batchSize: 10, epochs: 10_000, clipNorm: 0, patience: 0, schedule: { kind: 'constant' } },
};

test('a worker that dies in the middle of a run ends it as interrupted, with its epochs and a message, instead of running forever', async () => {
  const created = captureWorkers();
  const { store } = await db.open();
  const client = new TrainClient(store, { everyMs: 100, timeoutMs: 5_000 });
  const running = client.run(spec, 'cpu', { gridSize: 8, startPaused: false }).then(
    () => 'finished',
    (error: Error) => error.message,
  );
  // Terminated with no `error` event, as an out-of-memory worker goes: only the heartbeat can tell.
  await expect.poll(async () => (await store.listRuns())[0]?.epochs.length ?? 0, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  created[0].terminate();
  expect(await running).toBe('the worker stopped answering (no reply in 5 s)');
  const [run] = await store.listRuns();
  expect(run.status).toBe('interrupted');
  expect(run.message).toBe('The training worker stopped: the worker stopped answering (no reply in 5 s)');
  expect(run.epochs.length).toBeGreaterThanOrEqual(3);
  expect(run.epochs.length).toBeLessThan(10_000);
  client.reset();
});

test('a worker that reports an uncaught error ends the run at once, and the next run starts a fresh worker', async () => {
  const created = captureWorkers();
  const { store } = await db.open();
  const client = new TrainClient(store);
  const running = client.run(spec, 'cpu', { gridSize: 8, startPaused: true }).catch((error: Error) => error.message);
  await expect.poll(async () => (await store.listRuns()).length, { timeout: 60_000 }).toBe(1);
  created[0].dispatchEvent(new ErrorEvent('error', { message: 'out of memory' }));
  expect(await running).toBe('out of memory');
  const [run] = await store.listRuns();
  expect(run.status).toBe('interrupted');
  expect(run.message).toBe('The training worker stopped: out of memory');

  const short = { ...spec, training: { ...spec.training, epochs: 2 } };
  const next = await client.run(short, 'cpu', { gridSize: 8, startPaused: false });
  expect(next.status).toBe('complete');
  expect(created).toHaveLength(2);
  client.reset();
});

import { afterEach, expect, test } from 'vitest';
import { LandscapeClient } from '../../src/runtime/landscape-client';
import type { RunRecord } from '../../src/runtime/store';
import { TrainedLandscapeClient } from '../../src/runtime/trained-landscape-client';
import { WorkerDied } from '../../src/runtime/worker-watch';
import { penguinsNetwork } from '../support/penguins-network';
import { captureWorkers, RealWorker } from '../support/worker-doubles';

afterEach(() => {
  globalThis.Worker = RealWorker;
});

test('a landscape worker that dies silently fails its computation with a message, and the next computation starts a fresh worker', async () => {
  const created = captureWorkers();
  const client = new LandscapeClient('cpu', { everyMs: 200, timeoutMs: 10_000 });
  expect((await client.backendInfo()).name).toBe('cpu');
  // Terminated with no `error` event, as an out-of-memory worker goes: only the heartbeat can tell.
  const computing = client.surfaceGrid('rosenbrock', 16).then(
    () => 'finished',
    (error: Error) => `${error.name}: ${error.message}`,
  );
  created[0].terminate();
  expect(await computing).toBe('WorkerDied: the worker stopped answering (no reply in 10 s)');

  const grid = await client.surfaceGrid('rosenbrock', 16);
  expect(grid.length).toBe(256);
  // f(1, 1) = 0 is Rosenbrock's minimum; every cell is at least that.
  expect(Math.min(...grid)).toBeGreaterThanOrEqual(0);
  expect(created).toHaveLength(2);
  client.dispose();
});

test('a landscape worker that reports an uncaught error fails its computation at once', async () => {
  const created = captureWorkers();
  const client = new LandscapeClient('cpu');
  await client.backendInfo();
  const computing = client.basinMap({ surface: 'six-hump-camel', optimizer: { kind: 'sgd', lr: 0.01 }, grid: { size: 64 }, steps: 20_000 }).catch((error: Error) => error);
  created[0].dispatchEvent(new ErrorEvent('error', { message: 'out of memory' }));
  const error = await computing;
  expect(error).toBeInstanceOf(WorkerDied);
  expect((error as Error).message).toBe('out of memory');
  client.dispose();
});

test("a saved run's landscape worker that reports an uncaught error fails its figure at once, and the next figure starts a fresh worker", async () => {
  const created = captureWorkers();
  const client = new TrainedLandscapeClient('cpu');
  expect((await client.backendInfo()).name).toBe('cpu');
  const run = { id: 'penguins', ...penguinsNetwork() } as unknown as RunRecord;
  const figure = client.sharpness(run).catch((error: Error) => error);
  created[0].dispatchEvent(new ErrorEvent('error', { message: 'device lost' }));
  const error = await figure;
  expect(error).toBeInstanceOf(WorkerDied);
  expect((error as Error).message).toBe('device lost');
  expect((await client.backendInfo()).name).toBe('cpu');
  expect(created).toHaveLength(2);
  client.dispose();
});

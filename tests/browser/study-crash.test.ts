import { expect, test } from 'vitest';
import { StudyRunner } from '../../src/runtime/study-runner';
import { RealWorker, testDatabase } from '../support/worker-doubles';
import { xorStudy } from '../support/xor-study';

const db = testDatabase('tunelab-study-crash-test');
const spec = xorStudy({
  name: 'crash', points: 60, batchSize: 15, epochs: 2, nTrials: 6, workers: 2, seed: 3,
  space: { 'optimizer.lr': { type: 'float', low: 0.001, high: 0.5, log: true } },
});


/**
 * Workers whose first `crashes` `run` calls crash them: the worker is really terminated and,
 * with `event`, an `error` event reaches its Worker object, as the browser sends for an
 * uncaught error; without, nothing is told, as when a worker runs out of memory.
 */
function crashingRuns(crashes: number, event: boolean): { created: () => number } {
  let created = 0;
  let left = crashes;
  globalThis.Worker = class extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      created++;
    }
    override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
      const call = message as { type?: string; path?: string[] };
      if (left > 0 && call?.type === 'APPLY' && call.path?.[0] === 'run') {
        left--;
        this.terminate();
        if (event) this.dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' }));
        return;
      }
      super.postMessage(message, transfer as Transferable[]);
    }
  };
  return { created: () => created };
}

test('a trial group that crashes its worker goes back in the queue, the worker is replaced, and every trial completes', async () => {
  const workers = crashingRuns(1, true);
  const opened = await db.open();
  const record = await opened.studies.createStudy(spec);
  const backends: string[] = [];
  // On the cpu the six trials split between the two workers, so one group crashes and the other trains.
  await new StudyRunner(opened.studies, record, { onTrials: () => {}, onStatus: () => {}, onBackend: (b) => backends.push(b.name) }, 'cpu').run();

  const trials = await opened.studies.listTrials(record.id);
  expect(trials.map((t) => t.number)).toEqual([...Array(6).keys()]);
  expect(trials.map((t) => t.state)).toEqual(Array(6).fill('complete'));
  trials.forEach((t) => expect(t.epochs).toHaveLength(2));
  const requeued = trials.filter((t) => t.message !== undefined);
  expect(requeued.length).toBeGreaterThan(0);
  requeued.forEach((t) => expect(t.message).toBe('Re-queued: The worker stopped: simulated crash'));
  // Two workers, and one more in place of the crashed one.
  expect(workers.created()).toBe(3);
  expect(backends).toHaveLength(3);
  expect((await opened.studies.getStudy(record.id))!.status).toBe('complete');
});

test('a worker that dies silently is found by its heartbeat, and its trials are trained again', async () => {
  crashingRuns(1, false);
  const opened = await db.open();
  const record = await opened.studies.createStudy(spec);
  await new StudyRunner(opened.studies, record, { onTrials: () => {}, onStatus: () => {} }, 'cpu', { everyMs: 200, timeoutMs: 10_000 }).run();
  const trials = await opened.studies.listTrials(record.id);
  expect(trials.map((t) => t.state)).toEqual(Array(6).fill('complete'));
  const requeued = trials.filter((t) => t.message !== undefined);
  expect(requeued.length).toBeGreaterThan(0);
  requeued.forEach((t) => expect(t.message).toBe('Re-queued: The worker stopped: the worker stopped answering (no reply in 10 s)'));
});

test('trials that kill every worker they meet fail after their second death, and the study still ends', async () => {
  crashingRuns(Infinity, true);
  const opened = await db.open();
  const record = await opened.studies.createStudy(spec);
  await new StudyRunner(opened.studies, record, { onTrials: () => {}, onStatus: () => {} }, 'cpu').run();
  const trials = await opened.studies.listTrials(record.id);
  expect(trials.map((t) => t.state)).toEqual(Array(6).fill('failed'));
  trials.forEach((t) => expect(t.message).toBe('The worker stopped: simulated crash'));
  expect((await opened.studies.getStudy(record.id))!.status).toBe('complete');
});

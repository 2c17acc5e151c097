import { deleteDB } from 'idb';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openStore, type RunStore } from '../../src/runtime/store';
import { StudyRunner } from '../../src/runtime/study-runner';
import { xorStudy } from '../support/xor-study';

const DB = 'tunelab-study-crash-test';
const spec = xorStudy({
  name: 'crash', points: 60, batchSize: 15, epochs: 2, nTrials: 6, workers: 2, seed: 3,
  space: { 'optimizer.lr': { type: 'float', low: 0.001, high: 0.5, log: true } },
});

const RealWorker = globalThis.Worker;
let store: RunStore | null = null;
beforeEach(() => deleteDB(DB));
afterEach(() => {
  globalThis.Worker = RealWorker;
  store?.close();
});

/**
 * Workers whose first `run` call crashes them: the worker is really terminated and, as the
 * browser does for an uncaught error in a worker, an `error` event reaches its Worker object.
 */
function crashFirstRun(): { created: () => number } {
  let created = 0;
  let crashes = 1;
  globalThis.Worker = class extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      created++;
    }
    override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
      const call = message as { type?: string; path?: string[] };
      if (crashes > 0 && call?.type === 'APPLY' && call.path?.[0] === 'run') {
        crashes--;
        this.terminate();
        this.dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' }));
        return;
      }
      super.postMessage(message, transfer as Transferable[]);
    }
  };
  return { created: () => created };
}

test('a trial group that crashes its worker is marked failed, the worker is replaced, and the study finishes the other trials', async () => {
  const workers = crashFirstRun();
  const opened = await openStore(DB);
  store = opened.store;
  const record = await opened.studies.createStudy(spec);
  const backends: string[] = [];
  // On the cpu the six trials split between the two workers, so one group crashes and the other trains.
  await new StudyRunner(opened.studies, record, { onTrials: () => {}, onStatus: () => {}, onBackend: (b) => backends.push(b.name) }, 'cpu').run();

  const trials = await opened.studies.listTrials(record.id);
  expect(trials.map((t) => t.number)).toEqual([...Array(6).keys()]);
  const failed = trials.filter((t) => t.state === 'failed');
  expect(failed.length).toBeGreaterThan(0);
  failed.forEach((t) => expect(t.message).toBe('The worker crashed: simulated crash'));
  const complete = trials.filter((t) => t.state === 'complete');
  expect(complete.length + failed.length).toBe(6);
  complete.forEach((t) => expect(t.epochs).toHaveLength(2));
  // Two workers, and one more in place of the crashed one.
  expect(workers.created()).toBe(3);
  expect(backends).toHaveLength(3);
  expect((await opened.studies.getStudy(record.id))!.status).toBe('complete');
});

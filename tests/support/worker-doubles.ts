// What the browser tests of workers and stores share: a database of their own, emptied before
// each test, the stores they open closed after it, and the page's Worker replaced by ones the
// test can watch or kill, the real one back after each test.
import { deleteDB } from 'idb';
import { afterEach, beforeEach } from 'vitest';
import { openStore, type OpenedStore } from '../../src/runtime/store';

/** The browser's own Worker, as it was before any test replaced it. */
export const RealWorker = globalThis.Worker;

/**
 * For the tests of one file: database `name` deleted before each test; after each, the real
 * Worker back and every store `open` opened closed.
 */
export function testDatabase(name: string): { open: () => Promise<OpenedStore> } {
  const opened: OpenedStore[] = [];
  beforeEach(() => deleteDB(name));
  afterEach(() => {
    globalThis.Worker = RealWorker;
    opened.splice(0).forEach((o) => o.store.close());
  });
  return {
    async open() {
      const store = await openStore(name);
      opened.push(store);
      return store;
    },
  };
}

/** Every worker the page starts from now on, so a test can kill one. */
export function captureWorkers(): Worker[] {
  const created: Worker[] = [];
  globalThis.Worker = class extends RealWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      created.push(this);
    }
  };
  return created;
}

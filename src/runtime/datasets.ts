import type { StoredDataset } from '../core/data/table/types';
import { openDatasetStore } from './store/dataset-store';

/** Built-in tables parsed in this page or worker, kept: they never change. */
const builtins = new Map<string, Promise<StoredDataset | undefined>>();

/**
 * A dataset by id, in the page or in a worker: `builtin:<name>` from the tables shipped with
 * the site (their own chunk of the build, so they work offline), any other id from this
 * browser's library in IndexedDB. Rejects with a message for the user when the dataset is not
 * there (another browser's link, a deleted dataset) or the library cannot be opened.
 */
export async function loadDataset(id: string): Promise<StoredDataset> {
  if (id.startsWith('builtin:')) {
    // The parser and the tables load with the first built-in asked for, not with the page.
    if (!builtins.has(id)) builtins.set(id, import('../core/data/table/builtins').then((b) => b.loadBuiltin(id)));
    const dataset = await builtins.get(id)!;
    if (dataset) return dataset;
    throw new Error(`There is no built-in dataset “${id.slice('builtin:'.length)}”.`);
  }
  const store = await openDatasetStore();
  try {
    const dataset = await store.get(id);
    if (!dataset) throw new Error("This dataset is not in this browser's library: import its file on the Data screen, then train on it again.");
    return dataset;
  } finally {
    store.close();
  }
}

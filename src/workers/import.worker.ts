// Comlink adapter for CSV import: parses a file off the page's thread (core/data/table), saves
// it in the library from here too (cloning a large table into IndexedDB would hold the page
// up), and hands back the dataset with its columns transferred, not copied. Cancelling is
// terminating this worker (see runtime/import-client): a save under way is then aborted whole.
import * as Comlink from 'comlink';
import { datasetFromCsv } from '../core/data/table/dataset';
import { MAX_NAME_LENGTH, type StoredDataset } from '../core/data/table/types';
import { openDatasetStore, type WriteOutcome } from '../runtime/store/dataset-store';

/** A file's name as a dataset name: without its .csv, .tsv or .txt ending, and cut to the names experiments take. */
const datasetName = (fileName: string) => (fileName.replace(/\.(csv|tsv|txt)$/i, '') || fileName).slice(0, MAX_NAME_LENGTH);

/** Puts a dataset in the library of database `name`, in one transaction; a failure is a message. */
async function save(name: string, dataset: StoredDataset): Promise<WriteOutcome> {
  try {
    const store = await openDatasetStore(name);
    try {
      return await store.put(dataset);
    } finally {
      store.close();
    }
  } catch (error) {
    return { ok: false, message: `“${dataset.name}” was not saved: ${(error as Error).message}` };
  }
}

const api = {
  /**
   * The file as a new library dataset, or the problem that stops it, telling the share read as
   * it goes. With `database`, the dataset is also saved in that database's library, and
   * `saved` tells how that went.
   */
  async importFile(file: File, onProgress?: (fraction: number) => void, database?: string) {
    const made = await datasetFromCsv(
      file,
      { id: crypto.randomUUID(), name: datasetName(file.name), source: 'file', createdAt: Date.now(), bytes: file.size },
      { onProgress },
    );
    if (!made.ok) return made;
    const saved = database === undefined ? undefined : await save(database, made.dataset);
    const buffers = made.dataset.table.columns.map((c) => (c.kind === 'number' ? c.values.buffer : c.codes.buffer));
    return Comlink.transfer({ ...made, saved }, buffers);
  },
};

/** The import worker's interface, as the page sees it through Comlink. */
export type ImportWorkerApi = typeof api;

Comlink.expose(api);

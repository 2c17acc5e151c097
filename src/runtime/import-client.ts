import * as Comlink from 'comlink';
import type { TextEncoding } from '../core/data/table/parse';
import type { ImportProblem, StoredDataset } from '../core/data/table/types';
import type { ImportWorkerApi } from '../workers/import.worker';
import type { WriteOutcome } from './store/dataset-store';

/**
 * An imported dataset with how its bytes were read (and, when it was to be saved, how that
 * went), or why the file could not be imported.
 */
export type ImportOutcome =
  | { ok: true; dataset: StoredDataset; encoding: TextEncoding; saved?: WriteOutcome }
  | { ok: false; problem: ImportProblem };

/** How {@link importCsvFile} reports, stops and saves. */
export interface ImportOptions {
  /** Told the share of the file read, 0 to 1, as chunks are parsed. */
  onProgress?: (fraction: number) => void;
  /** Aborting it ends the import at once. */
  signal?: AbortSignal;
  /** The IndexedDB database whose library keeps the dataset, saved by the worker; not saved without it. */
  saveIn?: string;
}

/**
 * Imports a CSV file in a worker of its own, so that the page stays responsive however large
 * the file: parsing, and saving in the library with `saveIn`, happen there, and the columns
 * arrive transferred, without a copy. Aborting `signal` ends the worker at once (a save under
 * way is aborted whole); the promise then rejects with an AbortError.
 *
 * @example
 * const outcome = await importCsvFile(file, { onProgress: (f) => (progress = f), signal, saveIn: DB_NAME });
 * if (outcome.ok && !outcome.saved?.ok) show(outcome.saved?.message);
 */
export async function importCsvFile(file: File, options: ImportOptions = {}): Promise<ImportOutcome> {
  const { onProgress, signal, saveIn } = options;
  signal?.throwIfAborted();
  const worker = new Worker(new URL('../workers/import.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<ImportWorkerApi>(worker);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal!.reason ?? new DOMException('The import was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  // A worker that fails to start (a script error) reports it here, not through Comlink.
  const failed = new Promise<never>((_, reject) => {
    worker.onerror = (event) => reject(new Error(`The import could not start: ${event.message || 'the worker failed to load'}.`));
  });
  try {
    return await Promise.race([api.importFile(file, onProgress && Comlink.proxy(onProgress), saveIn), aborted, failed]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

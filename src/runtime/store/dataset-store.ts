import { openDB, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import { tableCsvParts } from '../../core/data/table/format';
import type { StoredDataset, Table } from '../../core/data/table/types';
import { spaceFreed } from './guard';
import { DB_NAME, DB_VERSION, migrate, type DatasetRecord, type DatasetSummary, type TunelabDB } from './schema';
import { joinTable, splitTable } from './table-parts';

export type { DatasetRecord, DatasetSummary } from './schema';

/** Whether a write was saved, and if not, why, in a sentence for the user. */
export type WriteOutcome = { ok: true } | { ok: false; message: string };

/** The longest dataset name kept. */
const MAX_NAME = 120;
const META = 'meta:';
const TABLE = 'table:';
const PART = 'part:';

/** The key range of a dataset's parts. */
const partsOf = (id: string) => IDBKeyRange.bound(`${PART}${id}:`, `${PART}${id}:\uffff`);
/** A part's key: its number zero-padded, so that keys sort as the parts go. */
const partKey = (id: string, k: number) => `${PART}${id}:${String(k).padStart(6, '0')}`;

/** The `datasets` store inside a readwrite transaction. */
type DatasetObjectStore = IDBPObjectStore<TunelabDB, ['datasets'], 'datasets', 'readwrite'>;

/** How much this site stores in the browser, and how much more it may, in bytes. */
export interface StorageInfo {
  used: number;
  available: number;
  /** Whether the browser has agreed not to evict the site's data under storage pressure. */
  persisted: boolean;
}

/** The records a dataset is stored as: its summary, its table's head and the table's parts (see {@link DatasetRecord}). */
export function datasetRecords(dataset: StoredDataset): DatasetRecord[] {
  const { head, parts } = splitTable(dataset.table);
  return [
    { id: META + dataset.id, summary: summaryOf(dataset) },
    { id: TABLE + dataset.id, head },
    ...parts.map((part, k) => ({ id: partKey(dataset.id, k), part })),
  ];
}

function summaryOf(dataset: StoredDataset): DatasetSummary {
  const { table, ...rest } = dataset;
  return { ...rest, rows: table.rows, columns: table.columns.length };
}

function describeWriteError(error: unknown, name: string): string {
  if ((error as DOMException)?.name === 'QuotaExceededError') {
    return `Storage is full: “${name}” was not saved. Delete datasets or runs you no longer need, or choose “Keep my data” to ask the browser for more room.`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `“${name}” was not saved (${reason}); the library is as it was.`;
}

/**
 * The dataset library in IndexedDB. Writes give a {@link WriteOutcome} rather than throwing; a
 * failed write (a full disk, say) changes nothing, and the next write is tried again, since a
 * smaller dataset may still fit.
 */
export class DatasetStore {
  constructor(private readonly db: IDBPDatabase<TunelabDB>) {}

  /** Every dataset of the library, newest first, without tables. */
  async list(): Promise<DatasetSummary[]> {
    const records = await this.db.getAll('datasets', IDBKeyRange.bound(META, `${META}\uffff`));
    return records.flatMap((r) => ('summary' in r ? [r.summary] : [])).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** One dataset with its table, or undefined when the library has none with that id. */
  async get(id: string): Promise<StoredDataset | undefined> {
    const tx = this.db.transaction('datasets');
    const [meta, table, parts] = await Promise.all([tx.store.get(META + id), tx.store.get(TABLE + id), tx.store.getAll(partsOf(id)), tx.done]);
    if (!meta || !table || !('summary' in meta)) return undefined;
    const { rows: _rows, columns: _columns, ...rest } = meta.summary;
    if ('table' in table) return { ...rest, table: table.table };
    if (!('head' in table)) return undefined;
    return { ...rest, table: joinTable(table.head, parts.flatMap((r) => ('part' in r ? [r.part] : []))) };
  }

  /** Saves a dataset (new, or replacing the one with its id): summary, table head and parts in one transaction. */
  put(dataset: StoredDataset): Promise<WriteOutcome> {
    return this.write(dataset.name, [
      (store) => store.delete(partsOf(dataset.id)),
      ...datasetRecords(dataset).map((record) => (store: DatasetObjectStore) => store.put(record)),
    ]);
  }

  /** Renames a dataset; an empty name is refused with a message. */
  async rename(id: string, name: string): Promise<WriteOutcome> {
    const trimmed = name.trim();
    if (!trimmed) return { ok: false, message: 'A dataset needs a name.' };
    if (trimmed.length > MAX_NAME) return { ok: false, message: `A name has at most ${MAX_NAME} characters.` };
    const tx = this.db.transaction('datasets', 'readwrite');
    const meta = await tx.store.get(META + id);
    if (!meta || !('summary' in meta)) {
      await tx.done;
      return { ok: false, message: 'This dataset is no longer in the library.' };
    }
    try {
      await Promise.all([tx.store.put({ id: meta.id, summary: { ...meta.summary, name: trimmed } }), tx.done]);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: describeWriteError(error, trimmed) };
    }
  }

  /** Deletes a dataset, summary and table together; the space it frees lets stores stopped on a full disk save again. */
  async delete(id: string): Promise<WriteOutcome> {
    const outcome = await this.write('The dataset', [(store) => store.delete(META + id), (store) => store.delete(TABLE + id), (store) => store.delete(partsOf(id))]);
    if (outcome.ok) spaceFreed();
    return outcome;
  }

  /** A dataset written as CSV (see tableCsvParts), or undefined when it is not in the library. */
  async exportCsv(id: string): Promise<Blob | undefined> {
    const dataset = await this.get(id);
    return dataset && new Blob([...tableCsvParts(dataset.table)], { type: 'text/csv' });
  }

  /** Closes the connection (tests; a worker that read what it needed). */
  close(): void {
    this.db.close();
  }

  /**
   * Runs `requests` in one readwrite transaction. Any failure, thrown at once or reported by the
   * transaction (QuotaExceededError arrives as an abort), aborts it, so nothing of it is kept.
   */
  private async write(name: string, requests: ((store: DatasetObjectStore) => Promise<unknown>)[]): Promise<WriteOutcome> {
    const tx = this.db.transaction('datasets', 'readwrite');
    // Every request made is awaited, even when a later one throws, so none rejects unheard.
    const pending: Promise<unknown>[] = [tx.done];
    try {
      for (const request of requests) pending.push(request(tx.store));
      await Promise.all(pending);
      return { ok: true };
    } catch (error) {
      await abandon(tx, pending);
      console.warn('tunelab: a dataset write failed', error);
      return { ok: false, message: describeWriteError(error, name) };
    }
  }
}

/**
 * Aborts a transaction one of whose requests failed, and waits for all its requests to settle,
 * so that none rejects unheard: nothing of the transaction is kept.
 */
export async function abandon(tx: { abort(): void }, pending: Promise<unknown>[]): Promise<void> {
  try {
    tx.abort();
  } catch {
    // The transaction had already ended (aborted by the browser): nothing was written.
  }
  await Promise.allSettled(pending);
}

/**
 * Opens the library. Pages keep it open; a worker opens it for one read. Rejects with a
 * sentence for the user when IndexedDB cannot be opened (see {@link openDatabase}).
 *
 * @example
 * const store = await openDatasetStore();
 * const library = await store.list();
 */
export async function openDatasetStore(name = DB_NAME): Promise<DatasetStore> {
  return new DatasetStore(await openDatabase(name));
}

/**
 * A connection to tunelab's database, upgraded to the current schema, for a page's datasets and
 * class packs. Rejects with a sentence for the user when IndexedDB cannot be opened (no
 * IndexedDB, an older tunelab open in another tab that blocks the upgrade, a newer one that
 * already made it).
 */
export async function openDatabase(name = DB_NAME): Promise<IDBPDatabase<TunelabDB>> {
  if (typeof indexedDB === 'undefined') throw new Error('This browser offers no IndexedDB: imported datasets cannot be kept.');
  let blocked = false;
  try {
    return await new Promise<IDBPDatabase<TunelabDB>>((resolve, reject) => {
      openDB<TunelabDB>(name, DB_VERSION, {
        upgrade: migrate,
        blocked() {
          blocked = true;
          reject(new Error('tunelab is open in another tab with an older version: close that tab and reload this one to use your datasets.'));
        },
        // A newer tunelab in another tab wants to upgrade: let it.
        blocking(_current, _blocked, event) {
          (event.target as IDBDatabase).close();
        },
      }).then((db) => (blocked ? db.close() : resolve(db)), reject);
    });
  } catch (error) {
    if ((error as DOMException)?.name === 'VersionError') {
      throw new Error('A newer version of tunelab has upgraded the saved data: reload the page to get it.');
    }
    throw error instanceof Error && blocked ? error : new Error(`Your datasets cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** What the site stores and may still store, or undefined where the browser does not tell. */
export async function storageInfo(): Promise<StorageInfo | undefined> {
  if (!navigator.storage?.estimate) return undefined;
  const [{ usage = 0, quota = 0 }, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted?.() ?? false]);
  return { used: usage, available: Math.max(0, quota - usage), persisted };
}

/**
 * Asks the browser to keep the site's data under storage pressure (navigator.storage.persist);
 * gives whether it agreed. Chrome decides by how the site is used, Firefox asks the user.
 */
export async function keepData(): Promise<boolean> {
  return (await navigator.storage?.persist?.()) ?? false;
}

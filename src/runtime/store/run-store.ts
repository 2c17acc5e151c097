import { openDB, type IDBPDatabase } from 'idb';
import type { ExperimentSpec } from '../../core/spec/experiment';
import type { EpochMetrics, RunStatus } from '../../core/train/types';
import type { BackendInfo } from '../backend-types';
import { WriteGuard } from './guard';
import { isRunRecord } from './run-check';
import { DB_VERSION, migrate, type RunRecord, type TunelabDB } from './schema';
import { IdbStudyStore, MemoryStudyStore, type StudyStore } from './study-store';

/** What finishing a run may record. */
export type RunFinish = Pick<RunRecord, 'status' | 'divergedAt' | 'message' | 'weights' | 'weightShapes' | 'initialWeights' | 'path' | 'recipe' | 'evaluation'>;

/**
 * The saved runs. Writes never throw into the caller: a failed write (storage full, database
 * closed) switches the store to a degraded state that `problem` describes and `onProblem`
 * announces, and what is already saved stays as it is. Records read back are checked; one
 * that fails the check is skipped with a console warning.
 */
export interface RunStore {
  /** A sentence for the user when runs are not being saved, else undefined. */
  readonly problem: string | undefined;
  /** Calls `listener` with the sentence when saving stops; returns the function that unsubscribes it. */
  onProblem(listener: (problem: string) => void): () => void;
  /** Saves a new run, status 'running', with no epochs yet. */
  createRun(spec: ExperimentSpec, backend: BackendInfo | null): Promise<RunRecord>;
  /** Adds finished epochs to a run, in one small transaction, as they end. */
  appendEpochs(id: string, metrics: EpochMetrics[]): Promise<void>;
  /** Records how a run ended (and its final weights); gives the record as saved, or undefined if it was not. */
  finishRun(id: string, finish: RunFinish): Promise<RunRecord | undefined>;
  /** Records the backend that runs a run, once the worker has picked it. */
  setBackend(id: string, backend: BackendInfo): Promise<void>;
  /** One saved run, or undefined when there is none (or it does not pass the check). */
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Every saved run, newest first. */
  listRuns(): Promise<RunRecord[]>;
  /** Deletes a run; tried even when saving has stopped, since it frees space. */
  deleteRun(id: string): Promise<void>;
  /** At start-up: runs a previous page left running or paused become 'interrupted', with their metrics. */
  markInterrupted(): Promise<void>;
  /** Closes the database connection (tests, and a page that is leaving). */
  close(): void;
}

const UNFINISHED: RunStatus[] = ['running', 'paused'];

function newRecord(spec: ExperimentSpec, backend: BackendInfo | null): RunRecord {
  const now = Date.now();
  return { id: crypto.randomUUID(), createdAt: now, updatedAt: now, spec, backend, status: 'running', epochs: [] };
}

/** The record if it passes the check; else a console warning, and undefined. */
function checked(value: unknown): RunRecord | undefined {
  if (isRunRecord(value)) return value;
  console.warn('tunelab: skipped a saved run that does not read back', (value as { id?: unknown } | undefined)?.id);
  return undefined;
}

/** Runs in IndexedDB. */
export class IdbRunStore implements RunStore {
  constructor(
    private readonly db: IDBPDatabase<TunelabDB>,
    private readonly guard: WriteGuard,
  ) {}

  get problem(): string | undefined {
    return this.guard.problem;
  }

  onProblem(listener: (problem: string) => void): () => void {
    return this.guard.onProblem(listener);
  }

  async createRun(spec: ExperimentSpec, backend: BackendInfo | null): Promise<RunRecord> {
    const record = newRecord(spec, backend);
    await this.guard.write(() => this.db.put('runs', record));
    return record;
  }

  async appendEpochs(id: string, metrics: EpochMetrics[]): Promise<void> {
    await this.update(id, (r) => ({ ...r, epochs: [...r.epochs, ...metrics] }));
  }

  finishRun(id: string, finish: RunFinish): Promise<RunRecord | undefined> {
    return this.update(id, (r) => ({ ...r, ...finish }));
  }

  async setBackend(id: string, backend: BackendInfo): Promise<void> {
    await this.update(id, (r) => ({ ...r, backend }));
  }

  getRun(id: string): Promise<RunRecord | undefined> {
    return this.read(undefined, async () => {
      const record = await this.db.get('runs', id);
      return record === undefined ? undefined : checked(record);
    });
  }

  listRuns(): Promise<RunRecord[]> {
    return this.read([], async () => {
      const oldestFirst = await this.db.getAllFromIndex('runs', 'createdAt');
      return oldestFirst.reverse().flatMap((r) => checked(r) ?? []);
    });
  }

  async deleteRun(id: string): Promise<void> {
    await this.guard.release(() => this.db.delete('runs', id));
  }

  async markInterrupted(): Promise<void> {
    await this.guard.write(async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      for await (const cursor of tx.store) {
        if (UNFINISHED.includes(cursor.value.status)) {
          await cursor.update({ ...cursor.value, status: 'interrupted', updatedAt: Date.now() });
        }
      }
      await tx.done;
    });
  }

  close(): void {
    this.db.close();
  }

  /**
   * Read-modify-write of one record in one transaction. IndexedDB runs overlapping readwrite
   * transactions in the order they were opened, so epochs appended without awaiting stay in order.
   */
  private async update(id: string, change: (r: RunRecord) => RunRecord): Promise<RunRecord | undefined> {
    let saved: RunRecord | undefined;
    await this.guard.write(async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      const current = await tx.store.get(id);
      const next = current && { ...change(current), updatedAt: Date.now() };
      if (next) await tx.store.put(next);
      await tx.done;
      saved = next;
    });
    return saved;
  }

  /** A read that gives `fallback` rather than throwing when the database cannot be read (closed by another tab, say). */
  private async read<T>(fallback: T, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      console.warn('tunelab: reading saved runs failed', error);
      return fallback;
    }
  }
}

/** Runs kept in memory only, for when IndexedDB cannot be opened: the page works, nothing persists. */
export class MemoryRunStore implements RunStore {
  private runs = new Map<string, RunRecord>();

  /** `problem` is the sentence that tells the user why nothing is saved. */
  constructor(readonly problem: string) {}

  /** The problem is known from the start and never changes, so there is nothing to announce. */
  onProblem(): () => void {
    return () => {};
  }

  async createRun(spec: ExperimentSpec, backend: BackendInfo | null): Promise<RunRecord> {
    const record = newRecord(structuredClone(spec), structuredClone(backend));
    this.runs.set(record.id, record);
    return structuredClone(record);
  }

  async appendEpochs(id: string, metrics: EpochMetrics[]): Promise<void> {
    this.change(id, (r) => r.epochs.push(...structuredClone(metrics)));
  }

  async finishRun(id: string, finish: RunFinish): Promise<RunRecord | undefined> {
    return this.change(id, (r) => Object.assign(r, structuredClone(finish)));
  }

  async setBackend(id: string, backend: BackendInfo): Promise<void> {
    this.change(id, (r) => (r.backend = structuredClone(backend)));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const r = this.runs.get(id);
    return r && structuredClone(r);
  }

  async listRuns(): Promise<RunRecord[]> {
    return [...this.runs.values()].sort((a, b) => b.createdAt - a.createdAt).map((r) => structuredClone(r));
  }

  async deleteRun(id: string): Promise<void> {
    this.runs.delete(id);
  }

  async markInterrupted(): Promise<void> {
    for (const r of this.runs.values()) if (UNFINISHED.includes(r.status)) r.status = 'interrupted';
  }

  close(): void {}

  /** Changes a kept run in place; gives a copy of it as changed, as IndexedDB would give it back. */
  private change(id: string, edit: (r: RunRecord) => unknown): RunRecord | undefined {
    const r = this.runs.get(id);
    if (!r) return undefined;
    edit(r);
    r.updatedAt = Date.now();
    return structuredClone(r);
  }
}

/** The database name; tests pass their own. */
export const DB_NAME = 'tunelab';

/** The stores a page works with, and whether what they keep outlives the page. */
export interface OpenedStore {
  store: RunStore;
  studies: StudyStore;
  /** False when IndexedDB could not be opened and the stores keep everything in memory. */
  persistent: boolean;
  /** Why nothing is being saved, for the user, when `persistent` is false. */
  problem?: string;
}

/** Another tab keeps an older version of the database open and does not let it upgrade. */
const BLOCKED = Symbol('blocked');

/** The user's sentence for an open that failed. */
function describeOpenError(error: unknown): string {
  if (error === BLOCKED) {
    return 'Runs are not being saved: tunelab is open in another tab with an older version; close that tab and reload this one.';
  }
  if ((error as DOMException)?.name === 'VersionError') {
    return 'Runs are not being saved: a newer version of tunelab has upgraded the saved data; reload the page to get it.';
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `Runs are not being saved: storage could not be opened (${reason}).`;
}

/**
 * Opens the store: IndexedDB when it works, upgraded through MIGRATIONS, else an in-memory
 * store whose `problem` says that runs are not being saved (private mode, IndexedDB blocked by
 * an older tab, an open error). Never throws.
 *
 * @example
 * const { store, problem } = await openStore();
 * await store.markInterrupted();
 * if (problem) showBanner(problem);
 * store.onProblem(showBanner);
 */
export async function openStore(name = DB_NAME): Promise<OpenedStore> {
  const guard = new WriteGuard();
  // An upgrade that an older tab blocks waits until that tab closes; the page goes on in memory
  // meanwhile, and the connection that opens late is closed.
  let wasBlocked = false;
  let onBlocked!: () => void;
  const blockedByOldTab = new Promise<never>((_, reject) => {
    onBlocked = () => {
      wasBlocked = true;
      reject(BLOCKED);
    };
  });
  try {
    if (typeof indexedDB === 'undefined') throw new Error('this browser offers no IndexedDB');
    const opening = openDB<TunelabDB>(name, DB_VERSION, {
      upgrade: migrate,
      blocked: onBlocked,
      // A newer tunelab in another tab wants to upgrade: let it, and stop saving here.
      blocking(_current, _blocked, event) {
        (event.target as IDBDatabase).close();
        guard.stop('tunelab was updated in another tab: this tab no longer saves runs; reload it to go on saving.');
      },
      terminated() {
        guard.stop('The browser closed the saved-runs database: new progress is not being saved; reload the page.');
      },
    });
    opening.then((db) => wasBlocked && db.close(), () => {});
    const db = await Promise.race([opening, blockedByOldTab]);
    return { store: new IdbRunStore(db, guard), studies: new IdbStudyStore(db, guard), persistent: true };
  } catch (error) {
    const problem = describeOpenError(error);
    return { store: new MemoryRunStore(problem), studies: new MemoryStudyStore(), persistent: false, problem };
  }
}

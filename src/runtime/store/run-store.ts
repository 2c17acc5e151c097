import { openDB, type IDBPDatabase } from 'idb';
import type { ExperimentSpec } from '../../core/spec/experiment';
import { validateExperiment } from '../../core/spec/schema';
import type { EpochMetrics, RunStatus } from '../../core/train/types';
import type { BackendInfo } from '../backend-types';
import { WriteGuard } from './guard';
import { DB_VERSION, MIGRATIONS, type RunRecord, type TunelabDB } from './schema';
import { IdbStudyStore, MemoryStudyStore, type StudyStore } from './study-store';

/** What finishing a run may record. */
export type RunFinish = Pick<RunRecord, 'status' | 'divergedAt' | 'message' | 'weights' | 'weightShapes'>;

/**
 * The saved runs. Writes never throw into the caller: a failed write (storage full, database
 * closed) switches the store to a degraded state that `problem` describes and `onProblem`
 * announces, and what is already saved stays as it is.
 */
export interface RunStore {
  /** A sentence for the user when runs are not being saved, else undefined. */
  readonly problem: string | undefined;
  onProblem(listener: (problem: string) => void): void;
  createRun(spec: ExperimentSpec, backend: BackendInfo | null): Promise<RunRecord>;
  appendEpochs(id: string, metrics: EpochMetrics[]): Promise<void>;
  finishRun(id: string, finish: RunFinish): Promise<RunRecord | undefined>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Every saved run, newest first. */
  listRuns(): Promise<RunRecord[]>;
  deleteRun(id: string): Promise<void>;
  /** At start-up: runs a previous page left running or paused become 'interrupted'. */
  markInterrupted(): Promise<void>;
  /** Closes the database connection (tests, and a page that is leaving). */
  close(): void;
}

const UNFINISHED: RunStatus[] = ['running', 'paused'];

function newRecord(spec: ExperimentSpec, backend: BackendInfo | null): RunRecord {
  const now = Date.now();
  return { id: crypto.randomUUID(), createdAt: now, updatedAt: now, spec, backend, status: 'running', epochs: [] };
}

/** Whether a record read back has the shape the screens rely on. */
function isRunRecord(value: unknown): value is RunRecord {
  const r = value as RunRecord;
  return (
    typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.createdAt === 'number' &&
    Array.isArray(r.epochs) && typeof r.status === 'string' && validateExperiment(r.spec).ok
  );
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

  onProblem(listener: (problem: string) => void): void {
    this.guard.onProblem(listener);
  }

  async createRun(spec: ExperimentSpec, backend: BackendInfo | null): Promise<RunRecord> {
    const record = newRecord(spec, backend);
    await this.write(() => this.db.put('runs', record));
    return record;
  }

  async appendEpochs(id: string, metrics: EpochMetrics[]): Promise<void> {
    await this.update(id, (r) => ({ ...r, epochs: [...r.epochs, ...metrics] }));
  }

  async finishRun(id: string, finish: RunFinish): Promise<RunRecord | undefined> {
    return this.update(id, (r) => ({ ...r, ...finish }));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const record = await this.db.get('runs', id);
    return isRunRecord(record) ? record : undefined;
  }

  async listRuns(): Promise<RunRecord[]> {
    const all = await this.db.getAllFromIndex('runs', 'createdAt');
    const valid = all.filter((r) => {
      if (isRunRecord(r)) return true;
      console.warn('tunelab: skipped a saved run that does not read back', (r as { id?: unknown })?.id);
      return false;
    });
    return valid.reverse();
  }

  async deleteRun(id: string): Promise<void> {
    await this.write(() => this.db.delete('runs', id));
  }

  async markInterrupted(): Promise<void> {
    await this.write(async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      for await (const cursor of tx.store) {
        if (UNFINISHED.includes(cursor.value.status)) await cursor.update({ ...cursor.value, status: 'interrupted' });
      }
      await tx.done;
    });
  }

  close(): void {
    this.db.close();
  }

  /** Read-modify-write of one record in one transaction, so concurrent appends do not race. */
  private async update(id: string, change: (r: RunRecord) => RunRecord): Promise<RunRecord | undefined> {
    let result: RunRecord | undefined;
    await this.write(async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      const current = await tx.store.get(id);
      if (current) {
        result = { ...change(current), updatedAt: Date.now() };
        await tx.store.put(result);
      }
      await tx.done;
    });
    return result;
  }

  private write(action: () => Promise<unknown>): Promise<void> {
    return this.guard.write(action);
  }
}

/** Runs kept in memory only, for when IndexedDB cannot be opened: the page works, nothing persists. */
export class MemoryRunStore implements RunStore {
  private runs = new Map<string, RunRecord>();

  constructor(readonly problem: string) {}

  onProblem(): void {}

  async createRun(spec: ExperimentSpec, backend: BackendInfo | null): Promise<RunRecord> {
    const record = newRecord(spec, backend);
    this.runs.set(record.id, record);
    return structuredClone(record);
  }

  async appendEpochs(id: string, metrics: EpochMetrics[]): Promise<void> {
    const r = this.runs.get(id);
    if (r) r.epochs.push(...metrics);
  }

  async finishRun(id: string, finish: RunFinish): Promise<RunRecord | undefined> {
    const r = this.runs.get(id);
    if (!r) return undefined;
    Object.assign(r, finish, { updatedAt: Date.now() });
    return structuredClone(r);
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
}

/** The database name; tests pass their own. */
export const DB_NAME = 'tunelab';

/**
 * Opens the store: IndexedDB when it works, else an in-memory store whose `problem` says that
 * runs are not being saved. Never throws.
 */
export async function openStore(name = DB_NAME): Promise<{ store: RunStore; studies: StudyStore; persistent: boolean }> {
  try {
    if (typeof indexedDB === 'undefined') throw new Error('this browser offers no IndexedDB');
    const db = await openDB<TunelabDB>(name, DB_VERSION, {
      upgrade(database, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < DB_VERSION; v++) MIGRATIONS[v](database, tx);
      },
      blocked() {
        console.warn('tunelab: another tab holds an older version of the database open');
      },
    });
    const guard = new WriteGuard();
    return { store: new IdbRunStore(db, guard), studies: new IdbStudyStore(db, guard), persistent: true };
  } catch (error) {
    const problem = `Runs are not being saved: storage could not be opened (${(error as Error).message}).`;
    return { store: new MemoryRunStore(problem), studies: new MemoryStudyStore(), persistent: false };
  }
}

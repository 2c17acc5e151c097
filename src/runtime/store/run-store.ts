import type { IDBPDatabase } from 'idb';
import type { ExperimentSpec } from '../../core/spec/experiment';
import type { EpochMetrics, RunStatus } from '../../core/train/types';
import type { BackendInfo } from '../backend-types';
import type { WriteGuard } from './guard';
import { damagedRecords, type DamagedRecord } from './damaged';
import { isRunRecord, runRecordProblem } from './run-check';
import type { RunRecord, TunelabDB } from './schema';

/** What finishing a run may record. */
export type RunFinish = Pick<RunRecord, 'status' | 'divergedAt' | 'message' | 'weights' | 'weightShapes' | 'initialWeights' | 'path' | 'recipe' | 'evaluation' | 'classWeights'>;

/** The epochs of `metrics` after the last of `saved`, by number. */
function unsaved(saved: EpochMetrics[], metrics: EpochMetrics[]): EpochMetrics[] {
  const last = saved.at(-1)?.epoch ?? -Infinity;
  return metrics.filter((m) => m.epoch > last);
}

/**
 * The saved runs. Writes never throw into the caller: a failed write (storage full, database
 * closed) switches the store to a degraded state that `problem` describes and `onProblem`
 * announces, and what is already saved stays as it is; on a full disk, deleting a run, a study
 * or a dataset starts saving again. Records read back are checked; one
 * that fails the check is skipped with a console warning.
 */
export interface RunStore {
  /** A sentence for the user when runs are not being saved, else undefined. */
  readonly problem: string | undefined;
  /**
   * Calls `listener` with the sentence when saving stops, and with undefined when it starts
   * again (a delete of a run, study or dataset freed space on a full disk); returns the function that unsubscribes it.
   */
  onProblem(listener: (problem: string | undefined) => void): () => void;
  /** Saves a new run, status 'running', with no epochs yet. */
  createRun(spec: ExperimentSpec, backend: BackendInfo | null): Promise<RunRecord>;
  /**
   * Adds finished epochs to a run, in one small transaction, as they end; an epoch the run
   * already holds (by its number) is skipped, so that the whole history given at the end and a
   * late single epoch do not count one epoch twice.
   */
  appendEpochs(id: string, metrics: EpochMetrics[]): Promise<void>;
  /** Records how a run ended (and its final weights); gives the record as saved, or undefined if it was not. */
  finishRun(id: string, finish: RunFinish): Promise<RunRecord | undefined>;
  /** Records the backend that runs a run, once the worker has picked it. */
  setBackend(id: string, backend: BackendInfo): Promise<void>;
  /** One saved run, or undefined when there is none (or it does not pass the check). */
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Every saved run, newest first. */
  listRuns(): Promise<RunRecord[]>;
  /** The stored records that fail their check on reading (and so are not in listRuns), to be shown and deleted. */
  listDamaged(): Promise<DamagedRecord[]>;
  /** Deletes a run; tried even when saving has stopped, since it frees space. */
  deleteRun(id: string): Promise<void>;
  /**
   * At start-up: runs a previous page left running or paused become 'interrupted', with their
   * metrics; runs in `live` (those whose lock another open tab holds) are left as they are.
   */
  markInterrupted(live?: ReadonlySet<string>): Promise<void>;
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

  onProblem(listener: (problem: string | undefined) => void): () => void {
    return this.guard.onProblem(listener);
  }

  async createRun(spec: ExperimentSpec, backend: BackendInfo | null): Promise<RunRecord> {
    const record = newRecord(spec, backend);
    await this.guard.write(() => this.db.put('runs', record));
    return record;
  }

  async appendEpochs(id: string, metrics: EpochMetrics[]): Promise<void> {
    await this.update(id, (r) => ({ ...r, epochs: [...r.epochs, ...unsaved(r.epochs, metrics)] }));
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

  listDamaged(): Promise<DamagedRecord[]> {
    return this.read([], async () => {
      return damagedRecords('run', await this.db.getAll('runs'), runRecordProblem);
    });
  }

  async deleteRun(id: string): Promise<void> {
    await this.guard.release(() => this.db.delete('runs', id));
  }

  async markInterrupted(live: ReadonlySet<string> = new Set()): Promise<void> {
    await this.guard.write(async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      for await (const cursor of tx.store) {
        if (UNFINISHED.includes(cursor.value.status) && !live.has(cursor.value.id)) {
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
    this.change(id, (r) => r.epochs.push(...structuredClone(unsaved(r.epochs, metrics))));
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

  /** Records in memory were never read back from anywhere: none is damaged. */
  async listDamaged(): Promise<DamagedRecord[]> {
    return [];
  }

  async deleteRun(id: string): Promise<void> {
    this.runs.delete(id);
  }

  async markInterrupted(live: ReadonlySet<string> = new Set()): Promise<void> {
    for (const r of this.runs.values()) if (UNFINISHED.includes(r.status) && !live.has(r.id)) r.status = 'interrupted';
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

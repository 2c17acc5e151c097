import type { IDBPDatabase } from 'idb';
import type { StudyRecord, StudySpec, TrialRecord } from '../../core/study/types';
import type { WriteGuard } from './guard';
import type { TunelabDB } from './schema';
import { isStudyRecord, isTrialRecord } from './study-check';

/**
 * The saved studies and their trials. Records read back are checked; one that fails the check
 * is skipped with a console warning. Every finished trial is written when it finishes and a
 * running trial's epochs as they end, so a reload loses at most the epoch in flight.
 */
export interface StudyStore {
  createStudy(spec: StudySpec): Promise<StudyRecord>;
  getStudy(id: string): Promise<StudyRecord | undefined>;
  /** Every study, newest first. */
  listStudies(): Promise<StudyRecord[]>;
  setStatus(id: string, status: StudyRecord['status']): Promise<void>;
  /** Writes a trial as it is now (insert or replace). */
  putTrial(trial: TrialRecord): Promise<void>;
  /** A study's trials in trial-number order. */
  listTrials(studyId: string): Promise<TrialRecord[]>;
  /** Deletes a study with all its trials, in one transaction. */
  deleteStudy(id: string): Promise<void>;
}

/** The records that pass `check`; a console warning names each one skipped. */
function passing<T>(records: unknown[], check: (r: unknown) => r is T, what: string): T[] {
  return records.filter((r): r is T => {
    if (check(r)) return true;
    console.warn(`tunelab: skipped a saved ${what} that does not read back`, (r as { id?: unknown; number?: unknown } | undefined)?.id ?? (r as { number?: unknown })?.number);
    return false;
  });
}

function newStudy(spec: StudySpec): StudyRecord {
  return { id: crypto.randomUUID(), createdAt: Date.now(), spec, status: 'running' };
}

/** Studies in IndexedDB, sharing the run store's degraded state. */
export class IdbStudyStore implements StudyStore {
  constructor(
    private readonly db: IDBPDatabase<TunelabDB>,
    private readonly guard: WriteGuard,
  ) {}

  async createStudy(spec: StudySpec): Promise<StudyRecord> {
    const study = newStudy(spec);
    await this.guard.write(() => this.db.put('studies', study));
    return study;
  }

  async getStudy(id: string): Promise<StudyRecord | undefined> {
    const study = await this.db.get('studies', id);
    return study === undefined ? undefined : passing([study], isStudyRecord, 'study')[0];
  }

  async listStudies(): Promise<StudyRecord[]> {
    return passing((await this.db.getAllFromIndex('studies', 'createdAt')).reverse(), isStudyRecord, 'study');
  }

  async setStatus(id: string, status: StudyRecord['status']): Promise<void> {
    await this.guard.write(async () => {
      const tx = this.db.transaction('studies', 'readwrite');
      const study = await tx.store.get(id);
      if (study) await tx.store.put({ ...study, status });
      await tx.done;
    });
  }

  async putTrial(trial: TrialRecord): Promise<void> {
    await this.guard.write(() => this.db.put('trials', trial));
  }

  async listTrials(studyId: string): Promise<TrialRecord[]> {
    const trials = passing(await this.db.getAllFromIndex('trials', 'studyId', studyId), isTrialRecord, 'trial');
    return trials.sort((a, b) => a.number - b.number);
  }

  async deleteStudy(id: string): Promise<void> {
    await this.guard.release(async () => {
      const tx = this.db.transaction(['studies', 'trials'], 'readwrite');
      const trials = tx.objectStore('trials');
      for (const key of await trials.index('studyId').getAllKeys(id)) await trials.delete(key);
      await tx.objectStore('studies').delete(id);
      await tx.done;
    });
  }
}

/** Studies in memory, for when IndexedDB cannot be opened. */
export class MemoryStudyStore implements StudyStore {
  private studies = new Map<string, StudyRecord>();
  private trials = new Map<string, TrialRecord>();

  async createStudy(spec: StudySpec): Promise<StudyRecord> {
    const study = newStudy(spec);
    this.studies.set(study.id, study);
    return structuredClone(study);
  }

  async getStudy(id: string): Promise<StudyRecord | undefined> {
    const s = this.studies.get(id);
    return s && structuredClone(s);
  }

  async listStudies(): Promise<StudyRecord[]> {
    return [...this.studies.values()].sort((a, b) => b.createdAt - a.createdAt).map((s) => structuredClone(s));
  }

  async setStatus(id: string, status: StudyRecord['status']): Promise<void> {
    const s = this.studies.get(id);
    if (s) s.status = status;
  }

  async putTrial(trial: TrialRecord): Promise<void> {
    this.trials.set(`${trial.studyId}/${trial.number}`, structuredClone(trial));
  }

  async listTrials(studyId: string): Promise<TrialRecord[]> {
    return [...this.trials.values()].filter((t) => t.studyId === studyId).sort((a, b) => a.number - b.number).map((t) => structuredClone(t));
  }

  async deleteStudy(id: string): Promise<void> {
    this.studies.delete(id);
    for (const [key, t] of this.trials) if (t.studyId === id) this.trials.delete(key);
  }
}

import type { IDBPDatabase } from 'idb';
import { weightBytes } from '../../core/study/kept-weights';
import type { StudyRecord, StudySpec, TrialRecord, TrialWeights } from '../../core/study/types';
import type { WriteGuard } from './guard';
import type { TunelabDB } from './schema';
import { damagedRecords, type DamagedRecord } from './damaged';
import { isStudyRecord, isTrialRecord, isTrialWeights, studyRecordProblem, trialRecordProblem } from './study-check';

/**
 * The saved studies and their trials. Records read back are checked; one that fails the check
 * is skipped with a console warning, and listed by `listDamaged` to be deleted. Every finished trial is written when it finishes and a
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
  /** Deletes a study with all its trials and kept networks, in one transaction. */
  deleteStudy(id: string): Promise<void>;
  /** The stored studies and trials that fail their check on reading (and so are not listed), to be shown and deleted. */
  listDamaged(): Promise<DamagedRecord[]>;
  /** Deletes one trial (a damaged one: a study's trials otherwise go with it); tried even when saving has stopped. */
  deleteTrial(studyId: string, number: number): Promise<void>;
  /** Keeps a trial's trained network (insert or replace). */
  putWeights(weights: TrialWeights): Promise<void>;
  /** A trial's kept network, or undefined when none is kept (or it does not pass the check). */
  getWeights(studyId: string, number: number): Promise<TrialWeights | undefined>;
  /** The trials of a study whose networks are kept, with the bytes of their weights, in trial-number order. */
  keptWeights(studyId: string): Promise<{ number: number; bytes: number }[]>;
  /** Lets a trial's network go (a better one took its place); tried even when saving has stopped, since it frees space. */
  deleteWeights(studyId: string, number: number): Promise<void>;
}

/** What {@link StudyStore.keptWeights} tells of each kept network. */
const keptSummary = (w: TrialWeights) => ({ number: w.number, bytes: weightBytes(w.weights) });

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
      const tx = this.db.transaction(['studies', 'trials', 'trialWeights'], 'readwrite');
      for (const name of ['trials', 'trialWeights'] as const) {
        const store = tx.objectStore(name);
        for (const key of await store.index('studyId').getAllKeys(id)) await store.delete(key);
      }
      await tx.objectStore('studies').delete(id);
      await tx.done;
    });
  }

  async listDamaged(): Promise<DamagedRecord[]> {
    const [studies, trials] = await Promise.all([this.db.getAll('studies'), this.db.getAll('trials')]);
    return [...damagedRecords('study', studies, studyRecordProblem), ...damagedRecords('trial', trials, trialRecordProblem)];
  }

  async deleteTrial(studyId: string, number: number): Promise<void> {
    await this.guard.release(() => this.db.delete('trials', [studyId, number]));
  }

  async putWeights(weights: TrialWeights): Promise<void> {
    await this.guard.write(() => this.db.put('trialWeights', weights));
  }

  async getWeights(studyId: string, number: number): Promise<TrialWeights | undefined> {
    const weights = await this.db.get('trialWeights', [studyId, number]);
    return weights === undefined ? undefined : passing([weights], isTrialWeights, 'trained network')[0];
  }

  async keptWeights(studyId: string): Promise<{ number: number; bytes: number }[]> {
    const kept = passing(await this.db.getAllFromIndex('trialWeights', 'studyId', studyId), isTrialWeights, 'trained network');
    return kept.map(keptSummary).sort((a, b) => a.number - b.number);
  }

  async deleteWeights(studyId: string, number: number): Promise<void> {
    await this.guard.release(() => this.db.delete('trialWeights', [studyId, number]));
  }
}

/** Studies in memory, for when IndexedDB cannot be opened. */
export class MemoryStudyStore implements StudyStore {
  private studies = new Map<string, StudyRecord>();
  private trials = new Map<string, TrialRecord>();
  private weights = new Map<string, TrialWeights>();

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
    for (const [key, w] of this.weights) if (w.studyId === id) this.weights.delete(key);
  }

  /** Records in memory were never read back from anywhere: none is damaged. */
  async listDamaged(): Promise<DamagedRecord[]> {
    return [];
  }

  async deleteTrial(studyId: string, number: number): Promise<void> {
    this.trials.delete(`${studyId}/${number}`);
  }

  async putWeights(weights: TrialWeights): Promise<void> {
    this.weights.set(`${weights.studyId}/${weights.number}`, structuredClone(weights));
  }

  async getWeights(studyId: string, number: number): Promise<TrialWeights | undefined> {
    const w = this.weights.get(`${studyId}/${number}`);
    return w && structuredClone(w);
  }

  async keptWeights(studyId: string): Promise<{ number: number; bytes: number }[]> {
    return [...this.weights.values()].filter((w) => w.studyId === studyId).map(keptSummary).sort((a, b) => a.number - b.number);
  }

  async deleteWeights(studyId: string, number: number): Promise<void> {
    this.weights.delete(`${studyId}/${number}`);
  }
}

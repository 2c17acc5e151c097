import type { IDBPDatabase } from 'idb';
import type { StudyRecord } from '../../core/study/types';
import { abandon, DatasetStore, datasetRecords, openDatabase, type DatasetSummary, type WriteOutcome } from '../store/dataset-store';
import { isLessonRecord } from '../store/lesson-check';
import { isRunRecord } from '../store/run-check';
import { DB_NAME, type LessonRecord, type RunRecord, type TunelabDB } from '../store/schema';
import { isStudyRecord, isTrialRecord } from '../store/study-check';
import { datasetsUsedBy, planMerge, type MergePlan, type PackKind } from './merge';
import { PACK_FORMAT, PACK_VERSION, type ClassPack, type PackStudy } from './pack';

/** Everything kept in this browser that a class pack can carry, newest first. */
export interface PackInventory {
  runs: RunRecord[];
  studies: StudyRecord[];
  datasets: DatasetSummary[];
  lessons: LessonRecord[];
}

/** The ids chosen for a pack, per kind. */
export type PackChoice = Record<PackKind, string[]>;

/** How an import went: what it added and found here already, or why nothing was changed. */
export type ImportOutcome = { ok: true; plan: MergePlan } | { ok: false; message: string };

const META = 'meta:';
const newestFirst = <T extends { createdAt: number }>(records: T[]) => records.sort((a, b) => b.createdAt - a.createdAt);

/** Every store a pack touches: an import writes them in one transaction, all or nothing. */
const PACK_STORES = ['runs', 'studies', 'trials', 'datasets', 'lessons'] as const;

/**
 * Class packs against IndexedDB: what can go in one, a chosen set gathered into one, and a pack
 * merged in, in one transaction, without overwriting anything kept.
 */
export class PackStore {
  private readonly library: DatasetStore;

  constructor(private readonly db: IDBPDatabase<TunelabDB>) {
    this.library = new DatasetStore(db);
  }

  /** Runs, studies, datasets and lessons that pass their checks, newest first. */
  async inventory(): Promise<PackInventory> {
    const [runs, studies, datasets, lessons] = await Promise.all([this.db.getAll('runs'), this.db.getAll('studies'), this.library.list(), this.lessons()]);
    return {
      runs: newestFirst(runs.filter(isRunRecord)),
      studies: newestFirst(studies.filter(isStudyRecord)),
      datasets,
      lessons,
    };
  }

  /** The lessons kept here (saved from the lab or brought by packs) that pass their check, newest first. */
  async lessons(): Promise<LessonRecord[]> {
    return newestFirst((await this.db.getAll('lessons')).filter(isLessonRecord));
  }

  /** The chosen records as one pack, with the imported datasets the chosen runs and studies train on. */
  async gather(choice: PackChoice, now = Date.now()): Promise<ClassPack> {
    const runs = (await Promise.all(choice.runs.map((id) => this.db.get('runs', id)))).filter(isRunRecord);
    const studies: PackStudy[] = [];
    for (const id of choice.studies) {
      const study = await this.db.get('studies', id);
      if (!isStudyRecord(study)) continue;
      const trials = (await this.db.getAllFromIndex('trials', 'studyId', id)).filter(isTrialRecord).sort((a, b) => a.number - b.number);
      studies.push({ study, trials });
    }
    const datasetIds = [...new Set([...choice.datasets, ...datasetsUsedBy(runs, studies)])];
    const datasets = (await Promise.all(datasetIds.map((id) => this.library.get(id)))).filter((d) => d !== undefined);
    const lessons = (await Promise.all(choice.lessons.map((id) => this.db.get('lessons', id)))).filter(isLessonRecord);
    return { format: PACK_FORMAT, version: PACK_VERSION, createdAt: now, runs, studies, datasets, lessons };
  }

  /**
   * Merges a checked pack in (see planMerge): what is here already stays as it is, the rest is
   * added, all in one transaction, so a failure (a full disk) leaves everything as it was.
   */
  async merge(pack: ClassPack): Promise<ImportOutcome> {
    const tx = this.db.transaction([...PACK_STORES], 'readwrite');
    const pending: Promise<unknown>[] = [tx.done];
    try {
      const [runs, studies, lessons, datasets] = await Promise.all([
        tx.objectStore('runs').getAllKeys(),
        tx.objectStore('studies').getAllKeys(),
        tx.objectStore('lessons').getAllKeys(),
        tx.objectStore('datasets').getAllKeys(IDBKeyRange.bound(META, `${META}\uffff`)),
      ]);
      const plan = planMerge(pack, {
        runs: new Set(runs), studies: new Set(studies), lessons: new Set(lessons), datasets: new Set(datasets.map((k) => k.slice(META.length))),
      });
      // add, not put: a record that another tab wrote meanwhile aborts the import instead of being overwritten.
      for (const run of plan.add.runs) pending.push(tx.objectStore('runs').add(run));
      for (const { study, trials } of plan.add.studies) {
        pending.push(tx.objectStore('studies').add(study));
        for (const trial of trials) pending.push(tx.objectStore('trials').add(trial));
      }
      for (const dataset of plan.add.datasets) for (const record of datasetRecords(dataset)) pending.push(tx.objectStore('datasets').add(record));
      for (const lesson of plan.add.lessons) pending.push(tx.objectStore('lessons').add(lesson));
      await Promise.all(pending);
      return { ok: true, plan };
    } catch (error) {
      await abandon(tx, pending);
      console.warn('tunelab: a class pack import failed', error);
      return { ok: false, message: describeImportError(error) };
    }
  }

  /** Saves a lesson (new, or replacing the one with its id). */
  async saveLesson(lesson: LessonRecord): Promise<WriteOutcome> {
    try {
      await this.db.put('lessons', lesson);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: `The lesson was not saved (${error instanceof Error ? error.message : String(error)}).` };
    }
  }

  /** Deletes a lesson. */
  async deleteLesson(id: string): Promise<void> {
    await this.db.delete('lessons', id);
  }

  /** Closes the connection. */
  close(): void {
    this.db.close();
  }
}

function describeImportError(error: unknown): string {
  if ((error as DOMException)?.name === 'QuotaExceededError') return 'Storage is full: the class pack was not imported, and nothing was changed. Delete runs or datasets you no longer need and try again.';
  if ((error as DOMException)?.name === 'ConstraintError') return 'Something of this class pack was saved in another tab meanwhile: nothing was changed; import it again.';
  return `The class pack was not imported (${error instanceof Error ? error.message : String(error)}); nothing was changed.`;
}

/** Opens the pack store on tunelab's database; rejects with a sentence for the user when it cannot be opened. */
export async function openPackStore(name = DB_NAME): Promise<PackStore> {
  return new PackStore(await openDatabase(name));
}

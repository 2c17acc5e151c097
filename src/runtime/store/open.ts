import { openDB } from 'idb';
import { WriteGuard } from './guard';
import { IdbRunStore, MemoryRunStore, type RunStore } from './run-store';
import { DB_NAME, DB_VERSION, migrate, type TunelabDB } from './schema';
import { IdbStudyStore, MemoryStudyStore, type StudyStore } from './study-store';

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

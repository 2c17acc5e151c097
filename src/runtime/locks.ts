/**
 * One writer per study and per live run, across the tabs of this site, through the Web Locks
 * API: a tab holds a record's lock while it writes it, and the lock goes when the tab closes or
 * crashes, so a lock held means a writer alive. Where the API is missing (a page served over
 * plain http from another host), every lock is granted and one tab works as before.
 */

/** Gives a held lock back; resolves once other tabs can take it. */
export type Release = () => Promise<void>;

const RUN = 'tunelab:run:';
const STUDY = 'tunelab:study:';

/** The lock a run holds while it trains. */
export const runLock = (id: string): string => `${RUN}${id}`;
/** The lock a study holds while a tab runs it. */
export const studyLock = (id: string): string => `${STUDY}${id}`;

function lockManager(): LockManager | undefined {
  return globalThis.navigator?.locks;
}

/**
 * Takes the lock `name` if no tab holds it, and keeps it until the release is called; null
 * when another holder has it.
 */
export function tryLock(name: string): Promise<Release | null> {
  const locks = lockManager();
  if (!locks) return Promise.resolve(async () => {});
  return new Promise((resolve, reject) => {
    // Settles once the lock is let go (or was never had).
    const settled: Promise<unknown> = locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(null);
        // The lock is held until this promise settles, which the release does.
        return new Promise<void>((release) =>
          resolve(async () => {
            release();
            await settled;
          }),
        );
      })
      .catch(reject);
  });
}

/** The ids of the records whose locks of this kind ('run' or 'study') some tab holds now. */
export async function lockedIds(kind: 'run' | 'study'): Promise<Set<string>> {
  const locks = lockManager();
  if (!locks) return new Set();
  const prefix = kind === 'run' ? RUN : STUDY;
  const { held = [] } = await locks.query();
  return new Set(held.flatMap((l) => (l.name?.startsWith(prefix) ? [l.name.slice(prefix.length)] : [])));
}

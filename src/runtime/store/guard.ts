/** The guards of this page stopped for want of space: any delete that frees some starts them again. */
const waitingForSpace = new Set<WriteGuard>();

/**
 * Tells every store of this page that a delete freed space (a run, a study, a dataset, whichever
 * connection made it): those stopped for a full disk write again, and a write that still finds
 * no room stops them again.
 */
export function spaceFreed(): void {
  const waiting = [...waitingForSpace];
  waitingForSpace.clear();
  waiting.forEach((guard) => guard.resume());
}

/**
 * The degraded state shared by every store on one database: once a write fails (storage full,
 * database gone) the stores stop writing, keep what is saved, and say so once, in a sentence
 * for the user. Stopped for a full disk, they write again once a delete has freed space.
 */
export class WriteGuard {
  /** A sentence for the user once writing has stopped, else undefined. */
  problem: string | undefined;
  private listeners = new Set<(problem: string | undefined) => void>();
  /** Whether writing stopped for want of space, which a delete may give back. */
  private full = false;

  constructor(problem?: string) {
    this.problem = problem;
  }

  /**
   * Calls `listener` with the sentence when writing stops, and with undefined when it starts
   * again; returns the function that unsubscribes it.
   */
  onProblem(listener: (problem: string | undefined) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs a write; a failure switches to the degraded state instead of throwing. `action` is
   * called synchronously, so transactions open in the order the writes were asked for.
   */
  async write(action: () => Promise<unknown>): Promise<void> {
    if (this.problem) return;
    await this.attempt(action);
  }

  /**
   * Runs a write that frees space (a delete) even once writing has stopped: on a full disk it
   * is how the user makes room, and writing starts again after it (a write that still finds
   * no room stops it again). A failure is reported like any other.
   */
  async release(action: () => Promise<unknown>): Promise<void> {
    if (await this.attempt(action)) spaceFreed();
  }

  /** Writes again after a stop for want of space ({@link spaceFreed}); any other stop stands. */
  resume(): void {
    if (!this.full) return;
    waitingForSpace.delete(this);
    this.full = false;
    this.problem = undefined;
    this.listeners.forEach((l) => l(undefined));
  }

  /** Stops writing, telling listeners `problem`; only the first problem is told. `full`: for want of space. */
  stop(problem: string, full = false): void {
    if (this.problem) return;
    this.problem = problem;
    this.full = full;
    if (full) waitingForSpace.add(this);
    this.listeners.forEach((l) => l(problem));
  }

  /** Runs `action`; false when it failed, which stops writing. */
  private async attempt(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      console.warn('tunelab: a write to IndexedDB failed', error);
      const full = isQuotaError(error);
      this.stop(full ? FULL : describeWriteError(error), full);
      return false;
    }
  }
}

/** What the user is told when the disk is full. */
const FULL = 'Storage is full: new progress is not being saved until you delete something; saved runs are kept.';

/** Whether a write failed for want of space. */
function isQuotaError(error: unknown): boolean {
  return (error as DOMException)?.name === 'QuotaExceededError';
}

function describeWriteError(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `New progress is not being saved (${reason}); saved runs are kept.`;
}

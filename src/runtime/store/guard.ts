/**
 * The degraded state shared by every store on one database: once a write fails (storage full,
 * database gone) the stores stop writing, keep what is saved, and say so once, in a sentence
 * for the user.
 */
export class WriteGuard {
  /** A sentence for the user once writing has stopped, else undefined. */
  problem: string | undefined;
  private listeners = new Set<(problem: string) => void>();

  constructor(problem?: string) {
    this.problem = problem;
  }

  /** Calls `listener` when writing stops; returns the function that unsubscribes it. */
  onProblem(listener: (problem: string) => void): () => void {
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
   * is how the user makes room. A failure is reported like any other.
   */
  async release(action: () => Promise<unknown>): Promise<void> {
    await this.attempt(action);
  }

  /** Stops writing, telling listeners `problem`; only the first problem is told. */
  stop(problem: string): void {
    if (this.problem) return;
    this.problem = problem;
    this.listeners.forEach((l) => l(problem));
  }

  private async attempt(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      console.warn('tunelab: a write to IndexedDB failed', error);
      this.stop(describeWriteError(error));
    }
  }
}

function describeWriteError(error: unknown): string {
  if ((error as DOMException)?.name === 'QuotaExceededError') {
    return 'Storage is full: new progress is not being saved; saved runs are kept.';
  }
  const reason = error instanceof Error ? error.message : String(error);
  return `New progress is not being saved (${reason}); saved runs are kept.`;
}

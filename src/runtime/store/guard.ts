/**
 * The degraded state shared by every store on one database: once a write fails (storage full,
 * database gone) the stores stop writing, keep what is saved, and say so once, in a sentence
 * for the user.
 */
export class WriteGuard {
  problem: string | undefined;
  private listeners: ((problem: string) => void)[] = [];

  constructor(problem?: string) {
    this.problem = problem;
  }

  /** Calls `listener` when writing stops. */
  onProblem(listener: (problem: string) => void): void {
    this.listeners.push(listener);
  }

  /** Runs a write; a failure switches to the degraded state instead of throwing. */
  async write(action: () => Promise<unknown>): Promise<void> {
    if (this.problem) return;
    try {
      await action();
    } catch (error) {
      this.fail(describeWriteError(error));
    }
  }

  private fail(problem: string): void {
    if (this.problem) return;
    this.problem = problem;
    this.listeners.forEach((l) => l(problem));
  }
}

function describeWriteError(error: unknown): string {
  const name = (error as DOMException)?.name;
  return name === 'QuotaExceededError'
    ? 'Storage is full: new progress is not being saved; saved runs are kept.'
    : `Runs are not being saved (${(error as Error)?.message ?? String(error)}); saved runs are kept.`;
}

/** What the driver of a run may ask of it between batches. */
export type StepUnit = 'batch' | 'epoch';

/**
 * Play, pause, step and cancel for a run, as a small state machine the training loop waits on
 * between batches. The loop calls {@link RunController.next} before each batch; the UI (through
 * the worker) calls the other methods at any time.
 */
export class RunController {
  private paused: boolean;
  private pendingStep: StepUnit | null = null;
  private cancelled = false;
  private axes: [number, number] | null = null;
  private wake: (() => void) | null = null;

  constructor(startPaused = false) {
    this.paused = startPaused;
  }

  /** Whether the run is paused (and not in the middle of a requested step). */
  get isPaused(): boolean {
    return this.paused && this.pendingStep === null;
  }

  /** Whether cancel() was called. */
  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Stops before the next batch until resume() or step(). */
  pause(): void {
    this.paused = true;
  }

  /** Goes on training. */
  resume(): void {
    this.paused = false;
    this.pendingStep = null;
    this.notify();
  }

  /** While paused, runs one batch or the rest of the current epoch, then pauses again. */
  step(unit: StepUnit): void {
    this.paused = true;
    this.pendingStep = unit;
    this.notify();
  }

  /**
   * Asks for the decision picture through other inputs of a table; a paused run draws it at
   * once, a playing one with its next picture.
   */
  setAxes(axes: [number, number]): void {
    this.axes = axes;
    this.notify();
  }

  /** The inputs asked for since the last call, once; null when nothing changed. */
  takeAxes(): [number, number] | null {
    const axes = this.axes;
    this.axes = null;
    return axes;
  }

  /** Ends the run before the next batch. */
  cancel(): void {
    this.cancelled = true;
    this.notify();
  }

  /**
   * Waits until a batch may run. Resolves 'cancel' when the run must end, 'redraw' when a
   * paused run was asked for a new picture, else the reason it may go: 'run' when playing, or
   * the pending step's unit.
   */
  async next(): Promise<'run' | StepUnit | 'cancel' | 'redraw'> {
    for (;;) {
      if (this.cancelled) return 'cancel';
      if (!this.paused) return 'run';
      if (this.pendingStep) return this.pendingStep;
      if (this.axes) return 'redraw';
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Marks the pending step as done: after a batch for 'batch', after an epoch's end for 'epoch'. */
  completeStep(): void {
    this.pendingStep = null;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** What the driver of a run may ask of it between batches. */
export type StepUnit = 'batch' | 'epoch';

/**
 * How the page asks for a run: the side of its decision picture, whether it starts paused (and
 * with which step), the table inputs its picture shows, and its pace ({@link RunController.setPace}).
 */
export interface RunRequest {
  gridSize: number;
  startPaused: boolean;
  firstStep?: StepUnit;
  axes?: [number, number];
  pace?: number | null;
}

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
  private pace: number | null = null;

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

  /**
   * Holds a playing run to at most `epochsPerSecond` epochs a second, so that its picture can be
   * watched forming; null lets it go as fast as the device does. Stepping is never held.
   */
  setPace(epochsPerSecond: number | null): void {
    if (epochsPerSecond !== null && !(epochsPerSecond > 0)) throw new RangeError(`A pace is a positive number of epochs a second, got ${epochsPerSecond}`);
    this.pace = epochsPerSecond;
  }

  /** Milliseconds a playing run waits after an epoch that took `elapsed` ms, to keep to its pace (0 without one). */
  epochWait(elapsed: number): number {
    return this.pace === null || this.paused ? 0 : Math.max(0, 1000 / this.pace - elapsed);
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

import * as Comlink from 'comlink';
import type { Heartbeat } from '../workers/tensor.worker';

/** A worker that stopped: an uncaught error, a message it could not read, or no answer to a heartbeat. */
export class WorkerDied extends Error {
  override name = 'WorkerDied';
}

/** How often a watched worker is asked whether it is alive, and how long it may take to answer. */
export interface HeartbeatOptions {
  everyMs: number;
  timeoutMs: number;
}

/**
 * Generous enough that a worker busy with a long step (a big epoch on the cpu backend) is not
 * taken for dead: its event loop answers between steps.
 */
export const DEFAULT_HEARTBEAT: HeartbeatOptions = { everyMs: 2_000, timeoutMs: 30_000 };

/** A watched worker: `dead` rejects with a {@link WorkerDied} once it stops; `stop` ends the watch. */
export interface WorkerWatch {
  dead: Promise<never>;
  stop(): void;
}

/**
 * Watches a worker so that no call to it waits forever: `dead` rejects when the worker reports
 * an uncaught error (`error`), cannot read a message (`messageerror`), or leaves a `ping` (a
 * round trip through its event loop, such as a Comlink call) unanswered for `timeoutMs`. A
 * crashed or out-of-memory worker sends nothing at all, so only the heartbeat notices it.
 *
 * @example
 * const watch = watchWorker(worker, () => api.ping());
 * const outcome = await Promise.race([api.train(spec), watch.dead]);
 */
export function watchWorker(worker: Worker, ping: () => Promise<unknown>, options: HeartbeatOptions = DEFAULT_HEARTBEAT): WorkerWatch {
  let timer: ReturnType<typeof setInterval> | undefined;
  let die: (error: WorkerDied) => void = () => {};
  const dead = new Promise<never>((_, reject) => (die = reject));
  // Observed by the calls that race it; a worker that never dies leaves it pending.
  dead.catch(() => {});
  const onError = (event: ErrorEvent) => end(new WorkerDied(event.message || 'an uncaught error in the worker'));
  const onMessageError = () => end(new WorkerDied('the worker sent a message that could not be read'));
  let askedAt: number | null = null;
  timer = setInterval(() => {
    if (askedAt !== null) {
      if (Date.now() - askedAt > options.timeoutMs) end(new WorkerDied(`the worker stopped answering (no reply in ${Math.round(options.timeoutMs / 1000)} s)`));
      return;
    }
    askedAt = Date.now();
    ping().then(() => (askedAt = null), (error) => end(new WorkerDied(error instanceof Error ? error.message : String(error))));
  }, options.everyMs);
  worker.addEventListener('error', onError);
  worker.addEventListener('messageerror', onMessageError);

  function stop(): void {
    clearInterval(timer);
    timer = undefined;
    worker.removeEventListener('error', onError);
    worker.removeEventListener('messageerror', onMessageError);
  }
  function end(error: WorkerDied): void {
    if (timer === undefined) return;
    stop();
    die(error);
  }
  return { dead, stop };
}

/**
 * A worker started on first use and watched while it lives: every call through {@link call}
 * races the worker's death, and a dead worker is ended (`onEnd` told), so the next call
 * starts a fresh one.
 *
 * @example
 * const lab = new WatchedWorker<LandscapeWorkerApi>(() => tensorWorker('landscape'));
 * const grid = await lab.call((api) => api.surfaceGrid('rosenbrock', 64)); // or a WorkerDied
 */
export class WatchedWorker<Api> {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<Api & Heartbeat> | null = null;
  private watch: WorkerWatch | null = null;

  /** `start` makes the worker; `heartbeat` says how its death is noticed; `onEnd` hears that it was ended. */
  constructor(
    private readonly start: () => Worker,
    private readonly heartbeat?: HeartbeatOptions,
    private readonly onEnd?: () => void,
  ) {}

  /** Calls the worker, starting it first if needed; rejects with a {@link WorkerDied} once it is found dead. */
  async call<T>(use: (api: Comlink.Remote<Api & Heartbeat>) => Promise<T>): Promise<T> {
    if (!this.remote) {
      const worker = this.start();
      const remote = Comlink.wrap<Api & Heartbeat>(worker);
      this.worker = worker;
      this.remote = remote;
      this.watch = watchWorker(worker, () => remote.ping(), this.heartbeat);
    }
    const dead = this.watch!.dead;
    try {
      return await Promise.race([use(this.remote), dead]);
    } catch (error) {
      if (error instanceof WorkerDied) this.end();
      throw error;
    }
  }

  /** Tells the running worker something without waiting (a cancel); nothing when none runs. */
  tell(use: (api: Comlink.Remote<Api & Heartbeat>) => unknown): void {
    if (this.remote) void use(this.remote);
  }

  /** Ends the worker, if one runs. */
  end(): void {
    this.watch?.stop();
    this.watch = null;
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.onEnd?.();
  }
}

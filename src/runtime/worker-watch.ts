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

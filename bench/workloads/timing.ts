// How every workload is timed: a warm-up of at least a second first (shader compilation,
// kernel caches and the optimizing compilers are not the steady state), then repetitions until the work is complete or the time budget is spent.

/** Seconds since an arbitrary origin, with performance.now()'s resolution. */
export function seconds(): number {
  return performance.now() / 1000;
}

/** What a budgeted measurement did: how many units of work, in how many seconds. */
export interface Timed {
  /** Units completed (trials, starts, epochs…), at least one. */
  count: number;
  seconds: number;
}

/**
 * Runs `unit(i)` for i = 0, 1, … until `max` units are done or `budget` seconds have passed
 * (at least one unit always runs), and times them together. The caller extrapolates from
 * `count` to the whole workload when `count < max`.
 */
export async function repeatWithin(max: number, budget: number, unit: (i: number) => Promise<unknown> | unknown): Promise<Timed> {
  const start = seconds();
  let count = 0;
  while (count < max && (count === 0 || seconds() - start < budget)) await unit(count++);
  return { count, seconds: seconds() - start };
}

/**
 * Least seconds of a warm-up. Browsers compile WebAssembly and hot JavaScript again with their
 * optimizing compilers in the background and switch at the next call: W2's step took 60 ms of
 * TurboFan on an idle core, and on a busy machine one epoch of warm-up ended before that code
 * was there, so the timed run began on the baseline compiler's.
 */
export const WARM_UP_SECONDS = 1;

/** Runs `unit(i)` for i = 0, 1, … untimed until {@link WARM_UP_SECONDS} have passed, at least once: the warm-up of every part, ours and the baselines alike. */
export async function warmUp(unit: (i: number) => Promise<unknown> | unknown): Promise<void> {
  const start = seconds();
  let count = 0;
  do await unit(count++);
  while (seconds() - start < WARM_UP_SECONDS);
}

/** Most timed runs of each side where ours and a peer run in turns (W1, W2's population and batched peer), the fastest of each counting. */
const ROUNDS = 3;

/**
 * Ours and a peer timed in turns, from ours' first run `first`: the peer once, then each
 * again, up to {@link ROUNDS} runs of each while ours' runs stay within `budget` seconds; the
 * fastest of each counts. A run of ours counts only if it trained the epochs of the first,
 * which the peer trains (a budgeted run may stop at another).
 */
export async function fastestInTurns<A extends { seconds: number; epochs: number }, B extends { seconds: number }>(
  first: A,
  ours: () => Promise<A>,
  peer: () => B,
  budget: number,
): Promise<{ ours: A; peer: B; rounds: number }> {
  let best = first;
  let bestPeer = peer();
  let rounds = 1;
  for (let spent = first.seconds; rounds < ROUNDS && spent < budget; rounds++) {
    const again = await ours();
    spent += again.seconds;
    if (again.epochs === first.epochs && again.seconds < best.seconds) best = again;
    const other = peer();
    if (other.seconds < bestPeer.seconds) bestPeer = other;
  }
  return { ours: best, peer: bestPeer, rounds };
}

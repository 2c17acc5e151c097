// How every workload is timed: a warm-up first (shader compilation and kernel caches are not
// the steady state), then repetitions until the work is complete or the time budget is spent.

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

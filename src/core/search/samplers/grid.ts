import { createRng } from '../../random/prng';
import { gridPoints, type SearchSpace } from '../space';
import { paramsKey, type Observation, type Sampler } from './sampler';

/**
 * Grid search: every combination of the space's grid values exactly once (continuous ranges
 * at `resolution` points, log-spaced when log), in an order shuffled by the seed. When every
 * point was asked, ask returns null and askBatch an empty list. Resumes past the combinations
 * in the history, finished or pending.
 */
export function gridSampler(space: SearchSpace, seed: number, resolution: number, history: Observation[] = []): Sampler {
  const points = createRng(seed).shuffle(gridPoints(space, resolution));
  const taken = new Set(history.map((h) => paramsKey(h.params)));
  const queue = points.filter((p) => !taken.has(paramsKey(p)));
  return {
    ask: () => queue.shift() ?? null,
    askBatch: (n) => queue.splice(0, n),
    tell: () => {},
  };
}

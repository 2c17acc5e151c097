import { createRng } from '../../random/prng';
import { gridPoints, type Params, type SearchSpace } from '../space';
import type { Observation, Sampler } from './sampler';

/**
 * Grid search: every combination of the space's grid values exactly once (continuous ranges
 * at `resolution` points), in an order shuffled by the seed; ask returns null when the grid is
 * done. Resumes past the combinations already in the history.
 */
export function gridSampler(space: SearchSpace, seed: number, resolution: number, history: Observation[] = []): Sampler {
  const points = createRng(seed).shuffle(gridPoints(space, resolution));
  const key = (p: Params) => JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
  const taken = new Set(history.map((h) => key(h.params)));
  const queue = points.filter((p) => !taken.has(key(p)));
  const ask = () => queue.shift() ?? null;
  return {
    ask,
    askBatch: (n) => queue.splice(0, n),
    tell: () => {},
  };
}

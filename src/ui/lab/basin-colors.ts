// Colours of a basin map: one per minimum of the surface, global minima in strong primaries and
// local ones in other hues, so a glance tells traps from successes.
import type { SurfaceMinimum } from '../../core/landscape';

const GLOBAL = ['#e03131', '#1971c2', '#2f9e44', '#f08c00'];
const LOCAL = ['#9c36b5', '#0c8599', '#e8590c', '#5c940d', '#c2255c', '#3b5bdb', '#66a80f', '#862e9c'];

/** The colour of each minimum, in the order of the surface's `minima` (a basin map's labels). */
export function basinColors(minima: SurfaceMinimum[]): string[] {
  let g = 0;
  let l = 0;
  return minima.map((m) => (m.kind === 'global' ? GLOBAL[g++ % GLOBAL.length] : LOCAL[l++ % LOCAL.length]));
}

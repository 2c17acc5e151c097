import { LAB_CALIBRATION } from './calibration-shape';
import { basinMap } from './index';

/**
 * Milliseconds of one {@link LAB_CALIBRATION} map on tfjs's current backend (WebAssembly on
 * the cpu, the WGSL kernel on WebGPU), after a short warm-up so that code generation and
 * pipeline compilation do not count; the fastest of `repeats`.
 */
export async function timeLabMap(repeats = 2): Promise<number> {
  await basinMap({ ...LAB_CALIBRATION, steps: 2 });
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const begin = performance.now();
    await basinMap(LAB_CALIBRATION);
    best = Math.min(best, performance.now() - begin);
  }
  return best;
}

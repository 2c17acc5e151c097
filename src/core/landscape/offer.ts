import { LAB_CALIBRATION } from './calibration-shape';
import { BASIN_SIZES, SWEEP_COUNTS } from './lab-spec';

/**
 * Which basin-map sizes and sweep lengths the lab offers on this device: those whose time,
 * predicted from the lab's calibration map (see `calibrate`), is about a second at most, so
 * that a slow device is not offered a map it would take a minute over. The work of a run is
 * its starts times its steps; the calibration gives the device's time per start-step.
 */

/** Longest predicted time, in ms, of a size the lab offers. */
export const OFFER_MS = 1000;

/** One size of a choice, with its predicted time here and whether the lab offers it. */
export interface SizeOffer {
  value: number;
  predictedMs: number;
  offered: boolean;
}

/** Start-steps of the calibration map. */
const CALIBRATION_WORK = LAB_CALIBRATION.grid.size ** 2 * LAB_CALIBRATION.steps;

/** Predicted milliseconds of `starts` starts × `steps` steps, from the calibration map's milliseconds. */
export function predictMs(calibrationMs: number, starts: number, steps: number): number {
  return (calibrationMs * starts * steps) / CALIBRATION_WORK;
}

function offers(values: readonly number[], predict: (value: number) => number): SizeOffer[] {
  return values.map((value, k) => {
    const predictedMs = predict(value);
    // The smallest is always offered: the view needs one.
    return { value, predictedMs, offered: k === 0 || predictedMs <= OFFER_MS };
  });
}

/**
 * The basin-map sizes (starts per side) with their predicted time: one map per optimizer, each
 * size² starts for `steps` steps.
 *
 * @example
 * basinOffers(20, 300, 2).map((o) => o.offered); // [true, true, false, false]: 256² would take ~1.9 s
 */
export function basinOffers(calibrationMs: number, steps: number, optimizers: number): SizeOffer[] {
  return offers(BASIN_SIZES, (size) => predictMs(calibrationMs, optimizers * size * size, steps));
}

/** The sweep lengths (learning rates) with their predicted time: per optimizer, two runs of every rate (the final losses, then every step). */
export function sweepOffers(calibrationMs: number, steps: number, optimizers: number): SizeOffer[] {
  return offers(SWEEP_COUNTS, (count) => predictMs(calibrationMs, 2 * optimizers * count, steps));
}

/** A predicted time in seconds as the size choices show it: '1.9', '12'. */
export function seconds(ms: number): string {
  return ms >= 10_000 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(1);
}

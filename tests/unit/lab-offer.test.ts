import { describe, expect, test } from 'vitest';
import { basinOffers, OFFER_MS, predictMs, seconds, sweepOffers } from '../../src/core/landscape/offer';

describe('sizes offered by what the device measured', () => {
  test('predicts a run from the calibration map (64 × 64 starts, 100 steps) by its starts × steps', () => {
    expect(predictMs(20, 64 * 64, 100)).toBe(20);
    expect(predictMs(20, 128 * 128, 300)).toBe(240);
    expect(predictMs(20, 512 * 512, 300)).toBe(3840);
  });

  test('offers the basin maps predicted within a second, one map per optimizer', () => {
    // 18 ms per calibration map (this machine's cpu): one optimizer gets up to 256², two up to 128².
    const one = basinOffers(18, 300, 1);
    expect(one.map((o) => [o.value, Math.round(o.predictedMs), o.offered])).toEqual([
      [64, 54, true], [128, 216, true], [256, 864, true], [512, 3456, false],
    ]);
    expect(basinOffers(18, 300, 2).map((o) => o.offered)).toEqual([true, true, false, false]);
    // A fast GPU gets them all; a slow device still gets the smallest.
    expect(basinOffers(0.5, 300, 6).every((o) => o.offered)).toBe(true);
    expect(basinOffers(5000, 2000, 6).map((o) => o.offered)).toEqual([true, false, false, false]);
    expect(basinOffers(18, 300, 1).filter((o) => o.offered).every((o) => o.predictedMs <= OFFER_MS)).toBe(true);
  });

  test('offers sweeps by their two runs of every rate per optimizer', () => {
    expect(sweepOffers(18, 300, 1).map((o) => [o.value, Number(o.predictedMs.toFixed(2)), o.offered])).toEqual([
      [64, 1.69, true], [128, 3.38, true], [256, 6.75, true], [512, 13.5, true], [1024, 27, true],
    ]);
    expect(sweepOffers(2000, 2000, 6).map((o) => o.offered)).toEqual([true, false, false, false, false]);
    expect(sweepOffers(100, 2000, 6).map((o) => o.offered)).toEqual([true, true, false, false, false]);
  });

  test('shows a predicted time in seconds, tenths under ten', () => {
    expect(seconds(1920)).toBe('1.9');
    expect(seconds(12_400)).toBe('12');
  });
});

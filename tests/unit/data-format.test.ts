import { describe, expect, test } from 'vitest';
import { formatAxisValue, formatBytes, formatCount } from '../../src/ui/data/format';

describe('numbers on the Data screen', () => {
  test("a histogram's ends: prices compact, small measurements as they are, tiny ones in exponent form", () => {
    expect(formatAxisValue(136_412)).toBe('136K');
    expect(formatAxisValue(-2_512_000)).toBe('-2.51M');
    expect(formatAxisValue(3992)).toBe('3992');
    expect(formatAxisValue(32.125)).toBe('32.13');
    expect(formatAxisValue(0)).toBe('0');
    expect(formatAxisValue(0.00042)).toBe('4.2e-4');
  });
  test('sizes and counts', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(13_200)).toBe('13 kB');
    expect(formatBytes(1.4e9)).toBe('1.4 GB');
    expect(formatCount(100_000)).toBe('100,000');
  });
});

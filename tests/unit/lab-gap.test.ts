import { describe, expect, test } from 'vitest';
import { gapAbove, GAP_FLOOR, lowestValue } from '../../src/ui/lab/gap';

describe("the lab's log axes", () => {
  test('f − f* from the lowest known minimum, raised to the floor at the minimum; f where f* is unknown', () => {
    const camel = lowestValue([{ value: -1.0316 }, { value: -0.2155 }]);
    expect(camel).toBe(-1.0316);
    expect(gapAbove(-0.0316, camel)).toBeCloseTo(1, 12);
    expect(gapAbove(6.31e-30, lowestValue([{ value: 0 }]))).toBe(GAP_FLOOR);
    expect(lowestValue([])).toBeUndefined();
    expect(gapAbove(3.5, undefined)).toBe(3.5);
  });
});

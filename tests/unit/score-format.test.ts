import { describe, expect, test } from 'vitest';
import { shownScore } from '../../src/ui/optimize/score-format';

describe('held-out scores on the Optimize screen', () => {
  test('an accuracy reads in percent, an R² as itself, below 0 too', () => {
    expect(shownScore('accuracy', 0.8517)).toBe('85.2 %');
    expect(shownScore('R²', 0.8517)).toBe('0.852');
    expect(shownScore('R²', -0.25)).toBe('-0.250');
    expect(shownScore('accuracy', undefined)).toBe('–');
  });
});

/** What a held-out score of the Optimize screen measures: accuracy for a classification, R² for a regression. */
export type ScoreMetric = 'accuracy' | 'R²';

/** A held-out score as the Optimize screen shows it: an accuracy in percent, an R² as the number it is (it can fall below 0). */
export function shownScore(metric: ScoreMetric, value: number | undefined): string {
  if (value === undefined) return '–';
  return metric === 'accuracy' ? `${(value * 100).toFixed(1)} %` : value.toFixed(3);
}

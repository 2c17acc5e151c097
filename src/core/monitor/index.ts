/**
 * Monitoring a deployed model: drift statistics that match scipy and numpy, Evidently's
 * data-drift preset (per-feature test choice, thresholds, the data set's verdict), and the
 * report on new rows of a saved table model.
 *
 * @example
 * ks2(older, newer);              // { statistic, pValue } as scipy's ks_2samp(method='asymp')
 * chiSquare([30, 50, 20], [10, 30, 60]);
 * psi(older, newer);              // over the reference's deciles
 */
export { ks2, chiSquare, psi, wasserstein, jensenShannon, zTest, stabilityIndex, quantileSorted, populationStd, type TestResult } from './statistics';
export { kolmogorovSf, smirnovSf } from './kolmogorov';
export { chooseTest, datasetDrift, featureDrift, DRIFT_TESTS, DATASET_DRIFT_SHARE, type DatasetDrift, type DriftTest, type FeatureDrift, type FeatureSample } from './drift';
export { checkColumns, monitorRows, shiftRows, simulateShift, type ColumnProblem, type Histogram, type MonitorBaseline, type MonitorReport, type Score, type Shift, type TextRow } from './report';
export { monitorBaseline, textRow } from './baseline';

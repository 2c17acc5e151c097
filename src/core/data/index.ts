/** Generated datasets, their train/validation split and the network's input features. */
export * from './types';
export { generateDataset } from './generators';
export { generatedSplit, splitDataset } from './split';
export { featurize, FEATURE_LABELS } from './features';
